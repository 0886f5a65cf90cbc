"""Settings read from the environment, with embedded defaults that need no server.

With nothing set, the site runs on SQLite, a file-system Celery broker and a
file-based cache, all under ``var/``. Set DATABASE_URL and REDIS_URL to run on
PostgreSQL and Redis.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from operations.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def local_secret(name):
    """Return a development secret kept in var/, made on first use (never in the repository).

    The web server, the worker and beat start at once and may all find it missing: each writes
    a whole file of its own and links it into place, and the first link wins. None can read a
    file another is still writing, which would be empty.
    """
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / name
    if not path.exists():
        draft = VAR_DIR / f".{name}.{os.getpid()}.{secrets.token_hex(4)}"
        draft.write_text(secrets.token_urlsafe(50))
        draft.chmod(0o600)
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another process made it first: its secret is the one
        finally:
            draft.unlink()
    return path.read_text().strip()


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env("DJANGO_SECRET_KEY") or (local_secret("secret_key") if DEBUG else None)
if not SECRET_KEY:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY in the environment.")
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS")
# Marketplace passwords and subscription keys, customers' passwords and webhook
# secrets are encrypted with a Fernet key derived from SECRET_KEY and this salt
# (django-fernet-encrypted-fields); docs/operations.md rotates it.
SALT_KEY = env("FIELD_ENCRYPTION_SALT") or (local_secret("field_salt") if DEBUG else None)
if not SALT_KEY:
    raise ImproperlyConfigured("Set FIELD_ENCRYPTION_SALT in the environment.")
# While a key is rotated (manage.py rotate_field_key) the old salt still
# decrypts: the library tries every SECRET_KEY (and fallback) with every salt.
if env_list("FIELD_ENCRYPTION_SALT_FALLBACKS"):
    SALT_KEY = [SALT_KEY, *env_list("FIELD_ENCRYPTION_SALT_FALLBACKS")]

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "formtools",
    "django_countries",
    "phonenumber_field",
    "django_htmx",
    "js_lib_htmx",
    "template_partials",
    "csp",
    "axes",
    "ninja",
    "customers",
    "catalog",
    "orders",
    "wizard",
    "api",
    "evidence",
    "reminders",
    "relationships",
    "renewals",
    "estate",
    "webhooks",
    "subscriptions",
    "support",
    "home",
    "django_prometheus",
    "django_structlog",
    "operations",
    "mail",
    "pricing",
    "billing",
    # Two-factor sign-in (customers/two_factor.py): authenticator codes and recovery codes,
    # kept encrypted by devices of our own (customers/devices.py). django-otp's TOTP and
    # static plugins stay installed only for customers 0012, which moves their plain-text rows
    # into ours (and back): their tables are empty after it, and nothing else uses them.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    # First and last: django-prometheus times every request between the two.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the address: control characters and too many parameters are a 400.
    "config.request_edge.RequestEdgeMiddleware",
    # Marketplace calls made for a request wait out only a short 429 pause (customers/upstream).
    "customers.middleware.PersonWaitingMiddleware",
    "api.middleware.ApiProblemMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Django's LocaleMiddleware, after authentication: a user's saved language comes first.
    "customers.language.UserLocaleMiddleware",
    # request.user.is_verified(); then who must give a code before any page (customers/).
    "django_otp.middleware.OTPMiddleware",
    "customers.middleware.TwoFactorMiddleware",
    "customers.middleware.ReadOnlySupportMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "config.session_limits.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Binds the request id, the user and the address to every log line of the request.
    "django_structlog.middlewares.RequestMiddleware",
    # Last, so it turns a lockout flagged by any login view into the locked-out page.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one file: wait for the writer instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # A kept connection is checked (SELECT 1) before its first use in each request or task
    # (config/celery.py), so a restarted PostgreSQL costs one reconnect, not a failed task.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "nce"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

AUTH_USER_MODEL = "customers.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out username + address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"

# Sign-in lockout (django-axes), on /accounts/login/ and /admin/login/ alike: after
# LOGIN_FAILURE_LIMIT wrong passwords for one username from one address, that pair is
# refused for LOGIN_COOLOFF_MINUTES (counted from the failure that locked it); a success
# clears the count. Admins see and clear lockouts under "Axes" in the admin.
AXES_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=float(env("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "config.client_address.lockout_response"
# Spraying (config/login_throttle.py): one username from any number of addresses is slowed
# (not locked) after LOGIN_USERNAME_SLOWDOWN_AFTER failures in the cool-off window: 30 s after
# the last failure, doubling, at most LOGIN_USERNAME_MAX_DELAY_SECONDS; one address is refused
# for every username after LOGIN_ADDRESS_FAILURE_LIMIT failures, for the cool-off.
AXES_HANDLER = "config.login_throttle.ThrottlingHandler"
LOGIN_USERNAME_SLOWDOWN_AFTER = int(env("LOGIN_USERNAME_SLOWDOWN_AFTER", "10"))
LOGIN_USERNAME_MAX_DELAY_SECONDS = int(env("LOGIN_USERNAME_MAX_DELAY_SECONDS", "300"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(env("LOGIN_ADDRESS_FAILURE_LIMIT", "20"))
# The client's address: REMOTE_ADDR, or, behind TRUSTED_PROXY_COUNT reverse proxies that
# each append to X-Forwarded-For, the address the outermost of them saw. Never a header
# value a client could have written itself (config/client_address.py).
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "config.client_address.client_address"
AXES_SENSITIVE_PARAMETERS = ["password"]

# Sessions: signed out after SESSION_IDLE_MINUTES without activity, and in any case
# SESSION_ABSOLUTE_HOURS after signing in (config/session_limits.py). The cookie never
# outlives the absolute limit.
SESSION_IDLE_SECONDS = int(float(env("SESSION_IDLE_MINUTES", "30")) * 60)
SESSION_ABSOLUTE_SECONDS = int(float(env("SESSION_ABSOLUTE_HOURS", "12")) * 3600)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
LOGIN_REDIRECT_URL = "home"

# Two-factor sign-in (customers/two_factor.py): admins and support always, a reseller's staff
# when the reseller requires it, anyone before a stored password, webhook secret or API token.
# A wrong code counts as a failed sign-in for django-axes; each device also waits 2^n seconds
# after n wrong codes in a row. TWO_FACTOR_PENDING_SECONDS: how long the password step holds.
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "NCE Orders")
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
TWO_FACTOR_PENDING_SECONDS = 300
TWO_FACTOR_RECOVERY_CODES = 10
LOGOUT_REDIRECT_URL = "login"

TIME_ZONE = "UTC"
USE_TZ = True

# Languages (docs/i18n.md): a signed-in user's saved choice, else the language cookie the
# header's switcher sets, else the browser's Accept-Language, else English. URLs carry no
# language prefix: links in e-mails, API clients and bookmarks stay the same in every language.
USE_I18N = True
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("es", "Español"),
    ("nl", "Nederlands"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and decimals follow the active language's formats (Django's). No thousand separator
# on every number: ids and counts in attributes and URLs must stay plain; money and
# quantities are grouped by Babel (catalog/price_words.py, customers/templatetags/words.py).
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Mail goes through a backend that counts sent and failed messages (operations/mail.py),
# then through EMAIL_BACKEND from the environment.
EMAIL_BACKEND = "operations.mail.CountingEmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "orders@localhost")
# Where people reach this site: links in e-mails are read outside the browser,
# so they must be absolute. dev.py up sets it from HOST and PORT.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

PHONENUMBER_DEFAULT_FORMAT = "E164"

# Content Security Policy: everything from our own origin; htmx is served locally.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
    }
}

# Celery: JSON only, explicit queues, at-least-once delivery. Exactly-once
# submission comes from the database (orders.services), not from the broker.
CELERY_BROKER_URL = env("CELERY_BROKER_URL") or REDIS_URL or "filesystem://localhost//"
if CELERY_BROKER_URL.startswith("filesystem://"):
    # Producers and the worker share one folder of messages; the exchange
    # bindings (incl. the broadcast ones `celery inspect` uses) live beside it,
    # not in the current directory, which is kombu's default.
    _broker_dir = VAR_DIR / "broker"
    for sub in ("out", "processed", "control"):
        (_broker_dir / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    if CELERY_BROKER_URL.startswith("redis://"):
        # kombu's Redis transport with a fix that keeps workers alive when Redis dies.
        CELERY_BROKER_TRANSPORT = "config.broker:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": int(env("CELERY_VISIBILITY_TIMEOUT", "3600")),
        "global_keyprefix": env("CELERY_KEY_PREFIX", ""),
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fixup closes the database connection after every task unless this is set;
# a worker then keeps its connection for this many tasks (a new connection was ~5 % of a
# poll's time at 1,000 orders in flight). Kept, not trusted: config/celery.py checks it
# around every task (CONN_HEALTH_CHECKS) and closes it after CONN_MAX_AGE or an error.
CELERY_DB_REUSE_MAX = int(env("CELERY_DB_REUSE_MAX", "200"))
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "orders.submit_*": {"queue": "submit"},
    "orders.reconcile_*": {"queue": "submit"},
    "orders.poll_*": {"queue": "poll"},
    "orders.record_finished_orders": {"queue": "poll"},
    "orders.read_order_details": {"queue": "poll"},
    "webhooks.*": {"queue": "default"},  # every worker delivers webhooks; split out if needed
}
# Webhooks (docs/webhooks.md): receivers on private addresses only where this is on.
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", DEBUG)
WEBHOOKS_TIMEOUT_SECONDS = float(env("WEBHOOKS_TIMEOUT_SECONDS", "10"))
WEBHOOKS_DISABLE_AFTER_FAILURES = int(env("WEBHOOKS_DISABLE_AFTER_FAILURES", "50"))
WEBHOOKS_DISABLE_AFTER_HOURS = float(env("WEBHOOKS_DISABLE_AFTER_HOURS", "24"))
WEBHOOKS_API_BASE_URL = env("WEBHOOKS_API_BASE_URL", "")
# Evidence packs are signed with Ed25519 (evidence/signing.py): the base64 of a 32-byte seed;
# when empty the key is derived from DJANGO_SECRET_KEY (set it in production).
EVIDENCE_SIGNING_KEY = env("EVIDENCE_SIGNING_KEY", "")
# The wizard's live relationship check, per user and minute (wizard/live.py).
WIZARD_RELATIONSHIP_CHECKS_PER_MINUTE = int(env("WIZARD_RELATIONSHIP_CHECKS_PER_MINUTE", "10"))
# The wizard's partner step does not ask the marketplace again (two requests) for the same MPN
# ID and tenant it confirmed READY this recently (wizard/services.py). The partner profile page
# always asks; 0 asks on every order.
WIZARD_PARTNER_READY_FRESH_SECONDS = int(env("WIZARD_PARTNER_READY_FRESH_SECONDS", "900"))
# After a rotation the previous signing secret keeps signing (beside the new one) this long.
WEBHOOKS_SECRET_GRACE_HOURS = float(env("WEBHOOKS_SECRET_GRACE_HOURS", "24"))
CELERY_BEAT_SCHEDULE = {
    # The database is the record: these find whatever the broker lost or was never told.
    "orders-poll-due": {
        "task": "orders.poll_due_orders",
        "schedule": float(env("ORDERS_POLL_DUE_INTERVAL_SECONDS", "2")),
    },
    "webhooks-deliver-due": {"task": "webhooks.deliver_due", "schedule": 60.0},
    "orders-redeliver-events": {"task": "orders.redeliver_events", "schedule": 60.0},
    "orders-sweep": {
        "task": "orders.sweep_placed_orders",
        "schedule": float(env("ORDERS_SWEEP_INTERVAL_SECONDS", "15")),
    },
    "relationships-check-due": {
        "task": "relationships.check_due",
        "schedule": float(env("RELATIONSHIP_CHECK_INTERVAL_SECONDS", "60")),
    },
    "renewals-sync": {
        "task": "renewals.sync_due",
        "schedule": float(env("RENEWALS_SYNC_INTERVAL_SECONDS", "900")),
    },
    "reminders-cancellation": {
        "task": "reminders.send_cancellation_reminders",
        "schedule": float(env("CANCELLATION_REMINDER_INTERVAL_SECONDS", "900")),
    },
    # Issue 23: what each renewal will do, 30 and 7 days before it (RENEWAL_REMINDER_DAYS).
    "reminders-renewal": {
        "task": "reminders.send_renewal_reminders",
        "schedule": float(env("RENEWAL_REMINDER_INTERVAL_SECONDS", "3600")),
    },
    # Issue 24: last month's bill is asked for daily until a check of it exists; reports
    # being generated are looked at again when due.
    "billing-check-last-month": {"task": "billing.check_last_month", "schedule": 3600.0},
    "billing-poll-due": {
        "task": "billing.poll_due",
        "schedule": float(env("BILLING_POLL_INTERVAL_SECONDS", "10")),
    },
    # Issue 23: the estate sync (drift outside this product) and import runs whose task was lost.
    "estate-sync": {
        "task": "estate.sync_due",
        "schedule": float(env("ESTATE_SYNC_INTERVAL_SECONDS", "3600")),
    },
    "estate-resume-runs": {"task": "estate.resume_runs", "schedule": 60.0},
}
#: Issue 23: a page of an estate import that failed is read again after this many seconds
#: (doubling with each failure, at most ten minutes).
ESTATE_RETRY_BASE_SECONDS = float(env("ESTATE_RETRY_BASE_SECONDS", "5"))
#: Hours before a 7-day cancellation window closes at which the reseller is reminded.
CANCELLATION_REMINDER_HOURS = tuple(
    int(hours) for hours in env_list("CANCELLATION_REMINDER_HOURS", "48,24")
)
#: Days before a subscription's renewal date at which the reseller is told what it will do.
#: A threshold as long as a subscription's term is skipped for it (a monthly term: only 7).
RENEWAL_REMINDER_DAYS = tuple(int(days) for days in env_list("RENEWAL_REMINDER_DAYS", "30,7"))
#: The relationship tracker (relationships/conf.py): first check after FIRST_CHECK_SECONDS,
#: doubling to MAX_INTERVAL_SECONDS, stopping after GIVE_UP_AFTER_DAYS.
RELATIONSHIP_TRACKER = {
    "GIVE_UP_AFTER_DAYS": float(env("RELATIONSHIP_GIVE_UP_AFTER_DAYS", "14")),
}
# The order pipeline's timings (seconds) and the upstream request budget per connection.
ORDERS_PIPELINE = {
    # A worker silent this long in "submitting" is presumed dead (above the POST timeout + retries).
    "SUBMIT_STALE_SECONDS": float(env("ORDERS_SUBMIT_STALE_SECONDS", "420")),
    # An order not found upstream this long after its send became uncertain was never created.
    "RECONCILE_SETTLE_SECONDS": float(env("ORDERS_RECONCILE_SETTLE_SECONDS", "180")),
    "RECONCILE_INTERVAL_SECONDS": float(env("ORDERS_RECONCILE_INTERVAL_SECONDS", "20")),
    # A reference search pages through every order of the window; after this many searches
    # that could not cover it all, the order goes to a person (never back to the wire).
    "RECONCILE_PAGE_SIZE": int(env("ORDERS_RECONCILE_PAGE_SIZE", "500")),
    "RECONCILE_MAX_ORDERS": int(env("ORDERS_RECONCILE_MAX_ORDERS", "2000")),
    "RECONCILE_MAX_INCOMPLETE": int(env("ORDERS_RECONCILE_MAX_INCOMPLETE", "10")),
    "RECONCILE_ESCALATED_INTERVAL_SECONDS": float(
        env("ORDERS_RECONCILE_ESCALATED_INTERVAL_SECONDS", "600")
    ),
    # A freshly placed order is left to its own task this long before the sweeper re-enqueues it.
    "PLACED_GRACE_SECONDS": float(env("ORDERS_PLACED_GRACE_SECONDS", "10")),
    "POLL_REQUESTS_PER_MINUTE": int(env("ORDERS_POLL_REQUESTS_PER_MINUTE", "300")),
    "POLL_BATCH_SIZE": int(env("ORDERS_POLL_BATCH_SIZE", "500")),
    # Poll delays by order age: [(age below, delay)], then the last delay for older orders.
    "POLL_SCHEDULE": [(60, 2), (600, 10), (3600, 60), (86400, 300)],
    "POLL_MAX_DELAY_SECONDS": 900,
    "POLL_LEASE_SECONDS": float(env("ORDERS_POLL_LEASE_SECONDS", "60")),
    "RETRY_BASE_SECONDS": float(env("ORDERS_RETRY_BASE_SECONDS", "5")),
    "RETRY_MAX_SECONDS": float(env("ORDERS_RETRY_MAX_SECONDS", "600")),
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# The upstream Marketplace API. Without MARKETPLACE_BASE_URL the demo
# connection points at the simulator on loopback.
SIMULATOR_URL = env("SIMULATOR_URL", "http://127.0.0.1:8100")
MARKETPLACE = {
    "BASE_URL": env("MARKETPLACE_BASE_URL", f"{SIMULATOR_URL}/marketplace/eu"),
    "MARKETPLACE_CODE": env("MARKETPLACE_CODE", "us"),
    "USERNAME": env("MARKETPLACE_USERNAME", "demo-reseller"),
    "PASSWORD": env("MARKETPLACE_PASSWORD", "demo-password"),
    "SUBSCRIPTION_KEY": env("MARKETPLACE_SUBSCRIPTION_KEY", "demo-subscription-key"),
    "TIMEOUT_SECONDS": float(env("MARKETPLACE_TIMEOUT_SECONDS", "30")),
    "ORDER_TIMEOUT_SECONDS": float(env("MARKETPLACE_ORDER_TIMEOUT_SECONDS", "120")),
    # The longest marketplace pause (a 429's Retry-After) a person's request waits out; a
    # longer one is answered at once with the wait (customers/upstream.py). Workers wait 5 s.
    "WEB_MAX_WAIT_SECONDS": float(env("MARKETPLACE_WEB_MAX_WAIT_SECONDS", "1")),
}
# Dotted path to a zero-argument callable returning the httpx transport that
# marketplace clients use (tests serve the simulator in-process); None in real use.
MARKETPLACE_TRANSPORT = env("MARKETPLACE_TRANSPORT")
# Whom a reseller contacts about a failed order (shown with the correlation id to quote).
MARKETPLACE_SUPPORT_CONTACT = env(
    "MARKETPLACE_SUPPORT_CONTACT", "your distributor's Cloud Marketplace support team"
)
# The distributor's Microsoft partner id: a customer's Global Admin accepts the distributor
# as its indirect provider on the admin portal's partner-invitation page (seed 002).
DISTRIBUTOR_PARTNER_ID = env("DISTRIBUTOR_PARTNER_ID") or "a27ac673-9a4c-446c-bd28-280c0bf7cf71"

# The JSON API's rate limits, counted in the cache (Redis) so every web process shares them.
API_RATE_LIMITS = {
    "REQUESTS_PER_MINUTE": int(env("API_REQUESTS_PER_MINUTE", "120")),
    "ORDERS_PER_MINUTE": int(env("API_ORDERS_PER_MINUTE", "10")),
    "FAILED_AUTH_PER_MINUTE": int(env("API_FAILED_AUTH_PER_MINUTE", "10")),
    "TRUSTED_PROXIES": int(env("API_TRUSTED_PROXIES", "0")),
}

# Microsoft gives no length limit for a new tenant's prefix; 63 is the DNS bound.
TENANT_PREFIX_MAX_LENGTH = int(env("TENANT_PREFIX_MAX_LENGTH", "27"))

# Operations (docs/operations.md): /healthz, /readyz, /metrics and the worker's metrics port.
OPERATIONS = {
    # /metrics and the worker's metrics endpoint answer only "Authorization: Bearer <this>".
    "METRICS_TOKEN": env("METRICS_TOKEN", ""),
    # /readyz fails when beat has not ticked for this long (it ticks every few seconds).
    "BEAT_MAX_SILENCE_SECONDS": float(env("BEAT_MAX_SILENCE_SECONDS", "120")),
    # An order in flight whose state has not changed for this long counts as stuck.
    "STUCK_ORDER_SECONDS": float(env("OPERATIONS_STUCK_ORDER_SECONDS", "1800")),
    # The backend that really sends mail; operations.mail counts what it did.
    "EMAIL_BACKEND": env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"),
}
# Beat records each tick in the cache, where /readyz reads it (operations/beat.py).
CELERY_BEAT_SCHEDULER = "operations.beat:HeartbeatScheduler"
# Celery keeps Django's LOGGING (JSON or plain lines) instead of installing its own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# django-structlog passes the request id from a request to the tasks it enqueues.
DJANGO_STRUCTLOG_CELERY_ENABLED = True

# Logs: one JSON object a line (LOG_FORMAT=json, the default with DEBUG off), or plain lines
# (the default with DEBUG on, as under dev.py up). Secrets are redacted in both.
LOGGING = logging_config(
    log_format=env("LOG_FORMAT", "plain" if DEBUG else "json"), level=env("LOG_LEVEL", "INFO")
)

# Errors to Sentry, only when SENTRY_DSN is set (its Django and Celery integrations load
# themselves); no personal data is sent.
SENTRY_DSN = env("SENTRY_DSN")
if SENTRY_DSN:
    import sentry_sdk

    from operations.errors import sentry_before_send

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", "production"),
        send_default_pii=False,
        traces_sample_rate=0.0,  # traces go to OpenTelemetry (operations/tracing.py)
        before_send=sentry_before_send,  # the logs' redaction (marketplace.redaction)
    )
