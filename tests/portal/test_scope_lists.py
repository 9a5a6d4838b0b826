"""Scope never costs more than the data shown: the people list of a scoped role (town staff, station,
cadre, enterprise) is one semi-join over the people its enterprises reach, computed once, not an
EXISTS per person; it costs the same number of queries as the widest role's page, whatever the rows."""

import datetime

import pytest
from django.test import RequestFactory
from django.urls import resolve, reverse

from liaison.choices import PairingKind
from liaison.models import Cadre, Pairing
from portal import selectors
from portal.models import EnterprisePerson, Person
from tests.factories import EnterpriseFactory, PersonFactory, village

pytestmark = pytest.mark.django_db

PAGE = 50  # FilteredListView.paginate_by


@pytest.fixture
def crowd(world):
    """60 enterprises in town A (more than a page), each with a legal representative, a contact and a
    linked entrepreneur, and 10 in town B."""
    village_a2 = village(world.town_a, 2, "东湖二村")
    for n in range(60):
        legal, contact, linked = (PersonFactory(name=f"甲{n:02d}{k}") for k in "法联企")
        enterprise = EnterpriseFactory(region=village_a2 if n % 2 else world.village_a,
                                       legal_representative=legal, contact=contact)
        EnterprisePerson.objects.create(enterprise=enterprise, person=linked, link="entrepreneur")
    for n in range(10):
        EnterpriseFactory(region=world.village_b, legal_representative=PersonFactory(name=f"乙{n:02d}"))
    cadre = Cadre.objects.create(name="吴国平", post="副市长", user=world.cadre)
    Pairing.objects.create(cadre=cadre, kind=PairingKind.ENTREPRENEUR, person=world.person_a,
                           started_on=datetime.date(2026, 1, 1))
    return world


def page(user, url):
    request = RequestFactory().get(url, SERVER_NAME="localhost")
    request.user = user
    match = resolve(request.path_info)
    request.resolver_match = match
    response = match.func(request, *match.args, **match.kwargs)
    response.render()
    return response


@pytest.mark.parametrize("user_attr", ["org_staff", "town_staff", "station", "cadre", "enterprise_user"])
def test_the_people_page_costs_two_queries_for_every_role(crowd, user_attr, django_assert_num_queries):
    user = getattr(crowd, user_attr)
    page(user, reverse("person_list"))  # the user's role assignments, fetched once per request
    # the count and the page (nothing per row, nothing per enterprise), and the header's unread count
    with django_assert_num_queries(3):
        response = page(user, reverse("person_list"))
    assert response.status_code == 200
    shown = response.context_data["object_list"]
    assert len(shown) == min(PAGE, selectors.person_list(user=user).count())


def test_the_scope_is_one_semi_join_and_finds_the_same_people(crowd):
    town_a = selectors.person_list(user=crowd.town_staff)
    sql = str(town_a.query)
    assert "EXISTS" not in sql.upper()
    names = set(town_a.values_list("name", flat=True))
    # Each of town A's 60 enterprises brings its three people, and person_a represents ent_a.
    assert len(names) == 181
    assert "李东湖" in names
    assert not any(name.startswith("乙") or name == "王西山" for name in names)
    # The cadre reaches the people of the enterprises of the entrepreneur it is paired with.
    cadre = set(selectors.person_list(user=crowd.cadre).values_list("name", flat=True))
    assert cadre == {"李东湖"}
    # The enterprise user sees its own enterprise's people only.
    assert set(selectors.person_list(user=crowd.enterprise_user).values_list("name", flat=True)) == {"李东湖"}
    assert Person.objects.restrict(crowd.org_staff).count() == Person.objects.count()
