from django.urls import path

from .views import desk, loans

app_name = "finance"

urlpatterns = [
    path("eligibility/", loans.EligibilityLookupView.as_view(), name="lookup"),
    path("desk/", desk.StationDeskView.as_view(), name="desk"),
    path("applications/", loans.LoanApplicationListView.as_view(), name="application_list"),
    path("applications/new/", loans.LoanApplicationCreateView.as_view(), name="application_create"),
    path("applications/<int:pk>/", loans.LoanApplicationDetailView.as_view(), name="application_detail"),
    path("applications/<int:pk>/<str:action>/", loans.LoanApplicationActionView.as_view(),
         name="application_action"),
    path("policies/", loans.PoliciesView.as_view(), name="policies"),
    path("policies/quota-tables/new/", loans.QuotaTableCreateView.as_view(), name="quota_table_create"),
    path("policies/products/new/", loans.ProductCreateView.as_view(), name="product_create"),
    path("policies/products/<int:pk>/toggle/", loans.ProductToggleView.as_view(), name="product_toggle"),
]
