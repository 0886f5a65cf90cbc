"""Everything that writes orders: placing, cancelling, changing seats, resubmitting.

Reads live in ``orders.selectors``; the upstream conversation in ``orders.pipeline``.
"""

from .placing import OrderRejected, order_place

__all__ = ["OrderRejected", "order_place"]
