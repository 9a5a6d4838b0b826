from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import SimpleRouter

from finance.api import views as finance_views
from insurance.api import views as insurance_views
from liaison.api import urls as liaison_api
from notifications.api import urls as notifications_api
from ratings.api import views as ratings_views
from talent.api import views as talent_views

from . import views

# SimpleRouter: no API root view and no format-suffix routes, only the names listed here.
router = SimpleRouter()
router.register("regions", views.RegionViewSet, basename="region")
router.register("parks", views.ParkViewSet, basename="park")
router.register("institutions", views.InstitutionViewSet, basename="institution")
router.register("stations", views.StationViewSet, basename="station")
router.register("enterprises", views.EnterpriseViewSet, basename="enterprise")
router.register("people", views.PersonViewSet, basename="person")
router.register("audit-log", views.AuditLogViewSet, basename="audit-log")

# The ratings app's routes, on a router of their own so that each app's tests can list exactly the
# routes they cover (tests/portal/test_api.py and tests/ratings/test_api.py); same namespace.
ratings_router = SimpleRouter()
ratings_router.register("ratings", ratings_views.RatingViewSet, basename="rating")
ratings_router.register("party-organizations", ratings_views.PartyOrganizationViewSet,
                        basename="party-organization")

finance_router = SimpleRouter()
finance_router.register("loan-applications", finance_views.LoanApplicationViewSet, basename="loan-application")
finance_urls = [
    # Before the single lookup, whose <str:uscc> would take "batch" for a code.
    path("eligibility/batch/", finance_views.EligibilityBatchApi.as_view(), name="eligibility-batch"),
    path("eligibility/<str:uscc>/", finance_views.EligibilityApi.as_view(), name="eligibility"),
    *finance_router.urls,
]

# The insurance app's routes, on a router of their own like the ratings' (tests/insurance/test_api.py).
insurance_router = SimpleRouter()
insurance_router.register("insurance-quotes", insurance_views.QuoteViewSet, basename="insurance-quote")
insurance_router.register("insurance-policies", insurance_views.PolicyViewSet, basename="insurance-policy")

# The talent app's routes (read-only), on a router of their own (tests/talent/test_api.py).
talent_router = SimpleRouter()
talent_router.register("talents", talent_views.TalentViewSet, basename="talent")
talent_router.register("benefit-applications", talent_views.BenefitApplicationViewSet, basename="benefit-application")
talent_router.register("innovation-projects", talent_views.InnovationProjectViewSet, basename="innovation-project")
talent_router.register("training-sessions", talent_views.TrainingSessionViewSet, basename="training-session")

# The schema and its docs need a login too: the interface of the registry is not for the public.
_docs_access = {"authentication_classes": views.AUTHENTICATION_CLASSES, "permission_classes": [IsAuthenticated]}

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(**_docs_access), name="api_schema"),
    # The split view: Swagger UI's start-up script is a file (docs/?script=), not inline, so the page runs
    # under the content-security policy (script-src 'self'); its template has no <style> block either.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema", template_name="portal/api_docs.html",
                                                      **_docs_access), name="api_docs"),
    path("v1/", include((router.urls + ratings_router.urls + finance_urls + insurance_router.urls + liaison_api.urlpatterns
                          + talent_router.urls + notifications_api.urlpatterns, "api"))),
]
