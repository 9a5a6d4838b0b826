"""A cadre reaches the enterprises it is paired with now, and those of the entrepreneurs it is paired
with — through the one enterprise scope every app uses — and nothing else."""

import datetime

import pytest
from django.urls import reverse

from liaison.choices import PairingKind
from liaison.models import Pairing
from portal import selectors
from portal.choices import PersonLink
from portal.models import EnterprisePerson, Person
from tests.factories import EnterpriseFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _names(qs):
    return sorted(e.name for e in qs)


def test_a_cadre_sees_its_paired_enterprise_and_not_the_other_cadres(lworld):
    # given cadre A paired with ent_a (and with person_a, ent_a's legal representative), cadre B with ent_b
    # then each sees only its own
    assert _names(selectors.enterprise_list(user=lworld.cadre)) == ["东湖精密机械有限公司"]
    assert _names(selectors.enterprise_list(user=lworld.cadre_b)) == ["西山食品有限公司"]


def test_an_ended_pairing_no_longer_opens_the_enterprise(lworld):
    # given cadre B's pairing with ent_b ends
    lworld.pairing_b.ended_on = datetime.date(2026, 6, 30)
    lworld.pairing_b.save(update_fields=["ended_on"])
    # then cadre B sees nothing any more
    assert _names(selectors.enterprise_list(user=lworld.cadre_b)) == []


def test_a_paired_entrepreneur_opens_the_enterprises_linked_to_them(lworld):
    # given cadre B paired with an entrepreneur linked to the park enterprise (not its legal representative)
    founder = PersonFactory(name="陈创业")
    EnterprisePerson.objects.create(enterprise=lworld.ent_park, person=founder, link=PersonLink.ENTREPRENEUR)
    Pairing.objects.create(cadre=lworld.cadre_b_obj, kind=PairingKind.ENTREPRENEUR, person=founder,
                           started_on=datetime.date(2026, 2, 1))
    # and another enterprise whose legal representative is that entrepreneur
    own = EnterpriseFactory(name="陈氏农业专业合作社", region=lworld.village_b, legal_representative=founder)
    # then cadre B sees ent_b, the park enterprise and that one; cadre A's view is unchanged
    assert _names(selectors.enterprise_list(user=lworld.cadre_b)) == sorted(
        ["西山食品有限公司", "星湖传感科技有限公司", own.name])
    assert _names(selectors.enterprise_list(user=lworld.cadre)) == ["东湖精密机械有限公司"]


def test_a_cadre_opens_its_paired_enterprise_page_but_not_another(lworld, client):
    client.force_login(lworld.cadre)
    assert client.get(reverse("enterprise_detail", args=[lworld.ent_a.pk])).status_code == 200
    assert client.get(reverse("enterprise_detail", args=[lworld.ent_b.pk])).status_code == 404
    # and may not change it
    assert client.get(reverse("enterprise_update", args=[lworld.ent_a.pk])).status_code == 403


def test_a_cadre_sees_the_people_of_its_enterprises_masked_and_may_not_unmask(lworld, client):
    client.force_login(lworld.cadre)
    person = Person.objects.get(pk=lworld.person_a.pk)
    page = client.get(reverse("person_detail", args=[person.pk])).content.decode()
    assert person.name in page
    assert person.id_number not in page
    assert client.post(reverse("person_unmask", args=[person.pk])).status_code == 403
