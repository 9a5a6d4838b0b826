from django.urls import path

from . import views

app_name = "apikeys"

urlpatterns = [
    path("", views.ApiKeyListView.as_view(), name="list"),
    path("new/", views.ApiKeyCreateView.as_view(), name="create"),
    path("legacy-tokens/", views.LegacyTokenView.as_view(), name="legacy"),
    path("<slug:prefix>/edit/", views.ApiKeyUpdateView.as_view(), name="update"),
    path("<slug:prefix>/rotate/", views.ApiKeyRotateView.as_view(), name="rotate"),
    path("<slug:prefix>/revoke/", views.ApiKeyRevokeView.as_view(), name="revoke"),
]
