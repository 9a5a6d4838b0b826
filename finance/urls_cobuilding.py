"""Co-building (组织共建) pages. A plain list of patterns, names prefixed `cobuilding_`: finance's
urls.py includes it under its own namespace as `path("cobuilding/", include(...))`."""

from django.urls import path

from .views import cobuilding

urlpatterns = [
    path("", cobuilding.CoBuildingOverviewView.as_view(), name="cobuilding_overview"),
    path("pairs/new/", cobuilding.PairCreateView.as_view(), name="cobuilding_pair_create"),
    path("pairs/<int:pk>/", cobuilding.PairDetailView.as_view(), name="cobuilding_pair_detail"),
    path("pairs/<int:pk>/end/", cobuilding.PairEndView.as_view(), name="cobuilding_pair_end"),
    path("pairs/<int:pk>/activities/", cobuilding.ActivityAddView.as_view(), name="cobuilding_activity_add"),
    path("exchanges/new/", cobuilding.ExchangeCreateView.as_view(), name="cobuilding_exchange_create"),
]
