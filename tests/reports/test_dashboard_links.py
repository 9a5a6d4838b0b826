"""The leaders' dashboard leads to what it counts: each key figure, table cell and chart element links
to the list it counts, filtered the same way, and that list shows the same number of rows to the same
user."""

import json
import re
from html import unescape

import pytest
from django.urls import reverse

from tests.finance.conftest import product, product2, quota_table  # noqa: F401  (fixtures)
from tests.ratings.conftest import rubric  # noqa: F401  (fixture)

from . import figures_world

hist = figures_world.hist  # the fixture

pytestmark = pytest.mark.django_db

# The key figures (card id → what the number counts), each a link to its list.
CARDS = ("kpi-rated", "kpi-high", "kpi-approvals", "kpi-pending", "kpi-policies", "kpi-open", "kpi-overdue")


def _dashboard(client, user, query=""):
    client.force_login(user)
    response = client.get(reverse("reports:dashboard") + query)
    assert response.status_code == 200
    return response.content.decode()


def _card(page: str, card: str) -> tuple[str, int]:
    found = re.search(rf'<a[^>]*href="([^"]+)"[^>]*id="{card}">([\d,]+)</a>', page)
    assert found, f"{card} is not a link with a number"
    return unescape(found.group(1)), int(found.group(2).replace(",", ""))


def _count(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    assert not response.context["filter"].errors, (url, response.context["filter"].errors)
    return response.context["paginator"].count


def _data(page: str) -> dict:
    found = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


@pytest.mark.parametrize("who", ["leader", "org_staff", "town_staff"])
def test_every_key_figure_links_to_a_list_of_as_many_rows(client, hist, who):
    # given the figures as of today (the default period) for each kind of reader
    user = getattr(hist, who)
    page = _dashboard(client, user)
    counted = {}
    for card in CARDS:
        url, shown = _card(page, card)
        counted[card] = shown
        # then the linked list shows that many rows to the same user
        assert _count(client, url) == shown, (who, card, url)
    # and the comparison is not between empty lists
    assert min(counted["kpi-rated"], counted["kpi-open"], counted["kpi-overdue"]) > 0, counted


def test_the_overdue_card_opens_the_overdue_appeals(client, hist):
    page = _dashboard(client, hist.leader)
    url, shown = _card(page, "kpi-overdue")
    assert url == "/liaison/appeals/?overdue=true"
    client.force_login(hist.leader)
    rows = list(client.get(url).context["object_list"])
    assert len(rows) == shown
    assert all(appeal.overdue for appeal in rows)


def test_a_region_chosen_on_the_dashboard_goes_with_every_link(client, hist):
    page = _dashboard(client, hist.leader, f"?region={hist.town_b.pk}")
    for card in CARDS:
        url, shown = _card(page, card)
        assert f"region={hist.town_b.pk}" in url, (card, url)
        assert _count(client, url) == shown, (card, url)


def test_chart_elements_link_to_the_rows_they_count(client, hist):
    # given the charts' data of today's dashboard
    data = _data(_dashboard(client, hist.leader))
    # then each bar of loans by bank and state, and each bar of stars by level, opens as many rows
    checked = 0
    for chart in ("loans", "stars", "areas"):
        spec = data[chart]
        links = spec["links"] if isinstance(spec["links"][0], list) else [spec["links"]]
        for series, row in zip(spec["series"], links, strict=True):
            for value, url in zip(series["data"], row, strict=True):
                if url:
                    assert _count(client, url) == value, (chart, series["name"], url)
                    checked += value
    assert checked > 0
    assert data["loans"]["links"][0][0] == f"/finance/applications/?bank={hist.bank.pk}&status=submitted"


def test_the_trend_links_each_year_to_its_cycle_and_this_year_to_the_ratings_valid_today(client, hist):
    data = _data(_dashboard(client, hist.leader))
    trend = data["trend"]
    for count, url in zip(trend["series"][0]["data"], trend["links"], strict=True):
        assert _count(client, url) == count, url
    assert "valid_on=" in trend["links"][-1]
    assert "year=" in trend["links"][-2]


def test_the_tables_rows_link_to_lists_of_as_many_rows(client, hist):
    # given today's dashboard of the leader, with its figures and their links
    client.force_login(hist.leader)
    context = client.get(reverse("reports:dashboard")).context
    f, links = context["figures"], context["links"]
    checks = [(links["levels"][row["stars"]], row["count"]) for row in f.ratings.levels]
    checks += [(bank_links["all"], bank["count"]) for bank, bank_links in zip(f.finance.banks, links["banks"], strict=True)]
    checks += [(url, x["count"]) for x, url in zip(f.insurance.insurers, links["insurers"], strict=True)]
    checks += [(c_links["overdue"], c["overdue"]) for c, c_links in zip(f.liaison.categories, links["categories"],
                                                                         strict=True)]
    checks += [(url, y["sessions"]) for y, url in zip(f.talent.training, links["training"], strict=True)]
    checks += [(links["cadres_under"], f.liaison.pairing["under"]), (links["key"], f.liaison.pairing["key_total"])]
    checks += [(links["talents"][lvl["code"]], lvl["count"]) for lvl in f.talent.levels]
    # then each linked list shows as many rows as the row of the table says
    assert [(url, _count(client, url)) for url, _n in checks] == checks
    assert sum(n for _url, n in checks) > 10
