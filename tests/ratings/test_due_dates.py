"""A rating's due date in the list (the 期限 column, the filter, the order), on its page and in the API."""

import pytest
from django.urls import reverse

from ratings.filtersets import RatingFilterSet
from ratings.models import Rating
from tests.workflow.due_helpers import api_get, late, later, pks, set_due, soon

pytestmark = pytest.mark.django_db


def test_the_list_filters_overdue_and_due_soon_and_sorts_by_due_date(rworld):
    w = rworld
    t, b = set_due(w.rating_t, late()), set_due(w.rating_b, soon())
    rows = Rating.objects.all()
    assert pks(RatingFilterSet, {"due": "overdue"}, rows) == [t.pk]
    assert pks(RatingFilterSet, {"due": "soon"}, rows) == [b.pk]
    assert pks(RatingFilterSet, {"sort": "due"}, rows)[:2] == [t.pk, b.pk]
    set_due(b, later())
    assert pks(RatingFilterSet, {"due": "soon"}, rows) == []


def test_a_rating_waiting_for_the_town_is_due_and_a_published_one_is_not(rworld):
    assert Rating.objects.get(pk=rworld.rating_t.pk).due_on is not None
    assert Rating.objects.get(pk=rworld.rating_a.pk).due_on is None


def test_the_list_page_has_the_due_column(client, rworld):
    w = rworld
    set_due(w.rating_t, late())
    client.force_login(w.org_staff)
    page = client.get(reverse("ratings:list"), {"due": "overdue"}).content.decode()
    assert "期限" in page
    assert "已超期 2 个工作日" in page
    assert w.org_t.name in page
    assert w.org_b.name not in page


def test_the_detail_page_shows_the_due_date(client, rworld):
    w = rworld
    set_due(w.rating_t, late())
    client.force_login(w.town_staff)
    page = client.get(reverse("ratings:detail", args=[w.rating_t.pk])).content.decode()
    assert f"期限 {late():%Y-%m-%d}" in page
    assert "已超期 2 个工作日" in page
    assert "text-bg-danger" in page


def test_the_api_carries_the_due_date_and_whether_it_is_overdue(rworld):
    w = rworld
    set_due(w.rating_t, late())
    data = api_get(w.org_staff, reverse("api:rating-detail", args=[w.rating_t.pk])).json()
    assert (data["due_on"], data["overdue"]) == (late().isoformat(), True)
    data = api_get(w.org_staff, reverse("api:rating-detail", args=[w.rating_a.pk])).json()
    assert (data["due_on"], data["overdue"]) == (None, False)


def test_a_rating_returned_to_self_assessment_shows_its_paused_clock(client, rworld):
    from ratings import services

    w = rworld
    rating = set_due(w.rating_t, later())
    returned = services.rating_transition(acting_user=w.town_staff, rating=rating, action="return",
                                          expected_version=rating.version, comment="请补充党员大会记录")
    assert (returned.due_on, returned.clock_days_left) == (None, {"town": 10})
    client.force_login(w.org_staff)
    page = client.get(reverse("ratings:detail", args=[rating.pk])).content.decode()
    assert "计时暂停，剩余 10 个工作日" in page
    Rating.objects.filter(pk=rating.pk).update(clock_days_left={"town": -3})
    page = client.get(reverse("ratings:detail", args=[rating.pk])).content.decode()
    assert "计时暂停，暂停前已超期 3 个工作日" in page
