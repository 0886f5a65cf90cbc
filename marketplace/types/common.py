"""Shared value types: money, prices, pages of a list, parameters."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from ..mapping import decimal_or_none

T = TypeVar("T")

#: A parameter whose name contains one of these holds a secret (a new tenant's
#: ``admin_temporary_password``): its value never appears in a repr, hence never in a log.
SECRET_PARAMETER_WORDS = ("password", "secret", "token")


def _str(value) -> str:
    return "" if value is None else str(value)


def _items(value) -> list:
    return value if isinstance(value, list) else []


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    @classmethod
    def from_api(cls, data) -> Money | None:
        if not isinstance(data, dict):
            return None
        amount = decimal_or_none(data.get("amount"))
        if amount is None:
            return None
        return cls(amount=amount, currency=_str(data.get("currency")))


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list, with where it sits in the whole result."""

    items: tuple[T, ...]
    offset: int
    limit: int
    total: int | None


@dataclass(frozen=True, repr=False)
class ParameterValue:
    """An activation, order or fulfilment parameter: a name with a value or a structured value."""

    name: str
    value: Any = None
    structured_value: dict | None = None

    @classmethod
    def from_api(cls, data: dict) -> ParameterValue:
        structured = data.get("structured_value")
        return cls(
            name=_str(data.get("name")),
            value=data.get("value"),
            structured_value=structured if isinstance(structured, dict) else None,
        )

    @property
    def is_secret(self) -> bool:
        """Tell whether the parameter's name says it holds a password, secret or token."""
        name = self.name.lower()
        return any(word in name for word in SECRET_PARAMETER_WORDS)

    def __repr__(self) -> str:
        if self.is_secret:
            return f"ParameterValue(name={self.name!r}, value=<redacted>)"
        return (
            f"ParameterValue(name={self.name!r}, value={self.value!r}, "
            f"structured_value={self.structured_value!r})"
        )

    def to_api(self) -> dict:
        data: dict[str, Any] = {"name": self.name}
        if self.value is not None:
            data["value"] = self.value
        if self.structured_value is not None:
            data["structured_value"] = self.structured_value
        return data


def find_parameter(parameters, name: str):
    """Return the parameter called ``name`` (names are case-sensitive), or None."""
    return next((p for p in parameters if p.name == name), None)


@dataclass(frozen=True)
class Price:
    amount: Decimal
    currency: str
    type: str = "recurring"

    @classmethod
    def from_api(cls, data) -> Price | None:
        money = Money.from_api(data)
        if money is None:
            return None
        kind = _str(data.get("type")) or "recurring"
        return cls(amount=money.amount, currency=money.currency, type=kind)


def _prices(value) -> tuple[Price, ...]:
    return tuple(p for p in (Price.from_api(d) for d in _items(value)) if p is not None)
