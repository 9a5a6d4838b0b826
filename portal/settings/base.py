"""Settings shared by every environment. Everything that differs between machines comes from the
environment (django-environ); nothing secret lives in this file."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

VAR_DIR = Path(env("PORTAL_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # No otp_static: it keeps recovery codes in clear; twofactor has its own device that keeps them hashed.
    "rest_framework_api_key",
    "csp",
    "portal",
    "ratings",
    "finance",
    "insurance",
    "talent",
    "liaison",
    "reports",
    "twofactor",
    "apikeys",
    "logins",
    "workflow",
    "notifications",
    "quality",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The content-security policy on every response (settings: CONTENT_SECURITY_POLICY): django-csp's
    # middleware, with its directives in a fixed order (portal/csp.py).
    "portal.csp.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # /healthz answers here, before any middleware reads the session from the database.
    "portal.middleware.HealthCheckMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed the second factor (django-otp).
    "django_otp.middleware.OTPMiddleware",
    "twofactor.middleware.SecondFactorMiddleware",
    "logins.middleware.SessionTrackingMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.RequestContextMiddleware",
    # Deprecation and Sunset headers on answers to calls made with a legacy API token.
    "apikeys.middleware.LegacyTokenHeadersMiddleware",
    # Axes last, as its documentation asks, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "portal.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded mode: wait for a lock rather than fail, and take the write lock at BEGIN so two
    # writers queue instead of deadlocking.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
# Connections are kept between requests (ten minutes, checked before reuse below): a new PostgreSQL
# connection per request made the API's short calls 2.4 times slower. DJANGO_CONN_MAX_AGE=0 restores one
# per request (e.g. behind a transaction-mode pgbouncer).
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=600))
# A kept connection is checked before a request reuses it: after PostgreSQL restarts, the first request
# opens a new one instead of failing on the dead one.
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable server (a network cut, not a refusal) answers the 503 page within seconds, instead of
    # holding the request until the system's TCP timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)


def postgresql_session_options(db: dict) -> dict:
    """Two planner settings for the portal's sessions, each one variable away from the server's own:
    - JIT off (DJANGO_PG_JIT=on restores it): PostgreSQL compiles a plan when its estimated cost is high,
      which the dashboards' aggregates over a province's rows reach, and the compilation took longer than
      the query it sped up (the leader's dashboard 615 → 361 ms with it off, benchmarks/dashboards.py).
    - random_page_cost 1.1 (DJANGO_PG_RANDOM_PAGE_COST; empty: the server's, 4 by default, priced for
      spinning disks): on an SSD or a database held in memory a random read costs about a sequential one.
      With 4 the planner read a province's 30,000 visits to find one town's 249 enterprises' instead of
      using the index (a town's visit list 1.63× → 0.91× the department's, benchmarks/scope_lists.py)."""
    if db["ENGINE"] != "django.db.backends.postgresql":
        return db
    options = db.setdefault("OPTIONS", {})
    wanted = []
    if not env.bool("DJANGO_PG_JIT", default=False):
        wanted.append("jit=off")
    page_cost = env.str("DJANGO_PG_RANDOM_PAGE_COST", default="1.1")
    if page_cost:
        wanted.append(f"random_page_cost={float(page_cost)}")
    given = options.get("options", "")
    options["options"] = " ".join(filter(None, [given, *(f"-c {w}" for w in wanted if w.split("=")[0] + "=" not in given)]))
    return db


postgresql_session_options(DATABASES["default"])

# A streaming replica of the database that the dashboards and the work report's figures read from
# (portal/replica.py; docs/scaling.md). Unset: one database, and nothing changes. A replica that does not
# answer is read around (the primary serves), so its own connection gives up sooner.
DATABASE_ROUTERS = []
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    for key in ("ATOMIC_REQUESTS", "CONN_MAX_AGE", "CONN_HEALTH_CHECKS"):
        DATABASES["replica"].setdefault(key, DATABASES["default"][key])
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    postgresql_session_options(DATABASES["replica"])
    DATABASE_ROUTERS = ["portal.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# An empty REDIS_URL means the embedded mode: no broker, tasks run in-process.
REDIS_URL = env("REDIS_URL", default="")

if REDIS_URL:
    # Failing soft (portal.cache): while Redis is down a read is a miss, and pages keep serving.
    CACHES = {"default": {"BACKEND": "portal.cache.RedisCache", "LOCATION": REDIS_URL,
                          "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Idle timeout: the session lives 30 minutes from the last request.
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Lockout: 5 failed logins for one username lock it for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks for the client address as a lockout key too. Offices on a government intranet sit
# behind one NAT address: locking by address would lock a whole town hall out after five typos by
# five different people. The account is what is attacked, so the account is what is locked.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
# Money and counts are grouped by thousands in Chinese too (portal/formats/zh_Hans).
FORMAT_MODULE_PATH = ["portal.formats"]
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
# Third-party front-end assets come from the npm registry at set-up (package.json) and are served
# by the app itself: government intranets have no CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
]
# Uploaded and generated files (evidence, attachments, imports, reports). With PORTAL_S3_BUCKET set they
# go to S3-compatible object storage (MinIO, or the city's object store), which every web node and worker
# shares; without it to MEDIA_ROOT, the one-machine set-up's folder. Either way no URL serves them
# directly: only the views that check the reader's scope do (FileResponse over the storage's file).
PORTAL_S3_BUCKET = env("PORTAL_S3_BUCKET", default="")
if PORTAL_S3_BUCKET:
    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": PORTAL_S3_BUCKET,
            "endpoint_url": env("PORTAL_S3_ENDPOINT_URL", default="") or None,
            "access_key": env("PORTAL_S3_ACCESS_KEY", default=""),
            "secret_key": env("PORTAL_S3_SECRET_KEY", default=""),
            "region_name": env("PORTAL_S3_REGION", default="us-east-1"),
            "addressing_style": "path",  # MinIO and most on-premises stores
            "file_overwrite": False,  # two uploads of one name get two objects
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
# Registry spreadsheets can be large; refuse anything past this before reading it.
PORTAL_IMPORT_MAX_BYTES = env.int("PORTAL_IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
# Data rows one import may hold: the city's whole registry fits; a bigger file is split by town.
PORTAL_IMPORT_MAX_ROWS = env.int("PORTAL_IMPORT_MAX_ROWS", default=50_000)
# A list export up to this many rows is answered at once; a longer one is made by the worker (reports).
PORTAL_EXPORT_SYNC_MAX_ROWS = env.int("PORTAL_EXPORT_SYNC_MAX_ROWS", default=5000)

# The content-security policy (django-csp, sent by portal.csp.CSPMiddleware): scripts, styles, fonts and
# images from the portal itself only, so an injected <script>, inline handler or style= does not run.
# `data:` images: Bootstrap's CSS draws the select arrow, check marks, the close button and the menu
# button as data: SVGs. Violations go to the portal's own endpoint (portal.csp.csp_report_view); why
# there is no `report-to` is said there.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "report-uri": [reverse_lazy("csp_report")],
    },
}

REST_FRAMEWORK = {
    # The institution API key first: an anonymous call then gets 401 with a `WWW-Authenticate: Api-Key`
    # challenge, not 403. Legacy tokens work until the administrator's cut-off (apikeys).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apikeys.authentication.ApiKeyAuthentication",
        "apikeys.authentication.LegacyTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # An endpoint declares the key scope it needs (apikeys.scopes); one that declares none is closed to keys.
    "DEFAULT_PERMISSION_CLASSES": ["apikeys.permissions.HasKeyScope", "rest_framework.permissions.IsAuthenticated"],
    # Per key; sessions and legacy tokens are not counted (the rate: APIKEYS_DEFAULT_RATE below).
    "DEFAULT_THROTTLE_CLASSES": ["apikeys.throttling.ApiKeyRateThrottle"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "portal.api.exceptions.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "党建+服务门户 API",
    "DESCRIPTION": "党建+金融、党建+保险、党建+科创服务门户的接口。银行与保险机构系统使用机构接口密钥认证（请求头 Authorization: Api-Key <密钥>）。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "portal.api.schema_hooks.declare_error_answers"],
    # Several apps have a field called `status`: each choice set gets its own stable name.
    "ENUM_NAME_OVERRIDES": {
        "RatingStatusEnum": "ratings.choices.RatingStatus",
        "LoanStatusEnum": "finance.choices.LoanStatus",
        "LoanActionEnum": "finance.choices.LoanAction",
        "RejectReasonEnum": "finance.choices.RejectReason",
        "QuoteStatusEnum": "insurance.choices.QuoteStatus",
        "CadreRangeStateEnum": "liaison.rules.pairings.CADRE_STATES",
        "AppealStatusEnum": "liaison.choices_appeals.AppealStatus",
        "AppealCategoryEnum": "liaison.choices_appeals.AppealCategory",
        "AppealChannelEnum": "liaison.choices_appeals.AppealChannel",
        # Keeps the loan applications' "channel" at the name it had before appeals got a channel too.
        "ChannelEnum": "finance.choices.Channel",
        "AppealPlatformEnum": "liaison.choices_appeals.AppealPlatform",
        "AppealActionEnum": "liaison.choices_appeals.AppealAction",
        "EscalationReasonEnum": "liaison.choices_appeals.EscalationReason",
    },
}

# Celery: Redis is the broker when REDIS_URL is set; otherwise tasks run in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
# Without a broker, a task runs in a background thread of the web process (portal.background), so the
# request that asked for a long job answers at once and its progress page sees the work advance.
PORTAL_TASKS_IN_THREAD = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 15 * 60
CELERY_TASK_TIME_LIMIT = 20 * 60
# A message a worker took but did not acknowledge (the worker was killed) goes back to the queue after
# the visibility timeout: the longest task (CELERY_TASK_TIME_LIMIT) and a margin, so a live task is never
# handed to a second worker. Reports do not wait for it: their heartbeat hands a dead run's report on
# within a minute or two (PORTAL_TASK_STALE_SECONDS, reports.services). A broker that does not answer is
# given up on after a few seconds; the outbox (portal.outbox) keeps what was to be sent.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 30 * 60, "socket_connect_timeout": 3}
# The outbox relay (beat) runs this often; a running report's worker writes its heartbeat this often, and a
# report whose heartbeat is older than the stale limit is handed to another worker.
PORTAL_OUTBOX_RELAY_SECONDS = env.int("PORTAL_OUTBOX_RELAY_SECONDS", default=30)
PORTAL_TASK_HEARTBEAT_SECONDS = env.int("PORTAL_TASK_HEARTBEAT_SECONDS", default=10)
PORTAL_TASK_STALE_SECONDS = env.int("PORTAL_TASK_STALE_SECONDS", default=60)
# The banks' and insurers' API eligibility lookups are audited through a plain pending table that the
# beat moves into the audit chain in bulk this often (finance.models.lookups), instead of a chained row
# per call; without Redis (the embedded mode, no beat) each lookup goes into the chain at once.
PORTAL_DEFER_LOOKUP_AUDIT = env.bool("PORTAL_DEFER_LOOKUP_AUDIT", default=bool(REDIS_URL))
PORTAL_LOOKUP_AUDIT_FLUSH_SECONDS = env.int("PORTAL_LOOKUP_AUDIT_FLUSH_SECONDS", default=10)
# A pending lookup's row commits without waiting for the disk (finance.services.lookups): a crash of the
# PostgreSQL server may lose the last few hundred milliseconds of lookups from the log. True: wait.
PORTAL_LOOKUP_AUDIT_SYNCHRONOUS = env.bool("PORTAL_LOOKUP_AUDIT_SYNCHRONOUS", default=False)
# How long each API worker may answer eligibility from its own copy of the day's quota and discount
# tables (a table that takes effect today shows in the API within this time; approvals always read it).
# Off here (tests and `make run` see every change at once); production.py keeps it 30 seconds.
PORTAL_API_POLICY_CACHE_SECONDS = env.int("PORTAL_API_POLICY_CACHE_SECONDS", default=0)
CELERY_WORKER_MAX_TASKS_PER_CHILD = 50
CELERY_TIMEZONE = TIME_ZONE
# How many reverse proxies of ours stand in front of the app: the client address (audit log, rate
# limits of the public pages) is read from X-Forwarded-For only as far as they wrote it.
PORTAL_TRUSTED_PROXIES = env.int("PORTAL_TRUSTED_PROXIES", default=0)
# How long audit rows stay in the table before the monthly archiving moves them to a file (never less
# than 183 days: the retention the classified-protection rules ask for is six months).
PORTAL_AUDIT_RETENTION_DAYS = env.int("PORTAL_AUDIT_RETENTION_DAYS", default=365)
# The address printed under a certificate's QR code: where the public verification page is reached.
# Without it a certificate's QR code leads to this machine's own address, which no bank can open:
# `manage.py check --deploy` warns (reports.checks).
PORTAL_PUBLIC_URL = env("PORTAL_PUBLIC_URL", default="http://127.0.0.1:8000")
# Notifications by e-mail: DJANGO_EMAIL_URL names the mail server (e.g. smtp+tls://user:password@host:587);
# without it mail goes to the console (the embedded set-up). DEFAULT_FROM_EMAIL is the sender.
vars().update(env.email_url("DJANGO_EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="党建+服务门户 <noreply@localhost>")
# Notifications by SMS: the class that hands a message to the SMS platform (notifications.channels). The
# city's gateway plugs in here as a subclass of notifications.channels.SmsGateway; the default only logs.
NOTIFICATIONS_SMS_GATEWAY = env("PORTAL_SMS_GATEWAY", default="notifications.channels.LoggingSmsGateway")
# Who issues the documents (certificates, the work report); empty: the demo city's organization department.
PORTAL_ISSUER = env("PORTAL_ISSUER", default="")
# The work report's document number: 组工报〔2026〕N号 with this prefix (the issuer's abbreviation).
PORTAL_REPORT_NUMBER_PREFIX = env("PORTAL_REPORT_NUMBER_PREFIX", default="")

# The second factor (twofactor app, django-otp TOTP): the roles whose sign-in must pass it. The
# administrator is always among them, whatever the environment says; any other user may turn it on for
# themselves on the account security page, and from then on their sign-in asks for it too.
PORTAL_SECOND_FACTOR_ROLES = sorted(
    {"admin", *env.list("PORTAL_SECOND_FACTOR_ROLES", default=["admin", "org_staff", "bank_officer",
                                                               "insurer_officer"])}
)
# Accounts that may enter the admin site (is_staff, is_superuser) must pass it too.
PORTAL_SECOND_FACTOR_FOR_STAFF = True
# The name an authenticator app shows beside the account.
OTP_TOTP_ISSUER = env("PORTAL_SECOND_FACTOR_ISSUER", default="党建+服务门户")
# django-otp's throttle: after n wrong codes in a row, the next try waits 2^(n-1) seconds.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1  # the recovery codes' (twofactor.models.RecoveryCodeDevice reads it)
# Institution API keys (apikeys): requests per key (DRF's notation; a key may carry its own per-minute
# rate, set by the system administrator), a new key's lifetime and the longest one, how long a rotated
# key keeps working by default, and how often a key's "last used" is written (seconds).
APIKEYS_DEFAULT_RATE = env("APIKEYS_DEFAULT_RATE", default="600/min")
APIKEYS_DEFAULT_LIFETIME_DAYS = env.int("APIKEYS_DEFAULT_LIFETIME_DAYS", default=365)
APIKEYS_MAX_LIFETIME_DAYS = env.int("APIKEYS_MAX_LIFETIME_DAYS", default=730)
APIKEYS_ROTATION_OVERLAP_DAYS = 7
APIKEYS_LAST_USED_INTERVAL = 60

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every layout step at INFO: a worker's log would be nothing else.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
# Periodic work (run by `celery beat`, see docker-compose.yml and the Makefile's `beat`).
CELERY_BEAT_SCHEDULE = {
    # Ratings whose public notice ended without an open objection are named the next morning.
    "ratings-publish-due": {"task": "ratings.publish_due", "schedule": crontab(hour=1, minute=10)},
    # Insurance quotes past their validity are marked expired.
    "insurance-expire-quotes": {"task": "insurance.expire_quotes", "schedule": crontab(hour=1, minute=20)},
    # Appeals past their deadline (or left unassigned) are escalated to the paired cadres each night.
    "liaison-escalate-overdue": {"task": "liaison.escalate_overdue", "schedule": crontab(hour=1, minute=30)},
    # Loan, benefit and rating steps overdue by a working day are raised once to the level above.
    "workflow-escalate-overdue": {"task": "workflow.escalate_overdue", "schedule": crontab(hour=1, minute=40)},
    # The holders of cases due within two working days hear of it, as the working day begins.
    "notifications-remind-deadlines": {"task": "notifications.remind_deadlines",
                                       "schedule": crontab(hour=7, minute=30)},
    # The ratings' summary copy the leaders' dashboard reads (changes since are read live): kept fresh so
    # that what is read live stays small.
    "reports-refresh-rating-facts": {"task": "reports.refresh_rating_facts", "schedule": crontab(minute="*/15")},
    # Expired sessions leave the store, and their records in the signed-in devices list are marked ended.
    "logins-clear-expired-sessions": {"task": "logins.clear_expired_sessions", "schedule": crontab(minute="*/15")},
    # What waits in the outbox (asked for while Redis was down) goes to the broker, and reports whose
    # worker died are handed to another; a run not started before the next one is due is dropped.
    "portal-outbox-relay": {"task": "portal.outbox_relay", "schedule": timedelta(seconds=PORTAL_OUTBOX_RELAY_SECONDS),
                            "options": {"expires": PORTAL_OUTBOX_RELAY_SECONDS}},
    "reports-requeue-stale": {"task": "reports.requeue_stale", "schedule": timedelta(seconds=PORTAL_OUTBOX_RELAY_SECONDS),
                              "options": {"expires": PORTAL_OUTBOX_RELAY_SECONDS}},
    # Audit rows past the retention period go to an archive file whose hashes continue the chain.
    "portal-audit-archive": {"task": "portal.audit_archive", "schedule": crontab(day_of_month=1, hour=2, minute=30)},
    "finance-flush-eligibility-lookups": {"task": "finance.flush_eligibility_lookups",
                                          "schedule": timedelta(seconds=PORTAL_LOOKUP_AUDIT_FLUSH_SECONDS),
                                          "options": {"expires": PORTAL_LOOKUP_AUDIT_FLUSH_SECONDS}},
}
