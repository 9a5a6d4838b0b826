"""Every read of outreach, already limited to what the user may see. Figures are counted by the
database in a fixed number of queries, whatever the number of rows (a province has 100,000
enterprises: a notice's reach is one COUNT, never a loop)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, Max, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.http import Http404
from django.utils import timezone

from portal.access import VIEW, scope_q, user_assignments
from portal.choices import Role
from portal.models import Enterprise

from ..models import (
    CareActivity,
    Consultation,
    Lawyer,
    MentoringPair,
    MentoringSession,
    NoticeReceipt,
    PolicyNotice,
    notice_reach_q,
    notices_reaching_q,
)
from ..rules.outreach import (
    CareKind,
    ConsultationCategory,
    ConsultationStatus,
    NoticeStatus,
    month_series,
    read_rate,
)


def _get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _enterprises_q(user, pick) -> Q:
    """The union over the user's assignments of `pick(assignment)` (a Q on Enterprise, or None)."""
    parts = [q for q in (pick(a) for a in user_assignments(user)) if q is not None]
    if not parts:
        return Q(pk__in=[])
    if any(not q for q in parts):
        return Q()
    combined = parts[0]
    for q in parts[1:]:
        combined |= q
    return combined


def visible_enterprises(user):
    return Enterprise.objects.restrict(user, VIEW)


# --- lawyers -------------------------------------------------------------------------------------

def lawyer_list(*, user, action: str = VIEW):
    """The lawyers the user may see. Their consultation counts are added to a page of them at a time
    (`with_consultation_counts`)."""
    return Lawyer.objects.restrict(user, action)


def with_consultation_counts(lawyers, *, user, today: datetime.date | None = None) -> list:
    """`lawyers` (a page of them) as a list, each with the number of consultations the user may see, in
    all (`consultation_count`) and this year (`consultation_count_year`): one grouped query for the page.
    Two counts per lawyer in the list's own query applied the user's scope again for every lawyer, twice:
    a town's or a station's list cost half as much again as the department's at province scale."""
    today = today or timezone.localdate()
    lawyers = list(lawyers)
    counts = {row["lawyer"]: row for row in (
        consultation_list(user=user).order_by().filter(lawyer__in=[lawyer.pk for lawyer in lawyers])
        .values("lawyer").annotate(total=Count("pk"), year=Count("pk", filter=Q(consulted_on__year=today.year))))}
    for lawyer in lawyers:
        row = counts.get(lawyer.pk, {})
        lawyer.consultation_count = row.get("total", 0)
        lawyer.consultation_count_year = row.get("year", 0)
    return lawyers


def access_lawyer(*, user, pk, action: str = VIEW) -> Lawyer:
    return _get(Lawyer.objects.restrict(user, action), pk)


def lawyers_on_duty(*, user, today: datetime.date | None = None):
    today = today or timezone.localdate()
    return lawyer_list(user=user).filter(
        Q(resident_until__isnull=True) | Q(resident_until__gte=today), is_active=True, resident_since__lte=today)


# --- consultations -------------------------------------------------------------------------------

def consultation_list(*, user, action: str = VIEW):
    return Consultation.objects.restrict(user, action).select_related("enterprise", "lawyer", "station")


def access_consultation(*, user, pk, action: str = VIEW) -> Consultation:
    return _get(consultation_list(user=user, action=action), pk)


def consultation_enterprise_q(user) -> Q:
    """The enterprises the user may record consultations for (a Q on Enterprise), as
    `Consultation.access_scope(…, ADD)` says through "enterprise__"."""

    def pick(a):
        if a.role == Role.ORG_STAFF:
            return Q()
        if a.role == Role.STATION_OPERATOR and a.station_id:
            return a.station.enterprise_q()
        return None

    return _enterprises_q(user, pick)


def station_for(user, enterprise):
    """The user's station whose area takes in the enterprise: where a consultation was registered."""
    for a in user_assignments(user):
        if a.role == Role.STATION_OPERATOR and a.station_id and \
                Enterprise.objects.filter(a.station.enterprise_q(), pk=enterprise.pk).exists():
            return a.station
    return None


@dataclass(frozen=True)
class ConsultationFigures:
    year: int
    total: int  # this year
    open: int  # all years, not yet answered
    by_category: list  # (value, label, count) for every category, this year
    by_month: list  # (month, count) for months 1..this month


def consultation_figures(*, user, today: datetime.date | None = None) -> ConsultationFigures:
    today = today or timezone.localdate()
    rows = consultation_list(user=user).order_by()
    year = rows.filter(consulted_on__year=today.year)
    by_category = dict(year.values_list("category").annotate(n=Count("pk")).values_list("category", "n"))
    by_month = dict(year.annotate(m=ExtractMonth("consulted_on")).values_list("m").annotate(n=Count("pk"))
                    .values_list("m", "n"))
    return ConsultationFigures(
        year=today.year, total=sum(by_category.values()),
        open=rows.filter(status=ConsultationStatus.OPEN).count(),
        by_category=[(v, label, by_category.get(v, 0)) for v, label in ConsultationCategory.choices],
        by_month=month_series(by_month, last_month=today.month),
    )


# --- policy notices ------------------------------------------------------------------------------

def notice_list(*, user, action: str = VIEW):
    return PolicyNotice.objects.restrict(user, action).select_related("audience_region", "published_by")


def access_notice(*, user, pk, action: str = VIEW) -> PolicyNotice:
    return _get(notice_list(user=user, action=action), pk)


def notice_reached_enterprises(notice: PolicyNotice):
    """Every enterprise the notice reaches, whoever looks."""
    return Enterprise.objects.filter(notice_reach_q(notice))


@dataclass(frozen=True)
class NoticeReach:
    reached: int  # enterprises the notice reaches (among those the viewer sees)
    read: int  # of them, those with a receipt

    @property
    def rate(self) -> Decimal | None:
        return read_rate(self.read, self.reached)


def _receipts_q(notice: PolicyNotice) -> Q:
    return Q(notice_id=notice.pk) & notice_reach_q(notice, "enterprise__")


def _read_counts(*, user, notices: list[PolicyNotice]) -> dict[int, int]:
    """Per notice, the enterprises (that the user sees) still in its audience with a receipt, in one
    query. For a user who sees every enterprise, a notice for every enterprise needs no enterprise to
    be looked at: its readers are counted on the (notice, enterprise) index of the receipts alone; only
    the receipts of notices for a kind, an industry, key enterprises or a region are joined to their
    enterprises. Joining all of them (some 400,000 receipts at province scale) was the cost of the
    department's notice list."""
    receipts = NoticeReceipt.objects.restrict(user, VIEW).order_by()
    # Within a scope (a town, a station's area) the enterprises are joined anyway, and one pass over
    # the few receipts of the scope is quicker than two.
    unscoped = scope_q(NoticeReceipt, user, VIEW) == Q()
    everyone = [n.pk for n in notices if unscoped and not notice_reach_q(n)]
    targeted = [n for n in notices if n.pk not in everyone]
    parts = []
    if everyone:
        parts.append(receipts.filter(notice_id__in=everyone))
    if targeted:
        # A receipt counts while its enterprise is still in the audience (an enterprise that has since
        # left it is neither reached nor a reader), and an enterprise counts once however many read.
        wanted = _receipts_q(targeted[0])
        for notice in targeted[1:]:
            wanted |= _receipts_q(notice)
        parts.append(receipts.filter(wanted))
    counted = [p.values("notice").annotate(n=Count("enterprise", distinct=True)).values_list("notice", "n")
               for p in parts]
    return dict(counted[0].union(*counted[1:], all=True) if len(counted) > 1 else counted[0])


def notice_reach(*, user, notices) -> dict[int, NoticeReach]:
    """Reach and reading of each notice among the enterprises the user sees: two queries in all, one
    COUNT … FILTER per notice over the enterprises, one count of readers per notice over the receipts."""
    notices = list(notices)
    if not notices:
        return {}
    reached = visible_enterprises(user).order_by().aggregate(
        **{f"n{n.pk}": Count("pk", filter=notice_reach_q(n)) for n in notices})
    read = _read_counts(user=user, notices=notices)
    return {n.pk: NoticeReach(reached=reached[f"n{n.pk}"], read=read.get(n.pk, 0)) for n in notices}


def notice_readers(*, user, notice: PolicyNotice):
    """The enterprises (that the user sees) which read the notice, with their first reading."""
    receipts = NoticeReceipt.objects.filter(notice=notice, enterprise=OuterRef("pk"))
    # In name order: the first reading is looked up for the rows of the page only, not for every reader.
    return (visible_enterprises(user).filter(notice_reach_q(notice)).filter(Exists(receipts))
            .annotate(first_read_at=Subquery(receipts.order_by().values("enterprise")
                                             .annotate(t=Min("read_at")).values("t")))
            .select_related("region").order_by("name", "pk"))


def notice_non_readers(*, user, notice: PolicyNotice):
    receipts = NoticeReceipt.objects.filter(notice=notice, enterprise=OuterRef("pk"))
    return (visible_enterprises(user).filter(notice_reach_q(notice)).exclude(Exists(receipts))
            .select_related("region").order_by("name", "pk"))


def own_enterprises(user) -> list:
    """The enterprises an enterprise user acts for (usually one)."""
    return [a.enterprise for a in user_assignments(user) if a.role == Role.ENTERPRISE_USER and a.enterprise_id]


def enterprise_notices(*, user, enterprise):
    """The published notices reaching the enterprise that the user may see, each with whether the
    enterprise has read it: unread first, then the newest."""
    read = NoticeReceipt.objects.filter(notice=OuterRef("pk"), enterprise=enterprise)
    return (notice_list(user=user)
            .filter(notices_reaching_q(kind=enterprise.kind, is_key=enterprise.is_key, industry=enterprise.industry,
                                       region_code=enterprise.region.code), status=NoticeStatus.PUBLISHED)
            .annotate(is_read=Exists(read)).order_by("is_read", "-published_at", "-pk"))


def notice_is_read(*, notice: PolicyNotice, enterprise) -> bool:
    return NoticeReceipt.objects.filter(notice=notice, enterprise=enterprise).exists()


# --- care activities -----------------------------------------------------------------------------

def care_list(*, user, action: str = VIEW):
    return (CareActivity.objects.restrict(user, action).annotate(enterprise_count=Count("enterprises"))
            .order_by(*CareActivity._meta.ordering))


def access_care(*, user, pk, action: str = VIEW) -> CareActivity:
    return _get(care_list(user=user, action=action), pk)


def care_enterprise_q(user) -> Q:
    """The enterprises the user may record a care activity for: any (department) or its region's (town)."""

    def pick(a):
        if a.role == Role.ORG_STAFF:
            return Q()
        if a.role == Role.TOWN_STAFF and a.region_id:
            return Q(region__code__startswith=a.region.prefix)
        return None

    return _enterprises_q(user, pick)


def care_beneficiary_enterprises(*, user, activity: CareActivity):
    """The activity's enterprises that the user sees (a town sees its own of a city-wide activity)."""
    return visible_enterprises(user).filter(care_activities=activity).select_related("region").order_by("name", "pk")


@dataclass(frozen=True)
class CareTotal:
    year: int
    kind: str
    label: str
    activities: int
    beneficiaries: int
    enterprises: int  # enterprise places: an enterprise in two activities counts twice


def care_totals(*, user, queryset=None) -> list[CareTotal]:
    """Activities, people and enterprises reached by year (newest first) and kind: two queries."""
    activities = (queryset if queryset is not None else CareActivity.objects.restrict(user, VIEW)).order_by()
    rows = (activities.annotate(y=ExtractYear("held_on")).values("y", "kind")
            .annotate(n=Count("pk"), people=Sum("beneficiaries")))
    through = CareActivity.enterprises.through
    places = {(y, kind): n for y, kind, n in through.objects.filter(careactivity__in=activities.values("pk"))
              .annotate(y=ExtractYear("careactivity__held_on")).values_list("y", "careactivity__kind")
              .annotate(n=Count("pk")).values_list("y", "careactivity__kind", "n").order_by()}
    labels = dict(CareKind.choices)
    order = {v: i for i, v in enumerate(CareKind.values)}
    result = [CareTotal(year=r["y"], kind=r["kind"], label=str(labels[r["kind"]]), activities=r["n"],
                        beneficiaries=r["people"] or 0, enterprises=places.get((r["y"], r["kind"]), 0))
              for r in rows]
    return sorted(result, key=lambda t: (-t.year, order[t.kind]))


def enterprise_care(*, user, enterprise):
    return care_list(user=user).filter(enterprises=enterprise)


# --- mentoring -----------------------------------------------------------------------------------

def mentoring_list(*, user, action: str = VIEW):
    return (MentoringPair.objects.restrict(user, action).select_related("mentor_person", "mentee")
            .annotate(session_count=Count("sessions"), attendee_total=Sum("sessions__attendees"),
                      last_session_on=Max("sessions__held_on"))
            .order_by(*MentoringPair._meta.ordering))


def access_mentoring(*, user, pk, action: str = VIEW) -> MentoringPair:
    return _get(mentoring_list(user=user, action=action), pk)


def mentoring_sessions(pair: MentoringPair):
    return pair.sessions.order_by("-held_on", "-pk")


@dataclass(frozen=True)
class MentoringYear:
    year: int
    pairs_started: int
    sessions: int
    attendees: int


def mentoring_totals(*, user) -> list[MentoringYear]:
    """Pairings started, sessions held and attendances by year, newest first: two queries."""
    started = dict(MentoringPair.objects.restrict(user, VIEW).order_by().annotate(y=ExtractYear("started_on"))
                   .values_list("y").annotate(n=Count("pk")).values_list("y", "n"))
    sessions = {y: (n, a) for y, n, a in MentoringSession.objects.restrict(user, VIEW).order_by()
                .annotate(y=ExtractYear("held_on")).values_list("y").annotate(n=Count("pk"), a=Sum("attendees"))
                .values_list("y", "n", "a")}
    years = sorted(set(started) | set(sessions), reverse=True)
    return [MentoringYear(year=y, pairs_started=started.get(y, 0), sessions=sessions.get(y, (0, 0))[0],
                          attendees=sessions.get(y, (0, 0))[1] or 0) for y in years]
