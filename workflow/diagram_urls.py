from django.urls import path

from . import diagram_views

app_name = "workflows"

urlpatterns = [
    path("", diagram_views.WorkflowListView.as_view(), name="list"),
    path("<slug:key>/", diagram_views.WorkflowDetailView.as_view(), name="detail"),
]
