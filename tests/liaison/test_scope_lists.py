"""List pages rewritten so that a scoped role's page costs no more than the department's at province scale:
on the demo seed, every demo account sees the same rows and figures as through the formulation each
replaced, and the page takes a fixed number of queries whatever the number of rows."""

import datetime
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone

from liaison.choices_appeals import EscalationReason
from liaison.models import Appeal, AppealEscalation, Cadre, Consultation, Lawyer
from liaison.selectors.appeals import appeal_list
from liaison.selectors.outreach import (
    consultation_list,
    lawyer_list,
    lawyers_on_duty,
    with_consultation_counts,
)
from portal.access import VIEW, forget_assignments
from portal.choices import Role
from portal.models import Enterprise, RoleAssignment
from tests import demo_seed

seeded, user = demo_seed.seeded, demo_seed.user  # the module-scoped demo data, the demo users by name

pytestmark = pytest.mark.django_db
DEMO_USERS = ("orgstaff", "leader", "townstaff", "station", "cadre", "bank", "bank2", "insurer", "enterprise")
LAWYER_READERS = ("orgstaff", "leader", "townstaff", "station", "enterprise")




def replaced_lawyer_counts(who, today: datetime.date) -> dict:
    """The lawyer list as it was: two counts per lawyer, each a subquery of the user's consultations."""
    mine = consultation_list(user=who).order_by().filter(lawyer=OuterRef("pk")).values("lawyer")
    total = mine.annotate(n=Count("pk")).values("n")
    this_year = mine.filter(consulted_on__year=today.year).annotate(n=Count("pk")).values("n")
    rows = Lawyer.objects.restrict(who).annotate(
        total=Coalesce(Subquery(total), 0), year=Coalesce(Subquery(this_year), 0))
    return {row.pk: (row.total, row.year) for row in rows}


@pytest.mark.parametrize("username", DEMO_USERS)
def test_the_lawyer_counts_are_those_of_the_replaced_query_for_every_demo_account(seeded, username):
    who, today = user(username), timezone.localdate()
    counted = {lawyer.pk: (lawyer.consultation_count, lawyer.consultation_count_year)
               for lawyer in with_consultation_counts(lawyer_list(user=who), user=who, today=today)}
    assert counted == replaced_lawyer_counts(who, today)
    if username in LAWYER_READERS:
        assert sorted(counted) == sorted(Lawyer.objects.values_list("pk", flat=True))
    else:
        assert counted == {}


def test_a_town_counts_only_its_own_enterprises_consultations(seeded):
    today = timezone.localdate()
    everyone = {lw.pk: lw.consultation_count
                for lw in with_consultation_counts(lawyer_list(user=user("orgstaff")), user=user("orgstaff"))}
    town = {lw.pk: lw.consultation_count
            for lw in with_consultation_counts(lawyer_list(user=user("townstaff")), user=user("townstaff"))}
    assert sum(everyone.values()) == Consultation.objects.count()
    assert sum(town.values()) == consultation_list(user=user("townstaff")).count()
    assert 0 < sum(town.values()) < sum(everyone.values())
    on_duty = with_consultation_counts(lawyers_on_duty(user=user("townstaff"), today=today), user=user("townstaff"),
                                       today=today)
    assert {lw.pk: lw.consultation_count for lw in on_duty} == {pk: town[pk] for pk in (lw.pk for lw in on_duty)}


def render_page(who, url: str) -> str:
    """The page as `who`, called as the view, reading the user's role assignments again as a request does
    (no session or second-factor lookups in the count)."""
    forget_assignments(who)
    request = RequestFactory().get(url)
    request.user = who
    match = resolve(request.path_info)
    request.resolver_match = match
    response = match.func(request, *match.args, **match.kwargs)
    response.render()
    return response.content.decode()


def page_queries(who, url: str) -> int:
    render_page(who, url)  # what the cache keeps between requests
    with CaptureQueriesContext(connection) as queries:
        render_page(who, url)
    return len(queries)


# The queries a scoped role's page takes beyond the department's: a town's or a station's regions, the
# enterprise user's enterprise (named in the page's header).
SCOPE_LOOKUPS = {"townstaff": 1, "station": 1, "enterprise": 1}


@pytest.mark.parametrize("username", LAWYER_READERS)
def test_the_lawyer_list_takes_the_departments_queries_and_the_scopes_lookups(seeded, username,
                                                                              django_assert_num_queries):
    url = reverse("liaison:lawyer_list")
    widest, who = page_queries(user("orgstaff"), url), user(username)
    render_page(who, url)
    with django_assert_num_queries(widest + SCOPE_LOOKUPS.get(username, 0)):
        body = render_page(who, url)
    assert body.count("<tr data-lawyer=") == Lawyer.objects.count()
    # the counts are one query for the page, whatever the number of lawyers on it
    one = url + "?" + urlencode({"q": Lawyer.objects.order_by("pk").first().name})
    assert page_queries(who, one) == widest + SCOPE_LOOKUPS.get(username, 0)


def replaced_appeal_scope(who) -> set:
    """The appeals each role reaches, written from the rule rather than from the scope's own code: all for the
    department and leaders; otherwise the appeals of the enterprises the user sees in the registry, those
    assigned to it (town staff, cadres) and those escalated to its cadre."""
    roles = {a.role for a in RoleAssignment.objects.filter(user=who)}
    if roles & {Role.ORG_STAFF, Role.LEADER}:
        return set(Appeal.objects.values_list("pk", flat=True))
    if not roles & {Role.TOWN_STAFF, Role.STATION_OPERATOR, Role.ENTERPRISE_USER, Role.CADRE}:
        return set()
    seen = Q(enterprise__in=Enterprise.objects.restrict(who, VIEW))
    if roles & {Role.TOWN_STAFF, Role.CADRE}:
        seen |= Q(assignee=who)
    if Role.CADRE in roles:
        seen |= Q(pk__in=AppealEscalation.objects.filter(cadres__user=who).values("appeal_id"))
    return set(Appeal.objects.filter(seen).values_list("pk", flat=True))


@pytest.mark.parametrize("username", DEMO_USERS)
def test_every_demo_account_sees_the_appeals_the_rule_gives_it(seeded, username):
    who = user(username)
    seen = set(appeal_list(user=who).values_list("pk", flat=True))
    assert seen == replaced_appeal_scope(who)
    if username in ("townstaff", "station", "cadre", "enterprise"):
        assert 0 < len(seen) < Appeal.objects.count()


def test_a_cadre_sees_an_appeal_escalated_to_it_outside_its_pairings_and_one_assigned_to_it(seeded):
    cadre = user("cadre")
    paired = Enterprise.objects.restrict(cadre, VIEW)
    outside = Appeal.objects.exclude(enterprise__in=paired).exclude(assignee=cadre).filter(escalations__isnull=True)
    escalated, assigned = outside.order_by("pk")[0], outside.order_by("-pk")[0]
    assert not appeal_list(user=cadre).filter(pk__in=[escalated.pk, assigned.pk]).exists()
    escalation = AppealEscalation.objects.create(appeal=escalated, level=1, reason=EscalationReason.choices[0][0],
                                                 escalated_on=timezone.localdate(), days_overdue=3)
    escalation.cadres.add(Cadre.objects.get(user=cadre))
    Appeal.objects.filter(pk=assigned.pk).update(assignee=cadre)
    assert set(appeal_list(user=cadre).filter(pk__in=[escalated.pk, assigned.pk]).values_list("pk", flat=True)) == {
        escalated.pk, assigned.pk}
    assert not appeal_list(user=user("station")).filter(pk=escalated.pk).exclude(
        enterprise__in=Enterprise.objects.restrict(user("station"), VIEW)).exists()


@pytest.mark.parametrize("username", ["leader", "townstaff", "station", "cadre", "enterprise"])
def test_the_appeal_list_takes_the_departments_queries_and_the_scopes_lookups(seeded, username,
                                                                              django_assert_num_queries):
    url = reverse("liaison:appeal_list")
    widest, who = page_queries(user("orgstaff"), url), user(username)
    render_page(who, url)
    with django_assert_num_queries(widest + SCOPE_LOOKUPS.get(username, 0)):
        body = render_page(who, url)
    assert body.count(" data-appeal=") == min(appeal_list(user=who).count(), 30)
