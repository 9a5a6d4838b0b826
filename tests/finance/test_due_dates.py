"""A loan application's due date in the list (the 期限 column, the filter, the order), on its page
and in the API."""

import pytest
from django.urls import reverse

from finance.filtersets import LoanApplicationFilterSet
from finance.models import LoanApplication
from tests.workflow.due_helpers import api_get, late, later, pks, set_due, soon

pytestmark = pytest.mark.django_db


def test_the_list_filters_overdue_and_due_soon_and_sorts_by_due_date(fworld):
    a, b = set_due(fworld.app_a, late()), set_due(fworld.app_b, soon())
    rows = LoanApplication.objects.all()
    assert pks(LoanApplicationFilterSet, {"due": "overdue"}, rows) == [a.pk]
    assert pks(LoanApplicationFilterSet, {"due": "soon"}, rows) == [b.pk]
    set_due(b, later())
    assert pks(LoanApplicationFilterSet, {"due": "soon"}, rows) == []
    assert pks(LoanApplicationFilterSet, {"sort": "due"}, rows) == [a.pk, b.pk]
    assert pks(LoanApplicationFilterSet, {"sort": "-due"}, rows) == [b.pk, a.pk]


def test_the_list_page_shows_the_due_column_and_keeps_only_the_overdue(client, fworld):
    set_due(fworld.app_a, late())
    set_due(fworld.app_b, later())
    client.force_login(fworld.org_staff)
    page = client.get(reverse("finance:application_list"), {"due": "overdue"}).content.decode()
    assert "期限" in page
    assert f'data-due="{late():%Y-%m-%d}"' in page
    assert "已超期 2 个工作日" in page
    assert f"#{fworld.app_b.pk}<" not in page


def test_the_detail_page_shows_the_due_date_and_the_days_left(client, fworld):
    set_due(fworld.app_b, soon())
    client.force_login(fworld.bank2_officer)
    page = client.get(reverse("finance:application_detail", args=[fworld.app_b.pk])).content.decode()
    assert f"期限 {soon():%Y-%m-%d}" in page
    assert "还剩 1 个工作日" in page
    assert "text-bg-warning" in page


def test_the_api_carries_the_due_date_and_whether_it_is_overdue(fworld):
    set_due(fworld.app_a, late())
    data = api_get(fworld.org_staff, reverse("api:loan-application-detail", args=[fworld.app_a.pk])).json()
    assert (data["due_on"], data["overdue"]) == (late().isoformat(), True)
    set_due(fworld.app_a, None)
    data = api_get(fworld.org_staff, reverse("api:loan-application-detail", args=[fworld.app_a.pk])).json()
    assert (data["due_on"], data["overdue"]) == (None, False)
    listed = api_get(fworld.org_staff, reverse("api:loan-application-list"), {"due": "overdue"}).json()
    assert listed["count"] == 0
