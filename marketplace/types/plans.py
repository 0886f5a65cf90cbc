"""Service plans and the switches each allows (GET /plans/{id} ``planSwitches``)."""

from __future__ import annotations

from dataclasses import dataclass

from ..mapping import period_from_api
from .common import _items, _str


@dataclass(frozen=True)
class PlanSwitch:
    """A switch the marketplace offers from one plan: to ``plan_id`` at ``subscription_period``.

    ``billing_policy`` says what is charged or refunded (``prorate_keeping_exp_date``…) and
    ``when_effective`` when it applies (``immediately``, ``next_billing_period``,
    ``next_subscription_period``).
    """

    plan_id: str
    subscription_period: str | None = None
    billing_policy: str = ""
    when_effective: str = ""
    source_subscription_period: str | None = None

    @classmethod
    def from_api(cls, data: dict) -> PlanSwitch:
        return cls(
            plan_id=_str(data.get("planId")),
            subscription_period=period_from_api(data.get("subscriptionPeriod")),
            billing_policy=_str(data.get("billingPolicy")),
            when_effective=_str(data.get("whenEffective")),
            source_subscription_period=period_from_api(data.get("sourceSubscriptionPeriod")),
        )


@dataclass(frozen=True)
class Plan:
    id: str
    name: str
    billing_period: str | None = None
    subscription_periods: tuple[str, ...] = ()
    switches: tuple[PlanSwitch, ...] = ()

    @classmethod
    def from_api(cls, data: dict) -> Plan:
        periods = (period_from_api(p) for p in _items(data.get("subscriptionPeriods")))
        return cls(
            id=_str(data.get("id")),
            name=_str(data.get("name")),
            billing_period=period_from_api(data.get("billingPeriod")),
            subscription_periods=tuple(p for p in periods if p),
            switches=tuple(
                PlanSwitch.from_api(s)
                for s in _items(data.get("planSwitches"))
                if isinstance(s, dict)
            ),
        )
