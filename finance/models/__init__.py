"""Loan products, quota tables, the enterprise's credit line, loan applications and co-building."""

from .cobuilding import CadreExchange, CoBuildingActivity, CoBuildingPair
from .loans import CreditLine, LoanApplication, LoanEvent
from .lookups import EligibilityLookup
from .products import LoanProduct, QuotaRow, QuotaTable

__all__ = [
    "CadreExchange", "CoBuildingActivity", "CoBuildingPair", "CreditLine", "EligibilityLookup", "LoanApplication", "LoanEvent",
    "LoanProduct", "QuotaRow", "QuotaTable",
]
