"""The one settings module. Everything that differs between machines comes from the environment.

With nothing set, it runs as a developer expects: DEBUG on, an SQLite file in the project folder.
With DEBUG off it refuses to start without SECRET_KEY and ALLOWED_HOSTS. Every variable is listed in
README.md and .env.example.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from strategy_tracker import languages

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if DEBUG:
    SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]
else:
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "simple_history",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "initiatives",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files: compressed at collectstatic
    # Pages compressed for clients that accept it (with Django's random padding against BREACH), below the
    # middleware that answer before any view and above those that read or write the body.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "initiatives.language.RememberedLanguageMiddleware",  # after the language is known, before any page
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "initiatives.caching.PageCacheMiddleware",  # last: a cached page still gets every header above
]

ROOT_URLCONF = "strategy_tracker.urls"

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
                "initiatives.context_processors.navigation",
                "initiatives.context_processors.languages",
            ],
        },
    },
]

WSGI_APPLICATION = "strategy_tracker.wsgi.application"


def database(url: str, conn_max_age: int = 0) -> dict:
    """The settings of the database at `url`, as the app runs on it (bench/settings.py uses this too)."""
    config = dj_database_url.parse(url, conn_max_age=conn_max_age)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Write transactions take SQLite's write lock when they begin, and a second one waits for it (up to
        # `timeout` seconds): it then reads the first one's save and is refused with the 409, instead of both
        # reading and the second failing with "database is locked" (a 500) when it tries to write.
        config.setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 10})
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # No JIT compilation: the state engine's queries (initiatives/state.py) carry many correlated
        # subqueries, so PostgreSQL's cost estimate passes jit_above_cost once a few hundred procedures are
        # recorded, and it then spends ~14 ms compiling a query that runs in ~1 ms (EXPLAIN ANALYZE, 1,500
        # procedures). Short queries are all this app makes.
        config.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    return config


DATABASES = {
    # An empty DATABASE_URL (as in a copied .env.example) means the default SQLite file.
    "default": database(os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
                        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE") or "0")),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis (Django's RedisCache, reusing its redis-py client: strategy_tracker/cache.py) when REDIS_URL is set,
# shared by every gunicorn worker; otherwise a per-process memory cache. PAGE_CACHE_SECONDS > 0 keeps whole
# anonymous public pages in it (initiatives/caching.py), invalidated on every change to the app's data; on by
# default only with Redis, because a per-process cache could not be invalidated across workers.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "strategy_tracker.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "tracker"),
            "TIMEOUT": 300,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The page's frame for an anonymous visitor (header, as-of bar, footer, language alternates: base.html's
# {% cache %} fragments) depends on its address, the language and the day, never on the data: each process keeps
# its own, and a release starts new processes. Bounded: an unseen address costs one render and evicts the oldest.
CACHES["fragments"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments",
                       "TIMEOUT": 86400, "OPTIONS": {"MAX_ENTRIES": 2000}}
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300" if REDIS_URL else "0"))
# Computed parts of pages (the overview's figures ...: caching.computed), under the same rule; pages still render.
DATA_CACHE_SECONDS = int(os.environ.get("DATA_CACHE_SECONDS", "300" if REDIS_URL else "0"))

# Sessions live in the database, which every app server shares, so a session opened on one server is valid on
# the others, provided all have the same SECRET_KEY (it signs the session data and the messages cookie). Uploads
# waiting between preview and apply are in the database too (initiatives/models/imports.py). Several servers
# share the cache through REDIS_URL, with the same CACHE_KEY_PREFIX (README: "Several app servers").
SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "initiatives:after_login"  # staff to /staff/, a liaison to /liaison/
LOGOUT_REDIRECT_URL = "initiatives:overview"  # in the language of the page logged out from

# How many proxies in front of the app append to X-Forwarded-For (0: none, the header is ignored). The client
# address of the API rate limit and the login lockout is read through them only (initiatives/client.py).
_trusted_proxies = (os.environ.get("TRUSTED_PROXY_COUNT") or "0").strip()
if not _trusted_proxies.isdecimal():
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT must be a whole number of proxies (0 or more), not "
                               f"{_trusted_proxies!r}")
TRUSTED_PROXY_COUNT = int(_trusted_proxies)

# django-axes: lock an account and address out after 5 failed logins, for an hour.
AXES_CLIENT_IP_CALLABLE = "initiatives.client.client_address"
AXES_FAILURE_LIMIT = 5
AXES_VERBOSE = False
AXES_COOLOFF_TIME = 1
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# English, and every language whose catalogue under locale/ is at least 95% translated, each named in itself
# (strategy_tracker/languages.py; `manage.py translation_coverage` prints the coverage).
LANGUAGE_CODE = "en"
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGES = languages.offered_languages(LOCALE_PATHS)
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Brussels")
USE_I18N = True
# English dates as "27 January 2014"; French and German use Django's own formats.
FORMAT_MODULE_PATH = ["strategy_tracker.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading is a commitment for every subdomain that the operator opts into, not a default:
        # `check --deploy` would otherwise warn about it on every deployment that has not opted in.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # A load balancer's plain-HTTP health probe gets an answer, not a redirect.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content-Security-Policy (django-csp): nothing leaves the site's origin; no inline script or style.
# Charts reach the page through json_script and one static JS file; plotly.css is linked, not injected.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

# The read-only API (/api/): JSON only, published data, anonymous clients rate-limited per client address
# (initiatives/client.py; API_ANON_RATE, e.g. "1000/hour"; counted in the default cache, so per process unless
# CACHES is shared).
API_ANON_RATE = os.environ.get("API_ANON_RATE", "1000/hour")
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["initiatives.api.limits.AnonymousThrottle"],
    "DEFAULT_PAGINATION_CLASS": "initiatives.api.limits.Pagination",
    "PAGE_SIZE": 50,
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,  # the throttle reads the address through initiatives/client.py
}
SPECTACULAR_SETTINGS = {
    "TITLE": "EU CSA Strategy Tracker API",
    "DESCRIPTION": "Read-only access to the published data of the tracker of COM(2020) 607: initiatives, key "
                   "actions, the transposition of Directive 2011/93/EU and infringement procedures. Dates keep "
                   "their precision: `2014-01` with precision `month` means January 2014, day unknown.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "AUTHENTICATION_WHITELIST": [],  # public and read-only: the docs offer no log-in
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # A date's precision is given as its bare values (api/serializers.py: PRECISION_SCHEMA); the stages of an
    # infringement procedure and of a legislative file are two vocabularies that share the field name "stage".
    "ENUM_NAME_OVERRIDES": {"PrecisionEnum": ["day", "month", "quarter", "year", "between"],
                            "StageEnum": "initiatives.choices.Stage",
                            "LegislativeStageEnum": "initiatives.choices.LegislativeStageKind"},
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "initiatives.api.schema.add_error_responses"],
}

# Where the shipped, sourced data lives (copied from the research folder, see fixtures/data/README.md).
REAL_DATA_DIR = Path(os.environ.get("REAL_DATA_DIR") or BASE_DIR / "fixtures" / "data")
STRATEGY_TEXT_PATH = Path(os.environ.get("STRATEGY_TEXT_PATH") or BASE_DIR / "fixtures" / "seeds" / "com_2020_607.txt")

# Staff see "needs checking" on a record not verified against its sources for this many months
# (initiatives/freshness.py): a whole number, at least 1.
_freshness_months = (os.environ.get("FRESHNESS_MONTHS") or "6").strip()
if not _freshness_months.isdecimal() or int(_freshness_months) < 1:
    raise ImproperlyConfigured(f"FRESHNESS_MONTHS must be a whole number of months, at least 1, not "
                               f"{_freshness_months!r}")
FRESHNESS_MONTHS = int(_freshness_months)

# Email (password resets, error mails): written to the console in development; in production sent over SMTP,
# by default to a mail server on this machine (EMAIL_HOST localhost, port 25).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST") or "localhost"
_email_port = (os.environ.get("EMAIL_PORT") or "25").strip()
if not _email_port.isdecimal():
    raise ImproperlyConfigured(f"EMAIL_PORT must be a port number, not {_email_port!r}")
EMAIL_PORT = int(_email_port)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS (STARTTLS, usually port 587) and EMAIL_USE_SSL (port 465) exclude "
                               "each other: set one.")
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL") or "tracker@localhost"
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Demo accounts (create_demo_accounts, refused when DEBUG is off).
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "tracker-demo")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
