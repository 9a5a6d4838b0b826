from django.urls import path

from . import views

urlpatterns = [
    path("", views.ImportListView.as_view(), name="import_list"),
]
