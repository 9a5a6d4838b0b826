from django.urls import path

from .views import products, quotes

app_name = "insurance"

urlpatterns = [
    path("", quotes.QuoteListView.as_view(), name="quote_list"),
    path("quotes/new/", quotes.QuoteCreateView.as_view(), name="quote_create"),
    path("quotes/enterprises/", quotes.QuoteEnterpriseSearchView.as_view(), name="quote_enterprise_search"),
    path("quotes/<int:pk>/", quotes.QuoteDetailView.as_view(), name="quote_detail"),
    path("quotes/<int:pk>/issue/", quotes.PolicyIssueView.as_view(), name="policy_issue"),
    path("policies/", quotes.PolicyListView.as_view(), name="policy_list"),
    path("policies/<int:pk>/", quotes.PolicyDetailView.as_view(), name="policy_detail"),
    path("products/", products.ProductListView.as_view(), name="product_list"),
    path("products/new/", products.ProductFormView.as_view(), name="product_create"),
    path("products/<int:pk>/edit/", products.ProductFormView.as_view(), name="product_update"),
    path("discounts/", products.DiscountTableListView.as_view(), name="discount_table_list"),
    path("discounts/new/", products.DiscountTableCreateView.as_view(), name="discount_table_create"),
]
