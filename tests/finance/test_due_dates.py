"""A loan application's due date in the list (the 期限 column, the filter, the order), on its page
and in the API."""

import pytest
from django.urls import reverse
from django.utils import timezone

from finance.filtersets import LoanApplicationFilterSet
from finance.models import LoanApplication
from portal.models import AuditLog
from tests.workflow.due_helpers import api_get, late, later, pks, set_due, soon
from workflow.calendar import add_working_days
from workflow.models import WorkdayOverride

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


def test_a_closure_moves_the_open_cases_due_on_or_after_it_and_its_removal_moves_them_back(client, fworld):
    # given two open applications, one due before the closure day and one after it
    start = timezone.localdate()
    closed = add_working_days(start, 3)
    before, after = add_working_days(start, 2), add_working_days(start, 5)
    LoanApplication.objects.filter(pk=fworld.app_a.pk).update(due_on=before)
    LoanApplication.objects.filter(pk=fworld.app_b.pk).update(due_on=after)
    client.force_login(fworld.org_staff)
    # when the department closes a working day between them
    client.post(reverse("service_time:override_create"),
                {"date": closed.isoformat(), "is_working_day": "0", "name": "台风停工"})
    # then only the later one is due a working day later, and the audit row says how many moved
    assert LoanApplication.objects.get(pk=fworld.app_a.pk).due_on == before
    assert LoanApplication.objects.get(pk=fworld.app_b.pk).due_on == add_working_days(start, 5)  # with the closure
    assert LoanApplication.objects.get(pk=fworld.app_b.pk).due_on > after
    assert AuditLog.objects.get(action="workday_override.create").note == "顺延或提前了 1 件在办事项的期限。"
    # and removing the closure gives the day back
    client.post(reverse("service_time:override_delete", args=[WorkdayOverride.objects.get(date=closed).pk]))
    assert LoanApplication.objects.get(pk=fworld.app_b.pk).due_on == after
