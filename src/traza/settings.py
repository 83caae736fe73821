"""Settings, read from environment variables with safe defaults for local use.

Production sets at least SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS and the e-mail settings
(see docs/operations.md).
"""

import os
import secrets
import sys
from pathlib import Path

import dj_database_url
import django
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from traza.core.clients import parse_trusted_proxies as _check_trusted_proxies
from traza.notifications.addresses import default_sender, local_base_url


def env_int(name: str, default: str) -> int:
    """A whole-number setting from the environment; a bad value stops start-up, naming it."""
    raw = os.environ.get(name, default)
    try:
        return int(raw)
    except ValueError:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("TRAZA_VAR_DIR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)  # private: the database, keys, files

TESTING = "pytest" in sys.modules or os.environ.get("TRAZA_TESTING") == "1"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _local_secret_key() -> str:
    """A per-installation key kept under var/, so local sessions survive restarts."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "traza.core",
    "traza.accounts",
    "traza.plans",
    "traza.notifications",
    "traza.cocreation",
    "traza.monitoring",
    "traza.forum",
    "traza.repository",
    "traza.assessment",
    "traza.workbench",
    "traza.reports",
    "traza.api",
    "traza.activity",
    "traza.ops",
]

MIDDLEWARE = [
    "traza.core.middleware.DatabaseDownMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Public pages, JSON and CSV compressed for slow rural connections (static files:
    # WhiteNoise serves them pre-compressed); signed-in pages are not (BREACH).
    "traza.core.middleware.PublicGZipMiddleware",
    # An ETag for every page; a repeated request with If-None-Match answers 304, no body.
    "django.middleware.http.ConditionalGetMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # NUL, control characters, over-long addresses: a translated 400 before any view runs.
    "traza.core.middleware.CleanInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Public pages from a cache the trace invalidates (traza.ops.pagecache).
    "traza.ops.pagecache.PublicPageCacheMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "traza.accounts.middleware.StaffIdleTimeoutMiddleware",  # after messages: it leaves one
    "traza.accounts.middleware.StaffSecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "traza.core.ratelimit.RateLimitMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "traza.urls"
WSGI_APPLICATION = "traza.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "traza.core.context_processors.site",
            ],
            # {% content_lang %}: lang="es" on user-written content in pages of other languages
            "builtins": ["traza.core.templatetags.content_lang"],
        },
    },
]

DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'traza.sqlite3'}"
DATABASE_URL = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
if TESTING and os.environ.get("TRAZA_TEST_DATABASE_URL"):
    DATABASE_URL = os.environ["TRAZA_TEST_DATABASE_URL"]
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL: readers never wait for the writer. IMMEDIATE: a writing transaction takes the lock
    # when it begins, so it waits for the one before it instead of failing half-way. A busy
    # timeout of 20 s (Python's default is 5 s): a request waits for another's short write
    # instead of answering "database is locked". Slow work (document text) runs after commit.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Exact JSON for backups (traza.ops.backup): timestamps to the microsecond.
SERIALIZATION_MODULES = {
    "trazajson": "traza.core.fullserializer",  # backups of version 1, read whole
    "trazajsonl": "traza.core.fullserializer_lines",  # backups since: a line at a time
}
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "plans:home"
LOGOUT_REDIRECT_URL = "plans:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # reads hashes made before Argon2
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # throttles and locks out repeated failures
    "django.contrib.auth.backends.ModelBackend",
    "traza.accounts.backends.EmailBackend",
]
# Login lock-out: after 5 failures for the same account from the same address, 15 minutes.
AXES_FAILURE_LIMIT = env_int("TRAZA_LOGIN_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = env_int("TRAZA_LOGIN_COOLOFF_MINUTES", "15") / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The client's address behind the reverse proxy: unset (or 0) trusts no X-Forwarded-For; a
# number N of proxies in front; or the proxies' addresses/networks, comma-separated. Used by
# the lock-out and the rate limits alike (traza.core.clients, docs/operations.md).
TRAZA_TRUSTED_PROXIES = os.environ.get("TRAZA_TRUSTED_PROXIES", "").strip()
_check_trusted_proxies(TRAZA_TRUSTED_PROXIES)  # a bad value stops start-up, naming it
AXES_CLIENT_IP_CALLABLE = "traza.core.clients.client_ip"
AXES_USERNAME_CALLABLE = "traza.core.clients.lockout_name"  # cut to the records' 255 characters
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Staff must confirm each session with a TOTP code before they reach any page.
TRAZA_REQUIRE_STAFF_2FA = env_bool("TRAZA_REQUIRE_STAFF_2FA", True)
# A staff session idle for longer than this is signed out on its next request.
TRAZA_STAFF_IDLE_MINUTES = env_int("TRAZA_STAFF_IDLE_MINUTES", "30")
if TRAZA_STAFF_IDLE_MINUTES < 1:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("TRAZA_STAFF_IDLE_MINUTES must be at least 1.")
OTP_TOTP_ISSUER = "Traza"
# Registrations and attendance lists lose their personal data this long after the event.
TRAZA_REGISTRATION_RETENTION_DAYS = env_int("TRAZA_REGISTRATION_RETENTION_DAYS", "365")
# An uploaded matrix of contributions keeps its file (it may hold names and addresses) so long.
TRAZA_MATRIX_RETENTION_DAYS = env_int("TRAZA_MATRIX_RETENTION_DAYS", "30")
# How long a link to verify an e-mail address stays valid.
TRAZA_EMAIL_LINK_DAYS = 3
# Key of the pseudonyms that replace erased e-mail addresses (HMAC-SHA256); empty: derived
# from SECRET_KEY. Rotating it only stops new pseudonyms matching the old ones.
TRAZA_PSEUDONYM_KEY = os.environ.get("TRAZA_PSEUDONYM_KEY", "")
# The Ed25519 key that signs the trace's checkpoints (`traza checkpoint`): a PEM file outside
# the database, made with `traza trace-key`. When the variable is not set (local use, tests)
# one is generated under var/ on first use; when it is set, the file must exist.
TRAZA_TRACE_SIGNING_KEY_FILE = Path(
    os.environ.get("TRAZA_TRACE_SIGNING_KEY_FILE") or VAR_DIR / "trace-signing-key.pem"
)
TRAZA_TRACE_SIGNING_KEY_AUTO = not os.environ.get("TRAZA_TRACE_SIGNING_KEY_FILE")
# The public key (PEM), for web servers that should not read the private key; empty: derived.
TRAZA_TRACE_PUBLIC_KEY = os.environ.get("TRAZA_TRACE_PUBLIC_KEY", "")
# Where `traza verify-trace` keeps the state of its last verification (to go on from there).
TRAZA_TRACE_VERIFIED_FILE = Path(
    os.environ.get("TRAZA_TRACE_VERIFIED_FILE") or VAR_DIR / "trace-verified.json"
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "America/Lima")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploaded files in an S3-compatible object store (several application servers share it):
# TRAZA_S3_BUCKET, with AWS_S3_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY. Files
# stay private in the bucket; Traza serves them after its own checks.
if os.environ.get("TRAZA_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["TRAZA_S3_BUCKET"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
# Serve static files straight from the apps, so `traza serve` needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

_EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
_EMAIL_OPTIONS = {
    "host": os.environ.get("EMAIL_HOST", "localhost"),
    "port": env_int("EMAIL_PORT", "25"),
    "username": os.environ.get("EMAIL_HOST_USER", ""),
    "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
    "use_tls": env_bool("EMAIL_USE_TLS", False),
}
if django.VERSION >= (6, 1):
    # Django 6.1 configures mail through MAILERS; only the SMTP backend takes these options.
    MAILERS = {
        "default": {
            "BACKEND": _EMAIL_BACKEND,
            "OPTIONS": _EMAIL_OPTIONS if _EMAIL_BACKEND.endswith("smtp.EmailBackend") else {},
        }
    }
else:
    EMAIL_BACKEND = _EMAIL_BACKEND
    EMAIL_HOST = _EMAIL_OPTIONS["host"]
    EMAIL_PORT = _EMAIL_OPTIONS["port"]
    EMAIL_HOST_USER = _EMAIL_OPTIONS["username"]
    EMAIL_HOST_PASSWORD = _EMAIL_OPTIONS["password"]
    EMAIL_USE_TLS = _EMAIL_OPTIONS["use_tls"]
# DEFAULT_FROM_EMAIL is set below, from the host of TRAZA_BASE_URL unless given.

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)  # True behind HTTPS in production
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy: no inline script or style anywhere, nothing from other origins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# HTTPS in production (docs/security.md): HSTS, redirect, the proxy's header.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", "0")
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
# Rate limits per client address: public form submissions and the API / downloads.
TRAZA_RATE_LIMITS = env_bool("TRAZA_RATE_LIMITS", True)
TRAZA_FORM_RATE = os.environ.get("TRAZA_FORM_RATE", "20/m")
TRAZA_API_RATE = os.environ.get("TRAZA_API_RATE", "300/m")
RATELIMIT_USE_CACHE = "default"
# Rendered public pages, keyed by the data's version (traza.ops.pagecache): kept this many
# seconds at most (what changes with the clock alone); 0 turns the page cache off.
TRAZA_PAGE_CACHE_SECONDS = env_int("TRAZA_PAGE_CACHE_SECONDS", "60")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}
# A shared cache for several application servers (rate limits, lock-outs, pages): REDIS_URL.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "pages",
        },
    }
else:
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

TRAZA_NOTICE_DAYS = env_int("TRAZA_NOTICE_DAYS", "14")  # product choice, not an OGP rule
# Star rule of the IRM's 2017-2020 reports ("2017": transformative impact) or the looser
# 2014 one ("2014": moderate or transformative). OGP-RULES.md §1.1.
TRAZA_STAR_RULE = os.environ.get("TRAZA_STAR_RULE", "2017")
TRAZA_DISCUSSION_PREMODERATION = os.environ.get("TRAZA_DISCUSSION_PREMODERATION", "1") != "0"
TRAZA_REMINDER_DAYS = env_int("TRAZA_REMINDER_DAYS", "14")  # days before a milestone is due
# OGP asks that the self-assessment be open to public comment for at least two weeks (seed 002).
TRAZA_SELF_ASSESSMENT_COMMENT_DAYS = env_int("TRAZA_SELF_ASSESSMENT_COMMENT_DAYS", "14")
# Product choices of the standards engine (DESIGN.md §2; docs/operations.md). A value outside
# its sane range stops the site at start-up with a clear message (traza.assessment.checks).
TRAZA_PARITY_TOLERANCE = env_int("TRAZA_PARITY_TOLERANCE", "1")
TRAZA_RESPONSE_WAIT_DAYS = env_int("TRAZA_RESPONSE_WAIT_DAYS", "30")
# The workbench's four-eyes rule: a response drafted by one account is published by another.
TRAZA_RESPONSE_FOUR_EYES = env_bool("TRAZA_RESPONSE_FOUR_EYES", False)
TRAZA_FORUM_IDLE_DAYS = env_int("TRAZA_FORUM_IDLE_DAYS", "90")
TRAZA_INVOLVE_RESPONSE_SHARE = env_int("TRAZA_INVOLVE_RESPONSE_SHARE", "100")
TRAZA_CONTRARY_GRACE_UNTIL = env_int("TRAZA_CONTRARY_GRACE_UNTIL", "2019")
# The 2017 standards that make a "starred process": seed 000 lost the bold that marked them,
# so the set is empty until an operator fills it from the IRM's original report (e.g. "1a,4a").
TRAZA_STARRED_PROCESS_CODES = [
    c.strip() for c in os.environ.get("TRAZA_STARRED_PROCESS_CODES", "").split(",") if c.strip()
]
TRAZA_MINIMUM_REQUIREMENTS = [
    c.strip()
    for c in os.environ.get("TRAZA_MINIMUM_REQUIREMENTS", "1.1,2.1,2.2,3.1,4.1,5.1").split(",")
    if c.strip()
]
# Licence of the open data (an SPDX identifier: CC-BY-4.0, CC0-1.0 or ODC-BY-1.0).
TRAZA_DATA_LICENSE = os.environ.get("TRAZA_DATA_LICENSE", "CC-BY-4.0")
TRAZA_MAX_UPLOAD_MB = env_int("TRAZA_MAX_UPLOAD_MB", "25")
# Office files (zip archives) are refused before anything opens them when they unpack to more
# than this, expand more than this many times their size, or hold more parts than this.
TRAZA_ARCHIVE_MAX_MB = env_int("TRAZA_ARCHIVE_MAX_MB", "100")
TRAZA_ARCHIVE_MAX_RATIO = env_int("TRAZA_ARCHIVE_MAX_RATIO", "100")
TRAZA_ARCHIVE_MAX_MEMBERS = env_int("TRAZA_ARCHIVE_MAX_MEMBERS", "5000")
# A document's text is extracted after the upload, in a process with these limits.
TRAZA_EXTRACT_SECONDS = env_int("TRAZA_EXTRACT_SECONDS", "20")
TRAZA_EXTRACT_MEMORY_MB = env_int("TRAZA_EXTRACT_MEMORY_MB", "512")
TRAZA_EXTRACT_MAX_PAGES = env_int("TRAZA_EXTRACT_MAX_PAGES", "2000")
FILE_UPLOAD_PERMISSIONS = 0o640
TRAZA_MAIL_DOMAIN = os.environ.get("TRAZA_MAIL_DOMAIN", "traza.local")  # right side of Message-IDs
TRAZA_MAIL_MAX_ATTEMPTS = env_int("TRAZA_MAIL_MAX_ATTEMPTS", "8")
TRAZA_MAIL_RETRY_BASE_SECONDS = env_int("TRAZA_MAIL_RETRY_BASE_SECONDS", "60")
TRAZA_MAIL_LEASE_SECONDS = env_int("TRAZA_MAIL_LEASE_SECONDS", "600")
# /healthz: "degraded" when mail waits longer than this; details only for staff or the bearer
# of this token (empty: staff only); requests per address (not counted with the token).
TRAZA_HEALTH_QUEUE_MINUTES = env_int("TRAZA_HEALTH_QUEUE_MINUTES", "15")
TRAZA_HEALTH_TOKEN = os.environ.get("TRAZA_HEALTH_TOKEN", "")
TRAZA_HEALTH_RATE = os.environ.get("TRAZA_HEALTH_RATE", "120/m")
# The public address of the site, for links in e-mails. Unset, the local server on PORT (what
# `make run` serves; `traza serve --port N` sets it to its own port).
TRAZA_BASE_URL = (
    os.environ.get("TRAZA_BASE_URL")
    or local_base_url(os.environ.get("HOST", "127.0.0.1"), os.environ.get("PORT", "8000"))
).rstrip("/")
TRAZA_SITE_NAME = os.environ.get("TRAZA_SITE_NAME", "Traza")
# The name of this trace in its signed checkpoints: the host of TRAZA_BASE_URL unless given.
TRAZA_TRACE_ORIGIN = (
    os.environ.get("TRAZA_TRACE_ORIGIN") or (TRAZA_BASE_URL.split("://", 1)[-1].split("/", 1)[0])
)
# The sender of every e-mail: "Traza <no-reply@HOST>" for the host of TRAZA_BASE_URL
# (no-reply@TRAZA_MAIL_DOMAIN when that is this machine).
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL") or default_sender(
    TRAZA_BASE_URL, TRAZA_SITE_NAME, TRAZA_MAIL_DOMAIN
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
