"""Pages of the pairings part (cadres, pairings, visits), included by liaison/urls.py under the
namespace "liaison"; names start with their entity so that they stay unique across the parts."""

from django.urls import path

from .views import pairings as views

urlpatterns = [
    path("cadres/", views.CadreListView.as_view(), name="cadre_list"),
    path("cadres/new/", views.CadreFormView.as_view(), name="cadre_create"),
    path("cadres/<int:pk>/", views.CadreDetailView.as_view(), name="cadre_detail"),
    path("cadres/<int:pk>/edit/", views.CadreFormView.as_view(), name="cadre_update"),
    path("cadres/<int:pk>/pairings/", views.PairingCreateView.as_view(), name="pairing_create"),
    path("pairings/<int:pk>/end/", views.PairingEndView.as_view(), name="pairing_end"),
    path("coverage/", views.CoverageView.as_view(), name="pairing_coverage"),
    path("visits/", views.VisitListView.as_view(), name="visit_list"),
    path("visits/new/", views.VisitCreateView.as_view(), name="visit_create"),
    path("visits/<int:pk>/", views.VisitDetailView.as_view(), name="visit_detail"),
    path("mine/", views.MyPairingsView.as_view(), name="my_pairings"),
]
