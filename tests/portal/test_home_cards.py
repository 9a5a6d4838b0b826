"""The home page: each role gets the cards of its own work, and every counter on a card equals the
number of rows of the list it links to, opened by the same user (a small demo world, 300 enterprises)."""

import io
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.homecards import counter_links

ROLES = ("orgstaff", "townstaff", "station", "bank", "insurer", "enterprise", "cadre", "leader", "admin")
# Which cards each demo role is shown, in order.
CARDS = {
    "orgstaff": ["registry-card", "rating-card", "talent-card", "liaison-staff-card", "appeal-card"],
    "townstaff": ["registry-card", "rating-card", "appeal-card"],
    "station": ["registry-card", "loan-card", "talent-card", "survey-card"],
    "bank": ["loan-card"],
    "insurer": ["insurance-card"],
    "enterprise": ["registry-card", "rating-card", "loan-card", "talent-card", "appeal-card", "notice-card",
                   "survey-card"],
    "cadre": ["liaison-cadre-card", "appeal-card"],
    "leader": ["registry-card", "liaison-staff-card"],
    "admin": ["admin-card"],
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", "--enterprises", "300", stdout=io.StringIO())
        # One account locked out (five failed sign-ins just now), one that failed once.
        AccessAttempt.objects.create(username="bank2", failures_since_start=5, attempt_time=timezone.now(),
                                     ip_address="127.0.0.1", user_agent="test", get_data="", post_data="")
        AccessAttempt.objects.create(username="station", failures_since_start=1, attempt_time=timezone.now(),
                                     ip_address="127.0.0.1", user_agent="test", get_data="", post_data="")
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


def home(client, username) -> str:
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def card_ids(page) -> list[str]:
    return re.findall(r'<div class="card" id="([\w-]+-card)"', page)


def card_html(page, card_id) -> str:
    start = page.index(f'id="{card_id}"')
    following = [page.find('<div class="card" id="', start + 1), page.find("</main>", start)]
    return page[start:min(p for p in following if p > 0)]


def listed(client, url) -> int:
    """The number of rows the list at `url` holds (all its pages)."""
    context = client.get(url).context
    if context.get("cl") is not None:  # the admin site's change list
        return context["cl"].result_count
    if context.get("paginator") is not None:
        return context["paginator"].count
    if context.get("ratings") is not None:  # the ratings due for publication (one page)
        return len(context["ratings"])
    return len(context["object_list"])


@pytest.mark.django_db
@pytest.mark.parametrize("username", ROLES)
def test_each_role_sees_the_cards_of_its_own_work(demo, client, username):
    page = home(client, username)
    assert card_ids(page) == CARDS[username]


@pytest.mark.django_db
@pytest.mark.parametrize(("username", "card"), [(u, c) for u in ROLES for c in CARDS[u]])
def test_every_counter_of_a_card_equals_its_linked_list(demo, client, username, card):
    # given a role's home page
    page = home(client, username)
    assert card in card_ids(page)
    counters = counter_links(card_html(page, card))
    # when each counter's link is opened by the same user, then the list holds as many rows
    for url, label, shown in counters:
        assert listed(client, url) == shown, (username, card, label, url)


@pytest.mark.django_db
def test_the_counters_that_matter_are_there_and_not_all_zero(demo, client):
    counts = {}
    for username in ROLES:
        page = home(client, username)
        for url, _label, shown in counter_links(page):
            counts[(username, url)] = shown
    # the administrator: the one locked account, and the accounts in use
    locked = [n for (u, url), n in counts.items() if u == "admin" and "accessattempt" in url]
    assert locked == [1]
    assert [n for (u, url), n in counts.items() if u == "admin" and "auth/user" in url] == [
        get_user_model().objects.filter(is_active=True).count()]
    # the insurer: its quotes waiting and its policies in force
    assert {url.split("?")[0] for (u, url) in counts if u == "insurer"} == {
        reverse("insurance:quote_list"), reverse("insurance:policy_list")}
    # the enterprise is not told how many enterprises or stations there are
    assert not [url for (u, url) in counts if u == "enterprise" and url.split("?")[0] in (
        reverse("enterprise_list"), reverse("station_list"))]
    # the organization department's town-review counters: its own queue (organizations directly under
    # the city) and the whole city's town reviews, each labelled for what it counts
    org = home(client, "orgstaff")
    assert "待初评（市直党组织）" in org
    assert "全市镇街初评中" in org
    assert sum(1 for (u, _url), n in counts.items() if n > 0) >= 20
