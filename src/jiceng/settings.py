"""The one settings module of Jiceng, configured by environment variables.

Every variable is documented in docs/operations.md. Parsers are strict: a
boolean that is not one of the accepted spellings stops start-up with a clear
message instead of silently meaning "off".
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BASE_DIR.parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envbool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def envsecret(name: str) -> str | None:
    """A secret from NAME, or from the file named by NAME_FILE (for container secrets)."""
    if os.environ.get(f"{name}_FILE"):
        return Path(os.environ[f"{name}_FILE"]).read_text(encoding="utf-8").strip()
    return os.environ.get(name) or None


DATA_DIR = Path(os.environ.get("JICENG_DATA_DIR") or PROJECT_ROOT / "var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    from_env = envsecret("SECRET_KEY")
    if from_env:
        return from_env
    # Generated once and kept beside the database, so sessions survive restarts
    # without anyone having to invent a key for a try-out install.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = envbool("DEBUG", False)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
# How many reverse proxies (nginx) stand in front; their X-Forwarded-For is trusted.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "treebeard",
    "django_htmx",
    "axes",
    "jiceng.core",
    "jiceng.org",
    "jiceng.accounts",
    # ninja for its self-hosted Swagger UI static files (the API docs page)
    "ninja",
    "jiceng.api",
    "jiceng.assessments",
    # Background tasks: the Django tasks API (django-tasks backport) stored by django-tasks-db.
    "django_tasks",
    "django_tasks_db",
    "jiceng.inbox",
    # The indicators layer (issue 16) and the daily-work ledgers (issues 13-15).
    "jiceng.metrics",
    "jiceng.window",
    "jiceng.ratings",
    "jiceng.staffing",
    "jiceng.enforcement",
    "jiceng.patrols",
    "jiceng.ledgers",
    "jiceng.grid",
    "jiceng.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jiceng.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before the session policy, which adds a message to the redirects it answers with.
    "django.contrib.messages.middleware.MessageMiddleware",
    "jiceng.core.middleware.RequestContextMiddleware",
    "jiceng.accounts.middleware.SessionPolicyMiddleware",
    "jiceng.core.middleware.PermissionRefusalMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jiceng.urls"
WSGI_APPLICATION = "jiceng.wsgi.application"

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
                "jiceng.core.context_processors.navigation",
            ],
        },
    }
]

# --- database -------------------------------------------------------------

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'jiceng.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed during a write; IMMEDIATE takes the write lock at
    # BEGIN so two writers queue on the busy timeout instead of failing with
    # "database is locked" halfway through (the audit chain depends on it).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

def _test_database_name() -> str | None:
    if os.environ.get("TEST_DATABASE_NAME"):
        return os.environ["TEST_DATABASE_NAME"]
    if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        return None  # Django's "test_<name>"
    # A file, not Django's default shared-cache in-memory database: under shared
    # cache a second writer fails at once with "database table is locked"
    # instead of queueing on the busy timeout, so the suite would not test the
    # locking production relies on. One file per test process, so parallel runs
    # on one machine do not clobber each other's database.
    import tempfile

    return str(Path(tempfile.gettempdir()) / f"jiceng-test-{os.getpid()}.sqlite3")


DATABASES["default"]["TEST"] = {"NAME": _test_database_name()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- accounts and security -------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "jiceng.accounts.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Password rotation in days (等保三级 practice); 0 disables it.
PASSWORD_MAX_AGE_DAYS = envint("PASSWORD_MAX_AGE_DAYS", 90)
# Idle expiry and absolute lifetime of a session, in minutes.
SESSION_IDLE_MINUTES = envint("SESSION_IDLE_MINUTES", 30)
SESSION_ABSOLUTE_MINUTES = envint("SESSION_ABSOLUTE_MINUTES", 12 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = envbool("SECURE_COOKIES", False)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES

AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_LOCKOUT_MINUTES", 30))
# Lock the account, not the address: a township office reaches the county
# intranet through one NAT address, and locking it would shut out every
# colleague because of one person's typos.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "jiceng.accounts.views.lockout_response"
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- background tasks ---------------------------------------------------------

# Deadline reminders and other jobs run in `jiceng db_worker`; the backend can
# move to Redis/RQ or Celery without touching task code (docs/outputs.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- audit -------------------------------------------------------------------

# 网络安全法 第二十一条: network logs are kept for at least six months.
AUDIT_MIN_RETENTION_DAYS = 184
# The key ring that signs the audit chain (HMAC-SHA256), kept out of the
# database: JICENG_AUDIT_KEY (or JICENG_AUDIT_KEY_FILE) holds "ID:SECRET"
# entries, the first signing new rows; unset, keys live in AUDIT_KEY_DIR
# (ID.key files, mode 0600, and `current`), the first created on first use and
# the next by `jiceng audit rotate-key` (docs/operations.md, "Audit keys").
AUDIT_KEY = envsecret("JICENG_AUDIT_KEY")
AUDIT_KEY_DIR = Path(os.environ.get("JICENG_AUDIT_KEY_DIR") or DATA_DIR / "audit_keys")
# Signed checkpoints of every chain's head are appended here by the daily task
# (jiceng.core.tasks.audit_checkpoint) and `jiceng audit checkpoint`; keep the
# file off the database host's reach (or `chattr +a`) and back it up.
AUDIT_CHECKPOINT_LOG = Path(os.environ.get("JICENG_AUDIT_CHECKPOINT_LOG") or DATA_DIR / "audit_checkpoints.log")
# Also send each checkpoint line to syslog: "/dev/log", or "host:514" (UDP); empty: no syslog.
AUDIT_CHECKPOINT_SYSLOG = os.environ.get("JICENG_AUDIT_CHECKPOINT_SYSLOG", "")

# --- i18n ----------------------------------------------------------------------

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_TZ = True

# --- files ------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every start when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
# Static files are served by the app itself through WhiteNoise (no separate web
# server is needed for a one-machine intranet install); finders avoid a
# collectstatic step on a try-out install.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
# Where attachments (core.attachments) are stored. "default" is the local disk
# under MEDIA_ROOT (never served as static or media: files go out only through
# core.downloads, which checks scope and audits). Several web hosts share one
# S3-compatible store (MinIO) instead: JICENG_STORAGE=s3 and the AWS_* variables
# of django-storages (pip install 'jiceng[s3]'; docs/operations.md, "Attachment storage").
if os.environ.get("JICENG_STORAGE", "local") == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("AWS_STORAGE_BUCKET_NAME", "jiceng"),
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": envsecret("AWS_ACCESS_KEY_ID"),
            "secret_key": envsecret("AWS_SECRET_ACCESS_KEY"),
            # Private objects only; nothing is ever linked to the store directly.
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif os.environ.get("JICENG_STORAGE", "local") == "local":
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured("JICENG_STORAGE must be 'local' or 's3'")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Largest attachment of any kind (bytes); the message of a refusal names it.
ATTACHMENT_MAX_BYTES = envint("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
# Largest evidence file an office may attach to an assessment item (bytes).
ASSESSMENT_EVIDENCE_MAX_BYTES = envint("ASSESSMENT_EVIDENCE_MAX_BYTES", ATTACHMENT_MAX_BYTES)
# Exports of more rows than this run as background tasks with a progress page
# (docs/import-export.md); their files live under DATA_DIR/exports for
# EXPORT_FILE_HOURS hours after they are finished.
EXPORT_STREAM_THRESHOLD = envint("EXPORT_STREAM_THRESHOLD", 5000)
EXPORT_FILE_HOURS = envint("EXPORT_FILE_HOURS", 24)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
