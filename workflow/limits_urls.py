from django.urls import path

from . import views

app_name = "service_time"

urlpatterns = [
    path("", views.ServiceTimeView.as_view(), name="settings"),
    path("limits/new/", views.StepLimitCreateView.as_view(), name="limit_create"),
    path("workdays/new/", views.WorkdayOverrideCreateView.as_view(), name="override_create"),
    path("workdays/<int:pk>/delete/", views.WorkdayOverrideDeleteView.as_view(), name="override_delete"),
]
