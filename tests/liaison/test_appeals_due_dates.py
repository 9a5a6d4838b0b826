"""An appeal's due date (the earlier of its step's limit and its hand-set deadline) in the list (the
期限 column, the filter, the order), on its page and in the API, next to its own deadline."""
# ruff: noqa: F811  (`aworld` is a pytest fixture imported from fixtures_appeals)

import pytest
from django.urls import reverse

from liaison.filtersets.appeals import AppealFilterSet
from liaison.models import Appeal
from tests.workflow.due_helpers import api_get, late, later, pks, set_due, soon

from .fixtures_appeals import aworld  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db


def test_the_list_filters_overdue_and_due_soon_and_sorts_by_due_date(aworld):
    w = aworld
    a, b = set_due(w.appeal_a, late()), set_due(w.appeal_b, soon())
    Appeal.objects.exclude(pk__in=[a.pk, b.pk]).update(due_on=later())
    rows = Appeal.objects.all()
    assert pks(AppealFilterSet, {"due": "overdue"}, rows) == [a.pk]
    assert pks(AppealFilterSet, {"due": "soon"}, rows) == [b.pk]
    assert pks(AppealFilterSet, {"sort": "due"}, rows)[:2] == [a.pk, b.pk]


def test_the_list_page_has_the_due_column(client, aworld):
    w = aworld
    set_due(w.appeal_a, late())
    client.force_login(w.org_staff)
    page = client.get(reverse("liaison:appeal_list"), {"due": "overdue"}).content.decode()
    assert "期限" in page
    assert "已超期 2 个工作日" in page
    assert w.appeal_a.number in page
    assert w.appeal_b.number not in page


def test_the_detail_page_shows_the_due_date(client, aworld):
    w = aworld
    set_due(w.appeal_a, soon())
    client.force_login(w.org_staff)
    page = client.get(reverse("liaison:appeal_detail", args=[w.appeal_a.pk])).content.decode()
    assert f"期限 {soon():%Y-%m-%d}" in page
    assert "还剩 1 个工作日" in page


def test_the_api_carries_the_due_date_beside_the_deadline(aworld):
    w = aworld
    set_due(w.appeal_a, soon())
    data = api_get(w.org_staff, reverse("api:appeal-detail", args=[w.appeal_a.pk])).json()
    assert data["due_on"] == soon().isoformat()
    assert data["deadline"] == w.appeal_a.deadline.isoformat()
    assert data["overdue"] is False
    data = api_get(w.org_staff, reverse("api:appeal-detail", args=[w.resolved_a.pk])).json()
    assert (data["due_on"], data["overdue"]) == (None, False)
