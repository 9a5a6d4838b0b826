from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from ratings.urls import public_urlpatterns
from reports import views as reports_views
from twofactor.views import AdminLoginRedirectView

from . import health
from .csp import csp_report_view
from .views import accounts, assets, registry

urlpatterns = [
    path("", registry.HomeView.as_view(), name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("csp-report/", csp_report_view, name="csp_report"),
    path("favicon.ico", assets.favicon),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", accounts.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/two-factor/", include("twofactor.urls")),
    path("accounts/sessions/", include("logins.urls")),
    path("api-keys/", include("apikeys.urls")),
    path("notifications/", include("notifications.urls")),
    path("enterprises/", registry.EnterpriseListView.as_view(), name="enterprise_list"),
    path("enterprises/new/", registry.EnterpriseFormView.as_view(), name="enterprise_create"),
    path("enterprises/<int:pk>/", registry.EnterpriseDetailView.as_view(), name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", registry.EnterpriseFormView.as_view(), name="enterprise_update"),
    path("enterprises/<int:pk>/<slug:tab>/", registry.EnterpriseDetailView.as_view(), name="enterprise_tab"),
    path("people/", registry.PersonListView.as_view(), name="person_list"),
    path("people/new/", registry.PersonFormView.as_view(), name="person_create"),
    path("people/search/", registry.PersonSearchView.as_view(), name="person_search"),
    path("people/<int:pk>/", registry.PersonDetailView.as_view(), name="person_detail"),
    path("people/<int:pk>/edit/", registry.PersonFormView.as_view(), name="person_update"),
    path("people/<int:pk>/unmask/", registry.person_unmask_view, name="person_unmask"),
    path("stations/", registry.StationListView.as_view(), name="station_list"),
    path("stations/<int:pk>/", registry.StationDetailView.as_view(), name="station_detail"),
    path("regions/", registry.RegionListView.as_view(), name="region_list"),
    path("institutions/", registry.InstitutionListView.as_view(), name="institution_list"),
    path("audit/", registry.AuditLogListView.as_view(), name="audit_list"),
    path("imports/", include("portal.imports.urls")),
    path("ratings/", include("ratings.urls")),
    path("insurance/", include("insurance.urls")),
    path("cobuilding/", include(("finance.urls_cobuilding", "cobuilding"))),
    path("finance/", include("finance.urls")),
    path("talent/", include("talent.urls")),
    path("liaison/", include("liaison.urls")),
    path("notice/", include((public_urlpatterns, "public"))),
    path("reports/", include("reports.urls")),
    path("quality/", include("quality.urls")),
    path("workflows/", include("workflow.diagram_urls")),
    path("service-time/", include("workflow.limits_urls")),
    path("verify/", reports_views.verify_view, name="verify_form"),
    path("verify/<str:code>/", reports_views.verify_view, name="verify"),
    path("api/", include("portal.api.urls")),
    # The admin site signs in through the portal's own login, and so behind the same second factor.
    path("admin/login/", AdminLoginRedirectView.as_view(), name="admin_login"),
    path("admin/", admin.site.urls),
]

# No URL serves MEDIA_ROOT, not even with DEBUG on: evidence, appeal attachments, generated documents
# and import files are read only through the views that check the reader's scope (tests/test_file_access.py).

# Errors under /api/ answer JSON; a database outage answers 503 (portal/views/errors.py).
handler400 = "portal.views.errors.bad_request"
handler403 = "portal.views.errors.permission_denied"
handler404 = "portal.views.errors.page_not_found"
handler500 = "portal.views.errors.server_error"
