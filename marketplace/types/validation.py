"""Answers of POST /validation/parameters, and the checks built on it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..mapping import period_from_api
from .common import _items, _str, find_parameter


@dataclass(frozen=True)
class Choice:
    label: str
    value: str
    default: bool = False

    @classmethod
    def from_api(cls, data: dict) -> Choice:
        return cls(
            label=_str(data.get("label")),
            value=_str(data.get("value")),
            default=bool(data.get("default")),
        )


@dataclass(frozen=True)
class Parameter:
    """The verdict on one parameter: ``result`` is "success" or "error", with a message."""

    name: str
    result: str
    message: str = ""
    value: Any = None
    value_error: str = ""
    value_choices: tuple[Choice, ...] = ()
    structured_value: dict | None = None

    @classmethod
    def from_api(cls, data: dict) -> Parameter:
        structured = data.get("structured_value")
        return cls(
            name=_str(data.get("name")),
            result=_str(data.get("result")),
            message=_str(data.get("message")),
            value=data.get("value"),
            value_error=_str(data.get("valueError")),
            value_choices=tuple(Choice.from_api(c) for c in _items(data.get("valueChoices"))),
            structured_value=structured if isinstance(structured, dict) else None,
        )

    @property
    def ok(self) -> bool:
        return self.result == "success"

    @property
    def explanation(self) -> str:
        """The most specific text the upstream gave for this verdict."""
        return self.value_error or self.message


@dataclass(frozen=True)
class ValidationResult:
    """The verdicts for one product of a validation request."""

    mpn: str
    vendor: str = ""
    product_id: str = ""
    subscription_period: str | None = None
    billing_period: str | None = None
    parameters: tuple[Parameter, ...] = ()

    @classmethod
    def from_api(cls, data: dict) -> ValidationResult:
        return cls(
            mpn=_str(data.get("mpn")),
            vendor=_str(data.get("vendor")),
            product_id=_str(data.get("id")),
            subscription_period=period_from_api(data.get("subscriptionPeriod")),
            billing_period=period_from_api(data.get("billingPeriod")),
            parameters=tuple(Parameter.from_api(p) for p in _items(data.get("parameters"))),
        )

    def parameter(self, name: str) -> Parameter | None:
        """Return the verdict on the parameter called ``name`` (case-sensitive), or None."""
        return find_parameter(self.parameters, name)

    @property
    def errors(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if not p.ok)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class PartnerCheck:
    """The reseller's tier configuration: READY when ``ready``, else INQUIRING with ``reason``."""

    mpn_id: str
    reseller_domain: str
    ready: bool
    reason: str = ""

    @property
    def status(self) -> str:
        return "READY" if self.ready else "INQUIRING"


@dataclass(frozen=True)
class DomainCheck:
    """Whether a new tenant may use ``domain``; ``suggestions`` are free alternatives, if given."""

    domain: str
    available: bool
    message: str = ""
    suggestions: tuple[str, ...] = ()

    @property
    def refusal(self) -> str:
        """Say why the name cannot be used, with the free names offered; "" when it can."""
        if self.available:
            return ""
        message = self.message or f"{self.domain} is already taken."
        free = [suggestion.split(".")[0] for suggestion in self.suggestions]
        return message + (" Free names: " + ", ".join(free) + "." if free else "")


@dataclass(frozen=True)
class TenantCheck:
    """An existing tenant: can the reseller sell to it, and is its MCA already accepted?"""

    tenant: str
    found: bool
    relationship: bool | None = None
    mca_accepted: bool | None = None
    message: str = ""
    mca_message: str = ""
