"""The enterprise page's party tab links the rating and the organization only for readers who may open
them: a cadre paired with the enterprise sees its stars and its organization's name, but no link that
would answer 403."""

import pytest
from django.urls import reverse

from ratings.choices import RatingStatus
from tests.liaison.conftest import lworld  # noqa: F401  (fixture: a cadre paired with ent_a)
from tests.ratings.conftest import advance

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(lworld, rating_a):  # noqa: F811
    return advance(lworld, rating_a, RatingStatus.PUBLISHED)


def tab(client, user, enterprise) -> str:
    client.force_login(user)
    response = client.get(reverse("enterprise_tab", args=[enterprise.pk, "party"]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_paired_cadre_sees_the_stars_without_links_it_could_not_open(client, lworld, published):  # noqa: F811
    page = tab(client, lworld.cadre, lworld.ent_a)
    assert "东湖精密机械有限公司党支部" in page
    assert reverse("ratings:detail", args=[published.pk]) not in page
    assert reverse("ratings:organization_detail", args=[published.organization_id]) not in page
    # and the rating page itself is indeed closed to it
    assert client.get(reverse("ratings:detail", args=[published.pk])).status_code in (403, 404)


def test_staff_who_may_open_them_get_the_links(client, lworld, published):  # noqa: F811
    for user in (lworld.org_staff, lworld.town_staff):
        page = tab(client, user, lworld.ent_a)
        assert reverse("ratings:detail", args=[published.pk]) in page
        assert reverse("ratings:organization_detail", args=[published.organization_id]) in page
        assert client.get(reverse("ratings:detail", args=[published.pk])).status_code == 200
