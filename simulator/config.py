"""Settings of one simulator instance: credentials it accepts, timings, limits."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Timings:
    """Seconds an order spends in each phase before the next (computed lazily)."""

    submitted: float = 2.0  # status submitted
    assigning: float = 3.0  # processing / AS
    provisioning: float = 6.0  # processing / LO; then completed (CP) or error (PF)

    @property
    def total(self) -> float:
        return self.submitted + self.assigning + self.provisioning


DEMO_TIMINGS = Timings(submitted=2.0, assigning=3.0, provisioning=6.0)
TEST_TIMINGS = Timings(submitted=0.05, assigning=0.05, provisioning=0.1)


@dataclass(frozen=True)
class Credentials:
    """One API user: Basic credentials, its APIM subscription key, its reseller account."""

    username: str
    password: str
    subscription_key: str
    reseller_id: str


DEMO_CREDENTIALS = (
    Credentials("demo-reseller", "demo-password", "demo-subscription-key", "1000001"),
    Credentials("fabrikam-api", "fabrikam-password", "fabrikam-subscription-key", "1000002"),
)


@dataclass(frozen=True)
class RateLimit:
    """A per-subscription-key budget of `limit` requests per fixed window."""

    limit: int
    window_seconds: float = 60.0
    retry_after: bool = True


@dataclass(frozen=True)
class SimulatorConfig:
    profile: str = "demo"
    credentials: tuple[Credentials, ...] = DEMO_CREDENTIALS
    marketplaces: frozenset[str] = frozenset(
        {"us", "ca", "uk", "au", "nl", "se", "br", "de", "stg"}
    )
    token_ttl_seconds: int = 1500
    timings: Timings = DEMO_TIMINGS
    currency: str = "USD"
    # None: no budget. The real key has a quota; the demo allows a generous one.
    rate_limit: RateLimit | None = None
    cancellation_window_hours: int = 168
    # Microsoft publishes no limit for a tenant prefix; 63 is the DNS label bound.
    tenant_prefix_max_length: int = 27
    # Scripted delays sleep for real, but never longer than this.
    max_real_delay_seconds: float = 180.0
    # SQLite file keeping the state across restarts; None keeps it in memory.
    state_path: str | None = None

    def with_changes(self, **changes) -> SimulatorConfig:
        return replace(self, **changes)


def config_for_profile(profile: str, **changes) -> SimulatorConfig:
    """Return the configuration of a named profile: `demo` (seconds) or `test` (fractions)."""
    if profile == "demo":
        base = SimulatorConfig(
            profile="demo",
            timings=DEMO_TIMINGS,
            rate_limit=RateLimit(limit=1200, window_seconds=60),
        )
    elif profile == "test":
        base = SimulatorConfig(profile="test", timings=TEST_TIMINGS, max_real_delay_seconds=5.0)
    else:
        raise ValueError(f"Unknown simulator profile {profile!r}: use 'demo' or 'test'.")
    return base.with_changes(**changes)
