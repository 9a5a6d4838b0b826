from django.urls import path

from . import views

app_name = "twofactor"

urlpatterns = [
    path("", views.SecurityView.as_view(), name="security"),
    path("setup/", views.SetupView.as_view(), name="setup"),
    path("verify/", views.VerifyView.as_view(), name="verify"),
    path("recovery-codes/", views.RecoveryCodesView.as_view(), name="recovery_codes"),
    path("recovery-codes/download/", views.RecoveryCodesDownloadView.as_view(), name="recovery_codes_download"),
    path("recovery-codes/new/", views.RegenerateView.as_view(), name="recovery_regenerate"),
    path("turn-off/", views.TurnOffView.as_view(), name="turn_off"),
    path("accounts/", views.AccountListView.as_view(), name="account_list"),
    path("accounts/<int:pk>/reset/", views.ResetView.as_view(), name="reset"),
]
