"""The pairings demo: the secretary leading, county-level leaders within 1–3 except exactly the two
under and the one over on purpose, history, visits, and the demo cadre paired in 东湖镇."""

import datetime

import pytest
from django.utils import timezone

from liaison.choices import CadreLevel, PairingKind
from liaison.models import Cadre, Pairing, Visit
from liaison.selectors.pairings import key_without_leader, pairing_coverage, with_counts
from portal.choices import EnterpriseKind
from portal.models import Enterprise, EnterprisePerson, Region
from tests import demo_seed

seeded, user = demo_seed.seeded, demo_seed.user  # the module-scoped demo data, the demo users by name

pytestmark = pytest.mark.django_db




def test_the_secretary_leads_and_the_leaders_scale_with_the_key_enterprises(seeded):
    secretary = Cadre.objects.get(level=CadreLevel.SECRETARY)
    assert (secretary.name, secretary.post, secretary.is_active, secretary.order) == ("周立新", "市委书记", True, 0)
    keys = Enterprise.objects.filter(is_key=True, kind=EnterpriseKind.PRIVATE).count()
    county = Cadre.objects.filter(level=CadreLevel.COUNTY)
    assert county.count() == round(keys / 5)
    assert 25 <= county.count() <= 35
    assert county.filter(post="副市长").count() >= 3
    assert Cadre.objects.count() == county.count() + 1


def test_every_county_leader_is_within_the_range_but_the_three_on_purpose(seeded):
    counted = list(with_counts(Cadre.objects.filter(level=CadreLevel.COUNTY)))
    out = [c for c in counted if c.range_state != "ok"]
    assert sorted((c.enterprise_count == 0, c.entrepreneur_count == 0, c.range_state) for c in out) == [
        (False, False, "over"), (False, True, "under"), (True, False, "under")]
    for cadre in counted:
        if cadre in out:
            continue
        assert 1 <= cadre.enterprise_count <= 3
        assert 1 <= cadre.entrepreneur_count <= 3
    over = next(c for c in out if c.range_state == "over")
    assert (over.enterprise_count, 1 <= over.entrepreneur_count <= 3) == (4, True)
    # the over-range pairings predate the rule
    assert {p.started_on.year for p in Pairing.objects.filter(cadre=over, ended_on__isnull=True,
                                                              kind=PairingKind.ENTERPRISE)} == {2018}
    coverage = pairing_coverage(user=user("orgstaff"))
    assert ({c.pk for c in coverage.under}, {c.pk for c in coverage.over}) == (
        {c.pk for c in out if c.range_state == "under"}, {over.pk})


def test_every_pairing_is_one_the_services_would_accept(seeded):
    current = Pairing.objects.filter(ended_on__isnull=True)
    enterprise_pairings = current.filter(kind=PairingKind.ENTERPRISE).select_related("enterprise")
    assert all(p.enterprise.is_key and p.enterprise.kind == EnterpriseKind.PRIVATE for p in enterprise_pairings)
    people = set(current.filter(kind=PairingKind.ENTREPRENEUR).values_list("person_id", flat=True))
    representatives = set(Enterprise.objects.filter(legal_representative_id__in=people)
                          .values_list("legal_representative_id", flat=True))
    assert people == representatives
    today = timezone.localdate()
    assert not Pairing.objects.filter(started_on__gt=today).exists()
    # no key enterprise has two leaders, and a number have none
    paired = list(enterprise_pairings.values_list("enterprise_id", flat=True))
    assert len(paired) == len(set(paired))
    assert key_without_leader(user=user("orgstaff")).count() > 20


def test_history_has_ended_pairings_with_reasons(seeded):
    ended = Pairing.objects.filter(ended_on__isnull=False)
    assert ended.count() >= 3
    assert not ended.filter(end_reason="").exists()
    assert all(p.started_on <= p.ended_on < datetime.date(2023, 3, 1) for p in ended)


def test_the_demo_cadre_is_paired_in_the_demo_town(seeded):
    cadre = Cadre.objects.get(user=user("cadre"))
    assert (cadre.name, cadre.post, cadre.level) == ("吴国平", "市委常委、组织部部长", CadreLevel.COUNTY)
    town = Region.objects.get(name="东湖镇")
    assert user("townstaff").role_assignments.get().region == town
    current = Pairing.objects.filter(cadre=cadre, ended_on__isnull=True).select_related("enterprise__region")
    enterprises = [p.enterprise for p in current if p.kind == PairingKind.ENTERPRISE]
    people = [p.person_id for p in current if p.kind == PairingKind.ENTREPRENEUR]
    assert 1 <= len(enterprises) <= 3
    assert 1 <= len(people) <= 3
    assert all(e.region.code.startswith(town.prefix) for e in enterprises)
    assert Enterprise.objects.filter(legal_representative_id__in=people,
                                     region__code__startswith=town.prefix).count() >= len(people)
    # the demo enterprise sees its leader; the demo cadre sees the enterprise
    own = user("enterprise").role_assignments.get().enterprise
    assert own in enterprises
    assert Pairing.objects.restrict(user("enterprise")).filter(cadre=cadre).exists()
    assert Enterprise.objects.restrict(user("cadre")).filter(pk=own.pk).exists()
    # and it has a visit log of its own, current
    visits = Visit.objects.filter(cadre=cadre)
    assert visits.count() >= 6
    assert visits.filter(created_by=user("cadre")).count() >= 6
    assert (timezone.localdate() - visits.order_by("-visited_on").first().visited_on).days < 120


def test_visits_fall_within_their_pairings_and_the_last_years(seeded):
    today = timezone.localdate()
    since = datetime.date(today.year - 2, 1, 1)
    visits = Visit.objects.all()
    assert not visits.filter(visited_on__gt=today).exists()
    assert not visits.filter(visited_on__lt=since).exists()
    pairings = Pairing.objects.count()
    years = ((today - since).days + 1) / 365
    assert 1.5 * pairings * years <= visits.count() <= 3.5 * pairings * years
    # each visit is to an enterprise its cadre was paired with (directly, or through the entrepreneur)
    reached = set()
    for p in Pairing.objects.all():
        if p.kind == PairingKind.ENTERPRISE:
            reached.add((p.cadre_id, p.enterprise_id))
        else:
            reached.update((p.cadre_id, e) for e in Enterprise.objects.filter(legal_representative_id=p.person_id)
                           .values_list("pk", flat=True))
            reached.update((p.cadre_id, e) for e in EnterprisePerson.objects.filter(person_id=p.person_id)
                           .values_list("enterprise_id", flat=True))
    assert set(visits.values_list("cadre_id", "enterprise_id")) <= reached


def test_the_later_parts_find_what_they_need(seeded):
    extra = seeded.extra["liaison"]
    assert extra["secretary"].name == "周立新"
    assert extra["demo_cadre"].user == user("cadre")
    assert [c.pk for c in extra["cadres"]] == list(Cadre.objects.filter(level=CadreLevel.COUNTY)
                                                   .order_by("order").values_list("pk", flat=True))
    assert {p.pk for p in extra["pairings"]} == set(Pairing.objects.filter(ended_on__isnull=True)
                                                    .values_list("pk", flat=True))
    own = user("enterprise").role_assignments.get().enterprise_id
    assert extra["demo_cadre"].pk in {p.cadre_id for p in extra["pairings_by_enterprise"][own]}
    assert {e.pk for e in extra["paired_enterprises"]} == set(extra["pairings_by_enterprise"])
    assert {v.pk for v in extra["visits"]} <= set(Visit.objects.values_list("pk", flat=True))
    assert len(extra["visits"]) >= 500
