from django.urls import path

from . import views

app_name = "logins"

urlpatterns = [
    path("", views.UserSessionListView.as_view(), name="list"),
    path("<int:pk>/end/", views.UserSessionEndView.as_view(), name="end"),
    path("end-others/", views.UserSessionEndOthersView.as_view(), name="end_others"),
]
