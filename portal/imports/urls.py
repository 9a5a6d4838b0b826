from django.urls import path

from . import views

urlpatterns = [
    path("", views.ImportListView.as_view(), name="import_list"),
    path("upload/", views.ImportUploadView.as_view(), name="import_upload"),
    path("template.xlsx", views.ImportTemplateView.as_view(), name="import_template"),
    path("<int:pk>/", views.ImportDetailView.as_view(), name="import_detail"),
    path("<int:pk>/status/", views.ImportStatusView.as_view(), name="import_status"),
    path("<int:pk>/commit/", views.ImportCommitView.as_view(), name="import_commit"),
    path("<int:pk>/cancel/", views.ImportCancelView.as_view(), name="import_cancel"),
    path("<int:pk>/errors.csv", views.ImportErrorsView.as_view(), name="import_errors"),
]
