"""One settings module. Everything comes from the environment with safe embedded defaults.

DJANGO_ENV=production turns on the production hardening; without it the portal runs on a
SQLite file, a filesystem Celery broker and console email, so `make run` needs no server.
"""

import sys
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

env = environ.Env()
BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.str("ALLIANCE_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)
PRODUCTION = env.str("DJANGO_ENV", default="development") == "production"
# The test run (pytest imported) gets fast hashing, in-memory email and eager tasks.
TESTING = env.bool("ALLIANCE_TESTING", default="pytest" in sys.modules)
# Demo mode may waive MFA for the demo logins; it can never be on in production.
DEMO = env.bool("ALLIANCE_DEMO", default=False) and not PRODUCTION

SECRET_KEY = env.str("SECRET_KEY", default="dev-only-key-change-me-" + "x" * 40)
DEBUG = env.bool("DEBUG", default=not PRODUCTION and not TESTING)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["*"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Django's own form templates, for the ones templates/django/forms does not override.
    "django.forms",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "guardian",
    "django_htmx",
    "django_countries",
    "alliance",
    "cities",
    "experts",
    "assessments",
    "events",
    "outreach",
]
if TESTING:
    # django-zeal raises on any N+1 query in a request (and, via tests/conftest.py, a task).
    INSTALLED_APPS.append("zeal")
    ZEAL_RAISE = True
    # allauth looks up a person's (one or two) email addresses one by one while signing in.
    ZEAL_ALLOWLIST = [{"model": "account.EmailAddress"}]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Inside the locale middleware, so its error details speak the requester's language.
    "alliance.api_errors.ApiJsonMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "alliance.middleware.SessionLimitsMiddleware",
    "alliance.middleware.MfaRequiredMiddleware",
    # Last: the tenancy choke point wraps the view and its rendering in the region's scope.
    "alliance.tenancy.TenancyMiddleware",
]

if TESTING:
    MIDDLEWARE.insert(0, "zeal.middleware.zeal_middleware")

ROOT_URLCONF = "alliance.urls"
WSGI_APPLICATION = "alliance.wsgi.application"

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
                "alliance.context_processors.portal",
            ],
        },
    }
]

# Form widgets and fields render through templates/ first: Bootstrap's classes on every form.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'alliance.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process and the Celery worker share the file without "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "alliance.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None

# Sessions: 12 hours at most; the idle limit for secretariat and reviewer roles is enforced by
# alliance.middleware.SessionLimitsMiddleware (roles in alliance.permissions.IDLE_LIMITED_ROLES).
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_ABSOLUTE_LIMIT = timedelta(hours=12)
SESSION_IDLE_LIMIT = timedelta(minutes=30)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# allauth: email login, invitation-only sign-up (alliance.adapters.AccountAdapter).
ACCOUNT_ADAPTER = "alliance.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reauthenticate": "10/m/user",
}
LOGIN_REDIRECT_URL = "home"
LOGIN_URL = "account_login"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Alliance Portal"
# Tracking would write on every request; our own middleware keeps the last-seen time.
USERSESSIONS_TRACK_ACTIVITY = False

LANGUAGE_CODE = "en"
# If a language is added here, add its catalogue (`make messages`) and its case to
# tests/alliance/test_i18n.py; its choices reach the models through a migration.
LANGUAGES = [("en", _("English")), ("ja", _("Japanese")), ("es", _("Spanish")),
             ("pt-br", _("Portuguese (Brazil)"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The portal's English dates read the same to every English speaker (25 Oct 2026, not
# 10/25/2026): alliance/formats/en/formats.py.
FORMAT_MODULE_PATH = ["alliance.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Email: EMAIL_URL (smtp://..., consolemail://, filemail://path) or the console by default.
_email = env.email_url("EMAIL_URL", default="consolemail://")
if _email.get("EMAIL_FILE_PATH"):
    # django-environ drops the leading slash of filemail:///abs/path; a URL path is absolute.
    _email["EMAIL_FILE_PATH"] = "/" + _email["EMAIL_FILE_PATH"].lstrip("/")
if TESTING:
    _email = {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
vars().update(_email)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Alliance Portal <portal@example.org>")

# Cache and Celery: Redis when REDIS_URL is set, otherwise embedded (local memory, files).
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
    # Above the longest task's hard time limit, so a slow task is never redelivered mid-run.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_QUEUE_DIR = VAR_DIR / "celery"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=TESTING)
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="celery")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 5 * 60
CELERY_TASK_TIME_LIMIT = 6 * 60
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "sweep-undelivered-notifications": {
        "task": "alliance.tasks.sweep_notifications",
        "schedule": crontab(minute="*/5"),
    },
    "outreach-follow-ups": {
        "task": "outreach.tasks.plan_follow_ups",
        "schedule": crontab(hour=6, minute=0),
    },
    "assessment-reminders": {
        "task": "assessments.tasks.plan_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "assessment-campaign-digest": {
        "task": "assessments.tasks.plan_digests",
        "schedule": crontab(day_of_week="mon", hour=7, minute=30),
    },
    "assessment-campaign-close": {
        "task": "assessments.tasks.plan_closing",
        "schedule": crontab(hour=0, minute=30),
    },
    "assessment-annual-schedule": {
        "task": "assessments.tasks.plan_schedule",
        "schedule": crontab(hour=5, minute=0),
    },
    "assessment-stalled-launches": {
        "task": "assessments.tasks.plan_stalled_launches",
        "schedule": crontab(minute="*/10"),
    },
    "experts-terms-reminders": {
        "task": "experts.tasks.plan_terms_reminders",
        "schedule": crontab(hour=6, minute=30),
    },
    "delegation-reviews": {
        "task": "alliance.tasks.plan_delegation_reviews",
        "schedule": crontab(hour=6, minute=45),
    },
    # Hourly: each region's first working day starts at its own midnight; the task sends
    # from then on, once per city and month.
    "cities-dialogue-reminders": {
        "task": "cities.tasks.plan_dialogue_reminders",
        "schedule": crontab(minute=20),
    },
    "events-compliance-warnings": {
        "task": "events.tasks.plan_compliance_warnings",
        "schedule": crontab(hour=7, minute=15),
    },
    "events-milestone-reminders": {
        "task": "events.tasks.plan_milestone_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "events-answer-reminders": {
        "task": "events.tasks.plan_answer_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
}
# A notification left undelivered this long is picked up by the sweep.
NOTIFICATION_SWEEP_AFTER = timedelta(minutes=2)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes a bad token a 401, not a 403.
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["alliance.tenancy.RegionAccess"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "alliance.api_errors.exception_handler",
    # Bounded in size and nesting: DRF's own parsers skip DATA_UPLOAD_MAX_MEMORY_SIZE.
    "DEFAULT_PARSER_CLASSES": ["alliance.parsers.JSONParser", "alliance.parsers.FormParser",
                               "rest_framework.parsers.MultiPartParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer",
                                 "rest_framework.renderers.BrowsableAPIRenderer"],
}
KNOX_TOKEN_MODEL = "alliance.ApiToken"
# knox's own migrations create its default token table even when the model is swapped for
# ours; that stray table's foreign key to users breaks flushing on PostgreSQL.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {"TOKEN_TTL": None, "TOKEN_MODEL": "alliance.ApiToken", "AUTH_HEADER_PREFIX": "Token"}
SPECTACULAR_SETTINGS = {
    "TITLE": "Alliance Portal API",
    "DESCRIPTION": "Regions, memberships, approvals and notifications of the Alliance Portal.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"RoleEnum": "alliance.models.Role",
                            "LanguageEnum": "alliance.settings.LANGUAGES",
                            "StageEnum": "cities.models.Stage",
                            "CampaignStateEnum": "assessments.models.Campaign.State",
                            "AssessmentStateEnum": "assessments.models.Assessment.State",
                            "VersionStateEnum":
                                "assessments.models.QuestionnaireVersion.State",
                            "LetterKindEnum": "outreach.models.LetterKind",
                            "PrincipleEnum": "assessments.models.PrincipleKey",
                            "ChannelEnum": "cities.models.Channel",
                            "StakeholderKindEnum": "experts.models.StakeholderKind",
                            "StakeholderStatusEnum": "experts.models.StakeholderStatus",
                            "ExpertKindEnum": "experts.models.ExpertKind",
                            "ModelPolicyStatusEnum": "assessments.models.ModelPolicy.Status",
                            "ExpertStageEnum": "experts.models.Stage",
                            "SupportKindEnum": "events.models.SupportKind",
                            "SupportStateEnum": "events.models.SupportState",
                            "WorkplanStatusEnum": "events.models.WorkplanStatus",
                            "MilestoneStatusEnum": "events.models.MilestoneStatus",
                            "DialogueChannelEnum": "cities.models.Dialogue.Channel",
                            "EventKindEnum": "events.models.EventKind"},
}

# Content Security Policy: everything is served from our own origin (no CDN anywhere).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
