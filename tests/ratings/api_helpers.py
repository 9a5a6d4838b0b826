"""Helpers shared by the ratings API tests (test_api.py, test_api_filters.py); the `ratings` rows
are a fixture in conftest.py."""

import datetime
from decimal import Decimal

from rest_framework.test import APIClient

from ratings.choices import RatingStatus
from ratings.models import Cycle, Rating

S = RatingStatus
ORG_A = "东湖精密机械有限公司党支部"
ORG_B = "西山食品有限公司党支部"


def _client(user):
    client = APIClient()
    client.force_login(user)
    return client


def _ids(response):
    assert response.status_code == 200, response.content.decode()
    return sorted(row["id"] for row in response.json()["results"])


def _cycle(rubric, year):
    return Cycle.objects.create(year=year, name=f"{year} 年度星级评定", rubric=rubric,
                                opens_on=datetime.date(year, 3, 1), closes_on=datetime.date(year, 4, 30))


def _rating(cycle, organization, status=S.PUBLISHED, stars=None, score=None):
    """A rating row as the workflow leaves it, written directly: these tests read, they do not walk."""
    published = status in (S.PUBLISHED, S.REVOKED)
    start = datetime.date(cycle.year, 6, 1)
    return Rating.objects.create(
        cycle=cycle, organization=organization, status=status, stars=stars,
        score=None if score is None else Decimal(score),
        valid_from=start if published else None, valid_to=start.replace(year=cycle.year + 1) if published else None,
        revoked_on=start if status == S.REVOKED else None,
    )
