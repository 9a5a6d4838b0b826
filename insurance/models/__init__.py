"""Insurance products, the discount table star → rate, quotes and the policies issued from them."""

from .products import DiscountRow, DiscountTable, InsuranceProduct
from .quotes import ISSUE, Policy, Quote

__all__ = ["ISSUE", "DiscountRow", "DiscountTable", "InsuranceProduct", "Policy", "Quote"]
