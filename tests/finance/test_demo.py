"""The finance demo: products, the default table, applications in every state, and the credit lines
agreeing with the approved amounts, as the services would have left them."""

import pytest
from django.db.models import Sum

from finance.choices import LoanStatus
from finance.models import CreditLine, LoanApplication, LoanProduct, QuotaTable
from finance.selectors import eligibility, loan_application_list
from portal.models import Enterprise
from tests import demo_seed

pytestmark = pytest.mark.django_db


seeded = demo_seed.seeded  # the demo data, seeded once for the module and flushed after it


def test_products_table_and_every_state(seeded):
    assert LoanProduct.objects.count() == 10
    table = QuotaTable.objects.get()
    assert {r.stars: int(r.amount) for r in table.rows.all()} == {1: 1_000_000, 2: 2_000_000, 3: 3_000_000,
                                                                  4: 4_000_000, 5: 5_000_000}
    states = set(LoanApplication.objects.values_list("status", flat=True))
    assert states == set(LoanStatus.values)


def test_credit_lines_agree_with_approvals_and_quotas(seeded):
    for line in CreditLine.objects.select_related("enterprise"):
        outstanding = LoanApplication.objects.filter(
            enterprise=line.enterprise, status__in=[LoanStatus.APPROVED, LoanStatus.DISBURSED]).aggregate(
            s=Sum("approved_amount"))["s"]
        assert outstanding == line.used
        assert line.used <= line.quota
        assert eligibility(line.enterprise).used == line.used
    decided = LoanApplication.objects.filter(status__in=[LoanStatus.APPROVED, LoanStatus.DISBURSED, LoanStatus.REPAID])
    assert not decided.filter(quota__isnull=True).exists()
    assert not decided.filter(rating__isnull=True).exists()


def test_every_application_has_its_history(seeded):
    for application in LoanApplication.objects.prefetch_related("events")[:200]:
        events = list(application.events.all())
        assert events[0].action == "submit"
        assert events[-1].to_status == application.status
        assert [e.at for e in events] == sorted(e.at for e in events)


def test_the_demo_accounts_have_work(seeded):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    bank = loan_application_list(user=users.get(username="bank"))
    assert bank.filter(status__in=[LoanStatus.SUBMITTED, LoanStatus.ACCEPTED]).exists()
    assert set(bank.values_list("bank", flat=True)) == {users.get(username="bank").role_assignments.get().institution_id}
    mine = loan_application_list(user=users.get(username="enterprise"))
    assert mine.count() == 2
    assert Enterprise.objects.count() == 3000
