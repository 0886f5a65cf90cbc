"""Defaults of the Marketplace API client, in one place."""

#: Read timeout of every call but POST /orders, in seconds.
DEFAULT_TIMEOUT = 30.0
#: POST /orders can take more than 60 s upstream; an nginx 504 has been seen.
DEFAULT_ORDER_TIMEOUT = 120.0
#: How long to wait for a TCP connection, in seconds.
DEFAULT_CONNECT_TIMEOUT = 10.0

#: The token's lifetime when /token does not say (it says 1500 s today).
TOKEN_LIFETIME_SECONDS = 1500
#: Refresh the token this long before it expires, so no call carries a stale one.
TOKEN_REFRESH_MARGIN_SECONDS = 60

#: Retries after the first attempt, for what is safe to repeat.
DEFAULT_MAX_RETRIES = 3
#: Exponential backoff: first wait, cap, and the random jitter added to each wait.
INITIAL_BACKOFF_SECONDS = 0.5
MAX_BACKOFF_SECONDS = 8.0
BACKOFF_JITTER_SECONDS = 0.5
#: A call waits out a Retry-After up to this long itself (the whole connection is paused
#: meanwhile, see ``marketplace.ratelimit``); a longer one surfaces the 429 to the caller,
#: which reschedules its work instead of holding a worker.
MAX_RETRY_AFTER_SECONDS = 5.0
#: How long a 429 without Retry-After pauses the connection.
RATE_LIMIT_DEFAULT_PAUSE_SECONDS = 2.0

#: The upstream caps a page at 500 rows.
MAX_PAGE_LIMIT = 500

#: A reference search lists the customer's orders created in its window, every page, and
#: gives up (incomplete: the order stays unknown) when the window holds more than this.
RECONCILE_MAX_ORDERS = 2000

#: The spec gives no maximum for poNumber; the product stores 64 characters.
PO_NUMBER_MAX_LENGTH = 64
#: Between our reference and the reseller's own PO in poNumber.
PO_NUMBER_SEPARATOR = " / "

#: The vendor of every NCE product.
MICROSOFT = "Microsoft"

USER_AGENT = "nce-orders-marketplace-client/1.0"
