"""A benefit application's due date: set when it is submitted (fifteen working days for the
department's review), in the list (the 期限 column, the filter, the order), on its page and in the API."""

import pytest
from django.urls import reverse
from django.utils import timezone

from talent import services
from talent.filtersets import BenefitApplicationFilterSet
from talent.models import BenefitApplication
from tests.workflow.due_helpers import api_get, late, later, pks, set_due, soon
from workflow.calendar import add_working_days

pytestmark = pytest.mark.django_db


def test_a_submitted_application_is_due_in_fifteen_working_days_and_not_once_decided(tw):
    assert BenefitApplication.objects.get(pk=tw.app_a.pk).due_on == add_working_days(timezone.localdate(), 15)
    tw.app_a.refresh_from_db()
    decided = services.benefit_application_act(acting_user=tw.org_staff, application=tw.app_a, action="reject",
                                               expected_version=tw.app_a.version, note="材料不全，不符合条件")
    assert BenefitApplication.objects.get(pk=decided.pk).due_on is None


def test_the_list_filters_overdue_and_due_soon_and_sorts_by_due_date(tw):
    a, b = set_due(tw.app_a, late()), set_due(tw.app_b, soon())
    rows = BenefitApplication.objects.all()
    assert pks(BenefitApplicationFilterSet, {"due": "overdue"}, rows) == [a.pk]
    assert pks(BenefitApplicationFilterSet, {"due": "soon"}, rows) == [b.pk]
    assert pks(BenefitApplicationFilterSet, {"sort": "due"}, rows) == [a.pk, b.pk]
    set_due(b, later())
    assert pks(BenefitApplicationFilterSet, {"due": "soon"}, rows) == []


def test_the_list_page_has_the_due_column(client, tw):
    set_due(tw.app_a, late())
    client.force_login(tw.org_staff)
    page = client.get(reverse("talent:benefit_list"), {"due": "overdue"}).content.decode()
    assert "期限" in page
    assert "已超期 2 个工作日" in page
    assert tw.app_a.reference in page
    assert tw.app_b.reference not in page


def test_the_detail_page_shows_the_due_date(client, tw):
    set_due(tw.app_a, later())
    client.force_login(tw.org_staff)
    page = client.get(reverse("talent:benefit_detail", args=[tw.app_a.pk])).content.decode()
    assert f"期限 {later():%Y-%m-%d}" in page
    assert "还剩 10 个工作日" in page
    assert "text-bg-success" in page


def test_the_api_carries_the_due_date_and_whether_it_is_overdue(tw):
    set_due(tw.app_a, late())
    data = api_get(tw.org_staff, reverse("api:benefit-application-detail", args=[tw.app_a.pk])).json()
    assert (data["due_on"], data["overdue"]) == (late().isoformat(), True)
    data = api_get(tw.org_staff, reverse("api:benefit-application-detail", args=[tw.app_b.pk])).json()
    assert data["overdue"] is False
    assert data["due_on"] is not None
