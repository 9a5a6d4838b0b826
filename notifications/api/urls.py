from rest_framework.routers import SimpleRouter

from .views import NotificationViewSet

# On a router of its own, like each app's (tests/notifications/test_api.py lists its routes).
router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notification")
urlpatterns = router.urls
