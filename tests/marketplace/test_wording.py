"""One wording for a failed marketplace call: a rate limit is busy, never an outage."""

import pytest

from marketplace.exceptions import APIConnectionError, GatewayError, RateLimitError
from marketplace.ratelimit import ConnectionPaused
from marketplace.wording import marketplace_failure_message, try_again_in


def say(error):
    return marketplace_failure_message(
        error, outcome="nothing was changed", next_step="Press Next again."
    )


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (None, "Try again in a minute."),
        (0.2, "Try again in 1 second."),
        (30, "Try again in 30 seconds."),
        (89.5, "Try again in 90 seconds."),
        (120, "Try again in 2 minutes."),
        (601, "Try again in 11 minutes."),
    ],
)
def test_when_to_try_again_follows_retry_after(seconds, words):
    assert try_again_in(seconds) == words


def test_a_rate_limit_is_busy_and_names_when():
    text = say(RateLimitError("Too many requests", status_code=429, retry_after=30))
    assert text == (
        "The marketplace is busy just now (too many requests), so nothing was changed. "
        "Try again in 30 seconds."
    )


def test_a_paused_connection_is_busy_too():
    text = say(ConnectionPaused("paused", retry_after=12))
    assert "busy" in text and "12 seconds" in text


@pytest.mark.parametrize(
    "error",
    [
        APIConnectionError("refused"),
        GatewayError("Bad gateway", status_code=503),
    ],
)
def test_an_outage_is_out_of_reach_with_the_callers_next_step(error):
    assert say(error) == (
        "The marketplace could not be reached just now, so nothing was changed. Press Next again."
    )
