"""Every read of the pairings part, already limited to what the user may see.

A cadre's counts of current pairings, and where they stand against the 1–3 range, are computed by
the database in the same query as the cadres themselves, so a list costs the same number of queries
for two cadres as for a thousand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    CharField,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from portal.access import VIEW, can, has_role
from portal.choices import EnterpriseKind, Role
from portal.models import Enterprise, EnterprisePerson

from ..choices import CadreLevel, PairingKind
from ..models import Cadre, Pairing, Visit, cadre_enterprise_q
from ..models.cadres import ENTREPRENEUR_LINKS
from ..rules import pairings as rules

LEVEL_RANK = Case(When(level=CadreLevel.SECRETARY, then=Value(0)), When(level=CadreLevel.COUNTY, then=Value(1)),
                  When(level=CadreLevel.SECTION, then=Value(2)), default=Value(3), output_field=IntegerField())


def _get_or_404(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _current(kind: str) -> Q:
    return Q(pairings__kind=kind, pairings__ended_on__isnull=True)


def _state(count_field: str):
    return Case(When(~Q(level=CadreLevel.COUNTY), then=Value("")),
                When(**{f"{count_field}__lt": rules.MIN_PAIRED}, then=Value(rules.UNDER)),
                When(**{f"{count_field}__gt": rules.MAX_PAIRED}, then=Value(rules.OVER)),
                default=Value(rules.OK), output_field=CharField())


def under_q() -> Q:
    """County-level cadres short of one kind (the annotations of `with_counts`)."""
    return Q(level=CadreLevel.COUNTY) & (Q(enterprise_count__lt=rules.MIN_PAIRED)
                                         | Q(entrepreneur_count__lt=rules.MIN_PAIRED))


def over_q() -> Q:
    return Q(level=CadreLevel.COUNTY) & (Q(enterprise_count__gt=rules.MAX_PAIRED)
                                         | Q(entrepreneur_count__gt=rules.MAX_PAIRED))


def with_counts(queryset: QuerySet) -> QuerySet:
    """Cadres with `enterprise_count` and `entrepreneur_count` (current pairings), each kind's state
    (`enterprise_state`, `entrepreneur_state`), the cadre's `range_state` ("" when the cadre is not held
    to the range: see rules.cadre_range_state) and the day of its `last_visit`."""
    last_visit = Visit.objects.filter(cadre=OuterRef("pk")).order_by("-visited_on").values("visited_on")[:1]
    counted = queryset.annotate(
        enterprise_count=Count("pairings", filter=_current(PairingKind.ENTERPRISE)),
        entrepreneur_count=Count("pairings", filter=_current(PairingKind.ENTREPRENEUR)),
        level_rank=LEVEL_RANK,
        last_visit=Subquery(last_visit),
    )
    return counted.annotate(
        enterprise_state=_state("enterprise_count"),
        entrepreneur_state=_state("entrepreneur_count"),
        range_state=Case(When(~Q(level=CadreLevel.COUNTY), then=Value("")),
                         When(under_q(), then=Value(rules.UNDER)),
                         When(over_q(), then=Value(rules.OVER)),
                         default=Value(rules.OK), output_field=CharField()),
    # The Count() groups the query, and Django then drops the model's default ordering.
    ).order_by("level_rank", "order", "name", "pk")


# --- cadres --------------------------------------------------------------------------------------

def cadre_list(*, user, action: str = VIEW) -> QuerySet:
    """The cadres the user may see, with their counts (the list's CadreFilterSet narrows them)."""
    return with_counts(Cadre.objects.restrict(user, action).select_related("user"))


def access_cadre(*, user, pk, action: str = VIEW) -> Cadre:
    return _get_or_404(cadre_list(user=user, action=action), pk)


def cadre_accounts():
    """Accounts holding the cadre role, for the cadre form's account choice."""
    return (get_user_model().objects.filter(role_assignments__role=Role.CADRE).distinct()
            .select_related("cadre").order_by("username"))


def own_cadre(user) -> Cadre | None:
    """The Cadre row (with counts) of a signed-in cadre account, if it has one."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return with_counts(Cadre.objects.filter(user=user)).first()


# --- pairings ------------------------------------------------------------------------------------

def pairing_list(*, user, action: str = VIEW) -> QuerySet:
    return (Pairing.objects.restrict(user, action)
            .select_related("cadre", "enterprise__region", "person")
            .order_by("cadre__order", "cadre__name", "cadre_id", "kind", "-started_on", "pk"))


def access_pairing(*, user, pk, action: str = VIEW) -> Pairing:
    return _get_or_404(pairing_list(user=user, action=action), pk)


def cadre_pairings(cadre: Cadre, *, user) -> tuple[list[Pairing], list[Pairing]]:
    """The cadre's pairings the user may see: (current, past), current ones by kind and start."""
    rows = list(pairing_list(user=user).filter(cadre=cadre).order_by("kind", "-started_on", "pk"))
    current = [p for p in rows if p.ended_on is None]
    past = sorted((p for p in rows if p.ended_on is not None), key=lambda p: (p.ended_on, p.pk), reverse=True)
    return current, past


def enterprise_pairings(enterprise: Enterprise, *, user) -> list[Pairing]:
    """Current pairings of an enterprise: with the enterprise itself, and with its entrepreneurs."""
    people = EnterprisePerson.objects.filter(enterprise=enterprise, link__in=ENTREPRENEUR_LINKS).values("person_id")
    partner = Q(enterprise=enterprise) | Q(person_id__in=people)
    if enterprise.legal_representative_id:
        partner |= Q(person_id=enterprise.legal_representative_id)
    return list(pairing_list(user=user).filter(partner, ended_on__isnull=True)
                .order_by("kind", "cadre__order", "cadre__name", "pk"))


# --- visits --------------------------------------------------------------------------------------

def visit_list(*, user, action: str = VIEW) -> QuerySet:
    return Visit.objects.restrict(user, action).select_related("cadre", "enterprise__region")


def access_visit(*, user, pk) -> Visit:
    return _get_or_404(visit_list(user=user).select_related("created_by"), pk)


# --- coverage ------------------------------------------------------------------------------------

def pairing_started_on(cadre: Cadre, enterprise: Enterprise):
    """When the cadre's current pairing that reaches the enterprise began (directly, or through a paired
    entrepreneur who represents it or is linked to it), the earliest if several; None without one."""
    people = (EnterprisePerson.objects.filter(enterprise=enterprise, link__in=ENTREPRENEUR_LINKS)
              .values("person_id"))
    reach = Q(kind=PairingKind.ENTERPRISE, enterprise=enterprise) | Q(kind=PairingKind.ENTREPRENEUR,
                                                                       person_id__in=people)
    if enterprise.legal_representative_id:
        reach |= Q(kind=PairingKind.ENTREPRENEUR, person_id=enterprise.legal_representative_id)
    return (Pairing.objects.filter(reach, cadre=cadre, ended_on__isnull=True).order_by("started_on")
            .values_list("started_on", flat=True).first())


def _currently_paired():
    """The enterprises a cadre is paired with now (directly). Never NULL, so NOT IN means "none":
    a hashed NOT IN over these few thousand ids is planned the same way with or without table statistics,
    where a NOT EXISTS anti-join over the key enterprises, planned on a freshly seeded database, took
    seconds (it rescanned the pairings for each of the 5,000 key enterprises of a province)."""
    return (Pairing.objects.filter(kind=PairingKind.ENTERPRISE, ended_on__isnull=True, enterprise__isnull=False)
            .order_by().values("enterprise_id"))


def key_enterprises(*, user) -> QuerySet:
    """Key private enterprises (重点民企) the user may see."""
    return Enterprise.objects.restrict(user, VIEW).filter(is_key=True, kind=EnterpriseKind.PRIVATE)


def key_without_leader(*, user) -> QuerySet:
    """Key private enterprises the user may see that no cadre is paired with now (directly: an
    entrepreneur's pairing does not cover the enterprise)."""
    return (key_enterprises(user=user).exclude(pk__in=_currently_paired())
            .select_related("region", "legal_representative").order_by("region__code", "name", "pk"))


@dataclass
class Coverage:
    county_total: int  # active county-level cadres
    under: list = field(default_factory=list)  # of them, short of one kind (with counts)
    over: list = field(default_factory=list)  # of them, with more than three of one kind
    key_total: int = 0  # key private enterprises
    key_without_leader: int = 0  # of them, with no current pairing

    @property
    def ok_count(self) -> int:
        return self.county_total - len({c.pk for c in self.under} | {c.pk for c in self.over})

    @property
    def key_covered(self) -> int:
        return self.key_total - self.key_without_leader


def pairing_coverage(*, user) -> Coverage:
    """How the range holds among active county-level cadres, and how many key private enterprises have
    a leader now. The uncovered enterprises themselves are `key_without_leader(user=…)`, to page. A
    cadre may be both under (no entrepreneur) and over (four enterprises): it is listed in both."""
    county = Cadre.objects.restrict(user, VIEW).filter(level=CadreLevel.COUNTY, is_active=True)
    cadres = with_counts(county)
    keys = key_enterprises(user=user).aggregate(
        total=Count("pk"), uncovered=Count("pk", filter=~Q(pk__in=_currently_paired())))
    return Coverage(county_total=county.count(), under=list(cadres.filter(under_q())),
                    over=list(cadres.filter(over_q())), key_total=keys["total"],
                    key_without_leader=keys["uncovered"])


def can_see_coverage(user) -> bool:
    return has_role(user, Role.ORG_STAFF, Role.LEADER) and can(user, Cadre, VIEW)


# --- a cadre's own page --------------------------------------------------------------------------

@dataclass
class ReachedEnterprise:
    enterprise: Enterprise
    last_visit: object  # a date, or None
    visit_count: int
    via: list  # the paired entrepreneurs it is reached through; empty when paired directly
    direct: bool


@dataclass
class MyLiaison:
    cadre: Cadre | None
    enterprise_pairings: list = field(default_factory=list)
    entrepreneur_pairings: list = field(default_factory=list)
    enterprises: list = field(default_factory=list)  # ReachedEnterprise, directly paired first
    recent_visits: list = field(default_factory=list)


def my_liaison(*, user, recent: int = 10) -> MyLiaison:
    """A cadre account's pairings, the enterprises they reach with the last visit to each, and its
    latest visits: a fixed number of queries whatever the number of pairings."""
    cadre = own_cadre(user)
    if cadre is None:
        return MyLiaison(cadre=None)
    current = list(Pairing.objects.filter(cadre=cadre, ended_on__isnull=True)
                   .select_related("enterprise__region", "person").order_by("kind", "started_on", "pk"))
    by_enterprise = [p for p in current if p.kind == PairingKind.ENTERPRISE]
    by_person = [p for p in current if p.kind == PairingKind.ENTREPRENEUR]
    own_visits = Visit.objects.filter(cadre=cadre, enterprise=OuterRef("pk"))
    reached = list(
        Enterprise.objects.filter(cadre_enterprise_q(user.pk)).select_related("region", "legal_representative")
        .annotate(last_visit=Subquery(own_visits.order_by("-visited_on").values("visited_on")[:1]),
                  visit_count=Subquery(own_visits.order_by().values("cadre").annotate(n=Count("pk")).values("n")[:1]))
        .order_by("name", "pk")
    )
    people = {p.person_id: p.person for p in by_person}
    links: dict[int, set[int]] = {}
    for enterprise_id, person_id in EnterprisePerson.objects.filter(
            person_id__in=list(people), link__in=ENTREPRENEUR_LINKS,
            enterprise_id__in=[e.pk for e in reached]).values_list("enterprise_id", "person_id"):
        links.setdefault(enterprise_id, set()).add(person_id)
    direct = {p.enterprise_id for p in by_enterprise}
    rows = []
    for enterprise in reached:
        via = set(links.get(enterprise.pk, set()))
        if enterprise.legal_representative_id in people:
            via.add(enterprise.legal_representative_id)
        rows.append(ReachedEnterprise(enterprise=enterprise, last_visit=enterprise.last_visit,
                                      visit_count=enterprise.visit_count or 0, direct=enterprise.pk in direct,
                                      via=sorted((people[i] for i in via), key=lambda p: (p.name, p.pk))))
    rows.sort(key=lambda r: (not r.direct, r.enterprise.name, r.enterprise.pk))
    visits = list(Visit.objects.filter(cadre=cadre).select_related("enterprise")[:recent])
    return MyLiaison(cadre=cadre, enterprise_pairings=by_enterprise, entrepreneur_pairings=by_person,
                     enterprises=rows, recent_visits=visits)


def appeal_list_url() -> str | None:
    """The appeals list, when the appeals part has put it in place (it is built alongside this one)."""
    try:
        return reverse("liaison:appeal_list")
    except NoReverseMatch:
        return None


# --- figures for dashboards and reports -------------------------------------------------------------
# What the dashboards and the work report read of the pairings as of a day. A pairing holds from its
# start day until the day before it ended. Cadres' levels and the key-enterprise flag have no history:
# today's are used.
import datetime  # noqa: E402

from portal.selectors import day_end  # noqa: E402


def pairing_figures(*, user, on: datetime.date, prefix: str = "") -> dict:
    """Pairings on `on`, in two queries: the key private enterprises the user sees (in the region) and
    how many had a leader paired with them that day (`key_total`, `key_covered`); and for each
    county-level cadre (city-wide) its counts of enterprises and entrepreneurs that day (`cadres`:
    [(enterprises, entrepreneurs)]). A cadre counts once recorded (or once paired, for one recorded
    after the fact) and while active — or paired that day: an inactive cadre had to end its pairings."""
    held = Q(started_on__lte=on) & (Q(ended_on__isnull=True) | Q(ended_on__gt=on))
    # An IN over the few paired ids, as _currently_paired() does (and for the same reason).
    paired = (Pairing.objects.filter(held, kind=PairingKind.ENTERPRISE, enterprise__isnull=False)
              .order_by().values("enterprise_id"))
    keys = key_enterprises(user=user)
    if prefix:
        keys = keys.filter(region__code__startswith=prefix)
    key_counts = keys.order_by().aggregate(total=Count("pk"), covered=Count("pk", filter=Q(pk__in=paired)))
    held_by = Q(pairings__started_on__lte=on) & (Q(pairings__ended_on__isnull=True) | Q(pairings__ended_on__gt=on))
    recorded = Q(created_at__lt=day_end(on)) | Q(pk__in=Pairing.objects.filter(started_on__lte=on).values("cadre_id"))
    cadres = (Cadre.objects.restrict(user, VIEW).filter(recorded, level=CadreLevel.COUNTY)
              .annotate(enterprises=Count("pairings", filter=held_by & Q(pairings__kind=PairingKind.ENTERPRISE)),
                        entrepreneurs=Count("pairings", filter=held_by & Q(pairings__kind=PairingKind.ENTREPRENEUR)))
              .filter(Q(is_active=True) | Q(enterprises__gt=0) | Q(entrepreneurs__gt=0))
              .order_by().values_list("enterprises", "entrepreneurs"))
    return {"key_total": key_counts["total"], "key_covered": key_counts["covered"], "cadres": list(cadres)}
