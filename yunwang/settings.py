"""yunwang settings: one short, environment-driven file.

Every knob is an environment variable with a safe development default. Production
(`DEBUG=0`) refuses to start without SECRET_KEY and ALLOWED_HOSTS from the environment.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    """A string from the environment; `NAME_FILE` (a path) wins, for secrets."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not DEBUG and (not SECRET_KEY or not ALLOWED_HOSTS):
    raise ImproperlyConfigured("With DEBUG off, SECRET_KEY and ALLOWED_HOSTS must come from the environment.")
if not SECRET_KEY:
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"
if DEBUG and not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "inventory",
    "collectors",
    "dashboards",
    "lab",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "inventory.middleware.ActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "yunwang.urls"
WSGI_APPLICATION = "yunwang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), conn_max_age=env_int("DB_CONN_MAX_AGE", 0)
    )
}
# One test database per checkout, so parallel runs from different work trees never share one.
DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME") or None}
if DATABASES["default"]["ENGINE"].endswith("postgresql") and not DATABASES["default"]["TEST"]["NAME"]:
    DATABASES["default"]["TEST"]["NAME"] = "test_yunwang_" + hashlib.sha1(str(BASE_DIR).encode()).hexdigest()[:8]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"

# Production hardening, on whenever DEBUG is off (`manage.py check --deploy` is clean then).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {"TITLE": "yunwang API", "VERSION": "1.0.0"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # paramiko logs every SSH connect and login at INFO: one line per device per SSH cycle is noise.
    "loggers": {"paramiko": {"level": "WARNING"}},
}

# --- yunwang ---------------------------------------------------------------------------------------------------
# Key that encrypts credential secrets (Fernet, urlsafe base64 of 32 bytes). YUNWANG_CREDENTIALS_KEY_FILE works too.
# Without one in DEBUG, a key is derived from SECRET_KEY so the demo works with zero set-up. In production a key of
# its own is required: rotating SECRET_KEY (sessions, tokens) must not make every stored secret unreadable.
YUNWANG_CREDENTIALS_KEY = env_str("YUNWANG_CREDENTIALS_KEY")
if not DEBUG and not YUNWANG_CREDENTIALS_KEY:
    raise ImproperlyConfigured(
        "With DEBUG off, YUNWANG_CREDENTIALS_KEY (or YUNWANG_CREDENTIALS_KEY_FILE) must be set: the Fernet key that "
        "encrypts SNMP communities, v3 keys and SSH passwords."
    )
# Hours within which a device/link/VPN tunnel must have been up for the "online" coverage variant.
YUNWANG_ONLINE_WINDOW_HOURS = env_int("YUNWANG_ONLINE_WINDOW_HOURS", 24)
# Planner targets: configuration, never constants.
YUNWANG_COVERAGE_TARGET = env_float("YUNWANG_COVERAGE_TARGET", 0.9)
YUNWANG_MIGRATION_TARGET = env_float("YUNWANG_MIGRATION_TARGET", 1.0)
# Polling.
YUNWANG_POLL_INTERVAL_SECONDS = env_int("YUNWANG_POLL_INTERVAL_SECONDS", 300)
YUNWANG_DISCOVERY_EVERY_CYCLES = env_int("YUNWANG_DISCOVERY_EVERY_CYCLES", 12)
YUNWANG_SSH_INTERVAL_SECONDS = env_int("YUNWANG_SSH_INTERVAL_SECONDS", 3600)
# SSH host keys remembered on first contact (known_hosts format); a changed key fails the collection.
YUNWANG_SSH_KNOWN_HOSTS = env_str("YUNWANG_SSH_KNOWN_HOSTS", str(BASE_DIR / "var" / "ssh_known_hosts"))
YUNWANG_SSH_CONCURRENCY = env_int("YUNWANG_SSH_CONCURRENCY", 32)  # SSH sessions at once (threads)
YUNWANG_SNMP_TIMEOUT_SECONDS = env_float("YUNWANG_SNMP_TIMEOUT_SECONDS", 2.0)
YUNWANG_SNMP_RETRIES = env_int("YUNWANG_SNMP_RETRIES", 1)
YUNWANG_POLL_CONCURRENCY = env_int("YUNWANG_POLL_CONCURRENCY", 64)
# Token that Alertmanager's webhook presents (Authorization: Bearer ...).
YUNWANG_ALERT_WEBHOOK_TOKEN = env_str("YUNWANG_ALERT_WEBHOOK_TOKEN")
# Optional bearer token Prometheus must present on /metrics (empty: open, like most exporters; bind to loopback).
YUNWANG_METRICS_TOKEN = env_str("YUNWANG_METRICS_TOKEN")
# Optional map tile URL for the coverage map (empty: offline, no tiles).
YUNWANG_MAP_TILE_URL = env_str("YUNWANG_MAP_TILE_URL")
# MLPS compliance thresholds.
YUNWANG_MLPS_MAX_IDLE_MINUTES = env_int("YUNWANG_MLPS_MAX_IDLE_MINUTES", 10)
YUNWANG_MLPS_MAX_LOGIN_ATTEMPTS = env_int("YUNWANG_MLPS_MAX_LOGIN_ATTEMPTS", 5)
YUNWANG_MLPS_MIN_LOCK_MINUTES = env_int("YUNWANG_MLPS_MIN_LOCK_MINUTES", 10)

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
