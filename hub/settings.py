"""Settings of the Partnership Hub: one module, read from environment variables (see .env.example)."""

import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import requests
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from hub.core.env import env_bool, env_int, env_list, env_str
from hub.deployment import toolsdb_url

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (see README: Configuration)."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_countries",
    "django_htmx",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.mediawiki",
    "hub.core",
    "hub.accounts",
    "hub.directory",
    "hub.partnerships",
    "hub.mapping",
    "hub.funding",
    "hub.imports",
    "hub.lifecycle",
    "hub.knowledge",
    "hub.meetings",
    "hub.alliances",
    "hub.outcomes",
    "hub.wiki",
    "hub.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "hub.accounts.middleware.staff_two_factor_middleware",
]
# Extra middleware named by the environment (the benchmark adds its query counter this way).
MIDDLEWARE += env_list("EXTRA_MIDDLEWARE")

ROOT_URLCONF = "hub.urls"
WSGI_APPLICATION = "hub.wsgi.application"

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
            "builtins": ["django.templatetags.i18n"],
        },
    }
]

# SQLite by default (one file, WAL); PostgreSQL or MariaDB through DATABASE_URL; on Toolforge,
# without DATABASE_URL, the tool's ToolsDB account (hub/deployment.py).
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "data")))
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", toolsdb_url() or f"sqlite:///{DATA_DIR / 'hub.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
_engine = DATABASES["default"]["ENGINE"]
if _engine.endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif _engine.endswith("mysql"):
    import pymysql

    # Django checks for mysqlclient >= 2.2.1; PyMySQL speaks the same DB-API, so it stands in for it.
    pymysql.version_info = (2, 2, 1, "final", 0)
    pymysql.install_as_MySQLdb()
    DATABASES["default"]["OPTIONS"] = {"charset": "utf8mb4"}
    DATABASES["default"].setdefault("TEST", {})["CHARSET"] = "utf8mb4"
    DATABASES["default"]["TEST"]["COLLATION"] = "utf8mb4_unicode_ci"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "partnerships:list"
LOGOUT_REDIRECT_URL = "partnerships:list"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Sign-in, password reset and two-factor authentication through django-allauth (docs/security/
# accounts.md). Accounts come from invitations, so nobody signs up and e-mail is not verified again.
ACCOUNT_ADAPTER = "hub.accounts.adapter.HubAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = False
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False  # never mail an address that has no account
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = _("[Partnership Hub] ")  # in the language of the e-mail
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Failures are counted per account and per client address over THROTTLE_MINUTES, in the database
# cache that every process shares; past the limit even the right password waits for the window.
THROTTLE_MINUTES = env_int("THROTTLE_MINUTES", 15)
SIGN_IN_FAILURES_PER_ACCOUNT = env_int("SIGN_IN_FAILURES_PER_ACCOUNT", 10)
SIGN_IN_FAILURES_PER_ADDRESS = env_int("SIGN_IN_FAILURES_PER_ADDRESS", 20)
PASSWORD_RESETS_PER_EMAIL = env_int("PASSWORD_RESETS_PER_EMAIL", 3)
PASSWORD_RESETS_PER_ADDRESS = env_int("PASSWORD_RESETS_PER_ADDRESS", 10)
_window = f"{THROTTLE_MINUTES}m"
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"{SIGN_IN_FAILURES_PER_ADDRESS}/{_window}/ip,"
    f"{SIGN_IN_FAILURES_PER_ACCOUNT}/{_window}/key",
    "login": "30/m/ip",
    "reset_password": f"{PASSWORD_RESETS_PER_ADDRESS}/{_window}/ip,"
    f"{PASSWORD_RESETS_PER_EMAIL}/{_window}/key",
    "reset_password_from_key": "20/m/ip",
    "reauthenticate": "10/m/user",
    "change_password": "5/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Partnership Hub"
# A code from the 30 seconds before or after also counts (clocks drift); each code works once.
MFA_TOTP_TOLERANCE = 1
# Accounts come from an invitation mailed to their address (or from staff), so that address is
# trusted without allauth's own verification step.
MFA_ALLOW_UNVERIFIED_EMAIL = True
# Staff who have not turned on two-factor authentication are sent to do so before anything else.
MFA_REQUIRED_FOR_STAFF = env_bool("MFA_REQUIRED_FOR_STAFF", default=False)
INVITATION_MAX_AGE_DAYS = env_int("INVITATION_MAX_AGE_DAYS", 14)

# Sign-in with a Wikimedia account (docs/wikimedia-sign-in.md): django-allauth's MediaWiki provider,
# an OAuth 2 consumer registered on Meta-Wiki. Without a client id there is no such sign-in (no
# button, its pages answer 404). The id and secret stay in the environment, never in the database.
SOCIALACCOUNT_ADAPTER = "hub.accounts.adapter.HubSocialAccountAdapter"
WIKIMEDIA_OAUTH_CLIENT_ID = env_str("WIKIMEDIA_OAUTH_CLIENT_ID")
WIKIMEDIA_OAUTH_REST_API = env_str(
    "WIKIMEDIA_OAUTH_REST_API", "https://meta.wikimedia.org/w/rest.php"
)
try:  # the hub runs from its checkout; a copy without pyproject.toml says so (hub/wiki/client.py)
    with open(BASE_DIR / "pyproject.toml", "rb") as _pyproject:
        _version = str(tomllib.load(_pyproject)["project"]["version"])
except (OSError, KeyError, tomllib.TOMLDecodeError):
    _version = "unknown"
# The User-Agent of the hub's other wiki requests (hub/wiki/client.py), as Wikimedia's policy asks.
_contact = env_str("WIKI_USER_AGENT_CONTACT", SITE_URL)
SOCIALACCOUNT_PROVIDERS = {
    "mediawiki": {
        "REST_API": WIKIMEDIA_OAUTH_REST_API.rstrip("/"),
        "USERPAGE_TEMPLATE": env_str(
            "WIKIMEDIA_USERPAGE_TEMPLATE", "https://meta.wikimedia.org/wiki/User:{username}"
        ),
        "USER_AGENT": f"PartnershipHub/{_version} ({_contact}) requests/{requests.__version__}",
        "APPS": (
            [
                {
                    "client_id": WIKIMEDIA_OAUTH_CLIENT_ID,
                    "secret": env_str("WIKIMEDIA_OAUTH_CLIENT_SECRET"),
                }
            ]
            if WIKIMEDIA_OAUTH_CLIENT_ID
            else []
        ),
    }
}
if WIKIMEDIA_OAUTH_CLIENT_ID and not env_str("WIKIMEDIA_OAUTH_CLIENT_SECRET"):
    raise ImproperlyConfigured(
        "WIKIMEDIA_OAUTH_CLIENT_SECRET must be set with WIKIMEDIA_OAUTH_CLIENT_ID (see README)."
    )
# Access tokens are used once, to read who signed in, and never kept. An e-mail address alone never
# signs anybody in or links accounts; the wiki's identity (its user id) does.
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = env_int("WIKIMEDIA_OAUTH_TIMEOUT", 10)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

CACHES = {
    "default": {
        # Django's database cache, whose cull spares the sign-in and API rate counters and whose
        # writes give way to a busy database (hub/core/cache.py).
        "BACKEND": "hub.core.cache.DatabaseCache",
        "LOCATION": "hub_cache",
        # Cached mapping and dashboard panels are one entry per viewer scope and filter set: room
        # for thousands before the oldest third is culled (the default keeps only 300).
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("de", _("German")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600  # the language chosen in the header is remembered for a year
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# E-mail (password resets, invitations): the console in development, SMTP when EMAIL_HOST is set.
_email_backend = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if env_str("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": _email_backend,
        "OPTIONS": (
            {
                "host": env_str("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 25),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", default=False),
            }
            if _email_backend.endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Partnership Hub <hub@localhost>")

# Behind a proxy that terminates TLS (Toolforge, nginx), these make Django see HTTPS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
# The client address that sign-in throttling counts: the proxies' X-Forwarded-For entry that the
# nearest TRUSTED_PROXY_COUNT proxies vouch for (the header is ignored without a proxy), or a header
# the proxy sets itself (TRUSTED_CLIENT_IP_HEADER, e.g. X-Real-IP).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if env_bool("BEHIND_PROXY") else 0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env_str("TRUSTED_CLIENT_IP_HEADER") or None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy of every response (docs/security/csp.md). Scripts, styles and
# everything else come from the hub itself; no inline script, no inline <style>, no style
# attribute in markup (htmx's own indicator <style> is turned off in base.html and its rules are in
# hub.css; the charts' SVGs write colours and fonts as presentation attributes, which the policy
# does not govern, so no 'unsafe-inline' in style-src-attr either). Images may also be data: URLs:
# Codex draws its icons as inline SVG images in its stylesheet. A deployment adds the origins of
# its own analytics through CSP_SCRIPT_SRC, CSP_CONNECT_SRC and CSP_IMG_SRC.
SECURE_CSP: dict[str, list[str]] = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, *env_list("CSP_SCRIPT_SRC")],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *env_list("CSP_IMG_SRC")],
    "connect-src": [CSP.SELF, *env_list("CSP_CONNECT_SRC")],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
if WIKIMEDIA_OAUTH_CLIENT_ID:
    # "Sign in with a Wikimedia account" posts to the hub, which redirects to the wiki's consent
    # page: browsers hold form-action to that redirect too.
    _wiki = urlsplit(WIKIMEDIA_OAUTH_REST_API)
    SECURE_CSP["form-action"].append(f"{_wiki.scheme}://{_wiki.netloc}")
if env_str("CSP_REPORT_URI"):
    SECURE_CSP["report-uri"] = [env_str("CSP_REPORT_URI")]

PAGE_SIZE = env_int("PAGE_SIZE", 25)
# Rows an import writes per transaction: SQLite's one write lock is free again between batches,
# so other writers wait a few milliseconds, not for the whole file (hub/imports/stage.py).
IMPORT_BATCH_ROWS = 2000
# The largest upload the hub will read, checked before any parsing.
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
# API rate limits: requests per window (seconds) per token, and per client address without a token.
API_RATE_LIMIT_PER_TOKEN = env_int("API_RATE_LIMIT_PER_TOKEN", 1200)
API_RATE_LIMIT_PER_ADDRESS = env_int("API_RATE_LIMIT_PER_ADDRESS", 300)
API_RATE_LIMIT_WINDOW = env_int("API_RATE_LIMIT_WINDOW", 60)
# The wikis whose pages the hub reads (hub/wiki/client.py): a host, or "*.host" for its subdomains.
# Only these, so the hub never fetches an address a person types from any other host.
WIKI_ALLOWED_HOSTS = env_list(
    "WIKI_ALLOWED_HOSTS",
    [
        "*.wikipedia.org",
        "*.wikimedia.org",
        "*.wikidata.org",
        "*.wiktionary.org",
        "*.wikibooks.org",
        "*.wikinews.org",
        "*.wikiquote.org",
        "*.wikisource.org",
        "*.wikiversity.org",
        "*.wikivoyage.org",
        "*.mediawiki.org",
        "wikidata.org",
        "mediawiki.org",
    ],
)
# Who to contact about the hub's requests, in the User-Agent the Wikimedia policy asks for: an
# e-mail address or a page of the hub's operator.
WIKI_USER_AGENT_CONTACT = env_str("WIKI_USER_AGENT_CONTACT", SITE_URL)
# The key that encrypts wiki accounts' secrets (bot passwords, OAuth 2 tokens); SECRET_KEY when
# empty. Changing it makes stored secrets unreadable: managers enter them again.
WIKI_SECRET_KEY = env_str("WIKI_SECRET_KEY", "")
# How long the hub waits for a wiki's answer when it publishes (seconds).
WIKI_TIMEOUT_SECONDS = env_int("WIKI_TIMEOUT_SECONDS", 20)
# Wikidata's Action API, asked for organizations' items (hub/wiki/wikidata/): its host must be in
# WIKI_ALLOWED_HOSTS too.
WIKIDATA_API_URL = env_str("WIKIDATA_API_URL", "https://www.wikidata.org/w/api.php")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
