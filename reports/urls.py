from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.ReportListView.as_view(), name="list"),
    path("request/", views.report_request_view, name="request"),
    path("<int:pk>/", views.report_detail_view, name="detail"),
    path("<int:pk>/status/", views.report_status_view, name="status"),
    path("<int:pk>/download/", views.report_download_view, name="download"),
]
