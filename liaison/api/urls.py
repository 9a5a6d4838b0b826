"""The liaison app's API routes, added to /api/v1/ by portal/api/urls.py (namespace "api"): appeals
(create, list, transition) and pairings (read), each part registering its own viewsets."""

from rest_framework.routers import SimpleRouter

from . import appeals, pairings

router = SimpleRouter()
pairings.register(router)
appeals.register(router)
urlpatterns = [*router.urls]
