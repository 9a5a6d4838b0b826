from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import SimpleRouter

from ratings.api import views as ratings_views

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

# The schema and its docs need a login too: the interface of the registry is not for the public.
_docs_access = {"authentication_classes": views.AUTHENTICATION_CLASSES, "permission_classes": [IsAuthenticated]}

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(**_docs_access), name="api_schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api_schema", **_docs_access), name="api_docs"),
    path("v1/", include((router.urls + ratings_router.urls, "api"))),
]
