from django.urls import path

from . import dashboards, views

app_name = "reports"
urlpatterns = [
    path("", views.ReportListView.as_view(), name="list"),
    path("request/", views.report_request_view, name="request"),
    path("<int:pk>/", views.report_detail_view, name="detail"),
    path("<int:pk>/status/", views.report_status_view, name="status"),
    path("<int:pk>/download/", views.report_download_view, name="download"),
    path("dashboard/", dashboards.LeaderDashboardView.as_view(), name="dashboard"),
    path("dashboard/station/", dashboards.StationDashboardView.as_view(), name="station_dashboard"),
    path("dashboard/bank/", dashboards.BankDashboardView.as_view(), name="bank_dashboard"),
    path("work-report/", dashboards.WorkReportRequestView.as_view(), name="work_report"),
]
