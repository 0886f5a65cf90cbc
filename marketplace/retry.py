"""The one retry policy: repeat only what is safe to repeat.

Safe, for every call:
  * a connection that failed before anything was sent;
  * 429, after the Retry-After it names (or exponential backoff with jitter), but only
    when that is short (``max_retry_after``, 5 s): a longer Retry-After is raised to the
    caller, which reschedules its work rather than hold a worker. Either way the session
    has paused the whole key (``marketplace.ratelimit``), so no other call on it is sent
    before the time has passed either.
Safe for reads only (GET, and POSTs that change nothing such as validation
and estimates):
  * 502/503/504 and gateway pages; a read timeout; a connection dropped mid-call.

POST /orders is never repeated after it may have arrived: the client turns
that case into ``OrderOutcomeUnknown`` and the caller reconciles.

tenacity runs the loop; the decisions stay here, in ``is_retryable`` and
``wait_seconds``. ``sleep`` is injectable so tests do not wait.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import tenacity

from .constants import (
    BACKOFF_JITTER_SECONDS,
    DEFAULT_MAX_RETRIES,
    INITIAL_BACKOFF_SECONDS,
    MAX_BACKOFF_SECONDS,
    MAX_RETRY_AFTER_SECONDS,
)
from .exceptions import (
    APIConnectionError,
    APITimeoutError,
    GatewayError,
    RateLimitError,
)

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = DEFAULT_MAX_RETRIES
    initial_backoff: float = INITIAL_BACKOFF_SECONDS
    max_backoff: float = MAX_BACKOFF_SECONDS
    jitter: float = BACKOFF_JITTER_SECONDS
    max_retry_after: float = MAX_RETRY_AFTER_SECONDS
    sleep: Callable[[float], None] = time.sleep

    def is_retryable(self, error: BaseException, *, idempotent: bool) -> bool:
        """Tell whether the call that raised ``error`` may be sent again."""
        if isinstance(error, RateLimitError):
            return error.retry_after is None or error.retry_after <= self.max_retry_after
        if isinstance(error, APIConnectionError):
            return idempotent or not error.request_sent
        if isinstance(error, (GatewayError, APITimeoutError)):
            return idempotent
        return False

    def wait_seconds(self, error: BaseException | None, attempt: int) -> float:
        """Return how long to wait before attempt ``attempt + 1`` (attempts count from 1)."""
        if isinstance(error, RateLimitError) and error.retry_after is not None:
            return error.retry_after
        backoff = self.initial_backoff * 2 ** (attempt - 1)
        return min(self.max_backoff, backoff) + random.uniform(0, self.jitter)

    def call(self, fn: Callable[[], T], *, idempotent: bool) -> T:
        """Call ``fn``, repeating it while it fails in a way that is safe to repeat."""
        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.max_retries + 1),
            retry=tenacity.retry_if_exception(
                lambda error: self.is_retryable(error, idempotent=idempotent)
            ),
            wait=self._tenacity_wait,
            sleep=self.sleep,
            reraise=True,
        )
        return retrying(fn)

    def _tenacity_wait(self, state: tenacity.RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        return self.wait_seconds(error, state.attempt_number)
