"""Every write of the credit scheme: products and quota tables, loan applications, co-building."""

from .loans import loan_application_act, loan_application_submit
from .policies import product_create, product_update, quota_table_create

__all__ = ["loan_application_act", "loan_application_submit", "product_create", "product_update",
           "quota_table_create"]
