"""The simulator in-process for these tests: its transport, named by MARKETPLACE_TRANSPORT."""

from tests.marketplace.simulated import Simulator

current: Simulator | None = None


def transport():
    """The zero-argument factory that settings.MARKETPLACE_TRANSPORT names."""
    return current.transport
