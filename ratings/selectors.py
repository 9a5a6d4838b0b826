"""Every read of the rating, already limited to what the user may see; and the one answer other apps
use: an enterprise's rating on a day (`enterprise_rating`, `enterprise_ratings`)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from portal.access import VIEW, scope_q, user_assignments
from portal.models import Enterprise, Region

from . import rules
from .choices import ObjectionStatus, RatingStatus, Standing
from .models import (
    CoverageCount,
    Cycle,
    InstructorAssignment,
    Objection,
    OrgCoverage,
    PartyOrganization,
    Rating,
    Rubric,
    _organization_scope,
)

S = RatingStatus
REVIEW_STATUSES = (S.SELF, S.TOWN, S.DEPT)


def _get_or_404(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- organizations -----------------------------------------------------------------------------

def organization_list(*, user, action: str = VIEW):
    current = OrgCoverage.objects.filter(organization=OuterRef("pk"), ended_on__isnull=True)
    return (PartyOrganization.objects.restrict(user, action).select_related("region", "secretary", "superior")
            .annotate(enterprise_count=Count("coverages", filter=Q(coverages__ended_on__isnull=True)))
            .annotate(covers_any=Exists(current))
            # The Count() groups the query, and Django then drops the model's default ordering.
            .order_by(*PartyOrganization._meta.ordering))


def access_organization(*, user, pk, action: str = VIEW) -> PartyOrganization:
    return _get_or_404(organization_list(user=user, action=action), pk)


def organization_coverages(organization: PartyOrganization, *, user):
    """The organization's coverages (with history) of the enterprises this user may see: a member of
    a joint branch does not see the other members' records."""
    return (organization.coverages.filter(enterprise__in=Enterprise.objects.restrict(user, VIEW))
            .select_related("enterprise__region").order_by("ended_on", "-started_on"))


def organization_history(organization: PartyOrganization):
    """The organization's ratings across cycles, newest first, with their events."""
    return organization.ratings.select_related("cycle").order_by("-cycle__year")


def enterprise_organizations(enterprise: Enterprise):
    return OrgCoverage.objects.filter(enterprise=enterprise).select_related("organization").order_by("-started_on")


def enterprise_instructors(enterprise: Enterprise):
    return InstructorAssignment.objects.filter(enterprise=enterprise).select_related("instructor").order_by("-started_on")


@dataclass(frozen=True)
class CoverageRow:
    region: Region
    enterprises: int
    organizational: int  # covered by a Party organization
    work: int  # no organization, served by an instructor
    direct: bool = False  # registered on the parent region itself, under none of its sub-regions

    @property
    def uncovered(self) -> int:
        return self.enterprises - self.organizational - self.work

    def _rate(self, n):
        return round(100 * n / self.enterprises, 1) if self.enterprises else None

    @property
    def organizational_rate(self):
        return self._rate(self.organizational)

    @property
    def total_rate(self):
        return self._rate(self.organizational + self.work)


def coverage_counts_maintained() -> bool:
    """Whether the database keeps CoverageCount current: its triggers are PostgreSQL's (ratings migration
    0002); the embedded mode (SQLite) counts live."""
    return connection.vendor == "postgresql"


def coverage_by_region(*, user, parent: Region | None = None) -> list[CoverageRow]:
    """The two coverages (两个覆盖) of the enterprises the user sees, by the regions one level below
    `parent` (the city's towns by default): a fixed number of queries whatever the data."""
    if parent is None:
        parent = Region.objects.filter(parent__isnull=True).order_by("code").first()
        if parent is None:
            return []
    children = list(Region.objects.filter(parent=parent).order_by("code"))
    if not children:
        return []
    width = len(children[0].prefix)
    # Three aggregates by the enterprise's own region (hashed, a few thousand groups at most), summed by
    # area here: all enterprises, those with an organization, those with only an instructor. Each reads
    # the region index or the few covered enterprises by key, not a sort of every enterprise by a
    # substring of its region code with two EXISTS per row (a second at 100,000 enterprises, most of it
    # spent compiling that plan).
    by_area: dict[str, dict] = {}

    def add(code: str, key: str, n: int) -> None:
        area = by_area.setdefault(code[:width], {"total": 0, "organizational": 0, "work": 0})
        area[key] += n

    if sees_every_enterprise(user) and coverage_counts_maintained():
        # The counts the database keeps per region (CoverageCount): one row per region of the subtree,
        # a few thousand for a province, instead of reading its 100,000 enterprises.
        for code, *counts in (CoverageCount.objects.filter(region__code__startswith=parent.prefix)
                              .values_list("region__code", "enterprises", "organizational", "work")):
            for key, n in zip(("total", "organizational", "work"), counts, strict=True):
                add(code, key, n)
    else:
        enterprises = Enterprise.objects.restrict(user, VIEW).filter(parent.subtree_q()).order_by()
        codes = dict(Region.objects.filter(code__startswith=parent.prefix).values_list("pk", "code"))
        for key, queryset in coverage_querysets(enterprises).items():
            for region_id, n in queryset.values("region_id").annotate(n=Count("pk")).values_list("region_id", "n"):
                add(codes[region_id], key, n)
    result = []
    for region in children:
        row = by_area.pop(region.prefix, None)
        if row:
            result.append(CoverageRow(region, row["total"], row["organizational"], row["work"]))
    # Registered on `parent` itself (an enterprise directly under the city, in one of its parks say),
    # so under none of its towns: one row of its own, so that the rows add up to every enterprise.
    if by_area:
        left = list(by_area.values())
        result.append(CoverageRow(parent, sum(r["total"] for r in left), sum(r["organizational"] for r in left),
                                  sum(r["work"] for r in left), direct=True))
    return result


def sees_every_enterprise(user) -> bool:
    scope = scope_q(Enterprise, user, VIEW)
    return scope is not None and not scope


def coverage_querysets(enterprises) -> dict:
    """Of `enterprises`, all of them (`total`), those covered by a Party organization (`organizational`)
    and those served by an instructor only (`work`): what CoverageCount keeps per region."""
    organized = OrgCoverage.objects.filter(ended_on__isnull=True).order_by().values("enterprise_id")
    instructed = InstructorAssignment.objects.filter(ended_on__isnull=True).order_by().values("enterprise_id")
    return {"total": enterprises, "organizational": enterprises.filter(pk__in=organized),
            "work": enterprises.filter(pk__in=instructed).exclude(pk__in=organized)}


def coverage_counts_live() -> dict[int, tuple[int, int, int]]:
    """{region_id: (enterprises, organizational, work)} counted from the enterprises themselves: what the
    triggers keep in CoverageCount (a check of it, three aggregates over every enterprise)."""
    found: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for index, queryset in enumerate(coverage_querysets(Enterprise.objects.order_by()).values()):
        for region_id, n in queryset.values("region_id").annotate(n=Count("pk")).values_list("region_id", "n"):
            found[region_id][index] = n
    return {region_id: tuple(counts) for region_id, counts in found.items()}


def coverage_counts_kept() -> dict[int, tuple[int, int, int]]:
    """CoverageCount as {region_id: (enterprises, organizational, work)}, regions at zero left out."""
    return {region_id: tuple(counts) for region_id, *counts in CoverageCount.objects.values_list(
        "region_id", "enterprises", "organizational", "work") if any(counts)}


def coverage_totals(rows: list[CoverageRow], region: Region | None) -> CoverageRow:
    """The totals row of `coverage_by_region`, with its own rates."""
    return CoverageRow(region, sum(r.enterprises for r in rows), sum(r.organizational for r in rows),
                       sum(r.work for r in rows))


# --- rubrics and cycles ------------------------------------------------------------------------

def rubric_list(*, user):
    return Rubric.objects.restrict(user, VIEW).annotate(item_count=Count("items"))


def access_rubric(*, user, pk) -> Rubric:
    return _get_or_404(rubric_list(user=user), pk)


def rubric_structure(rubric: Rubric) -> tuple[list[dict], list]:
    """Dimensions with their items, and the veto items as a last group."""
    items = list(rubric.items.select_related("dimension").order_by("order", "pk"))
    groups = []
    for dimension in rubric.dimensions.order_by("order", "pk"):
        own = [i for i in items if i.dimension_id == dimension.pk]
        groups.append({"dimension": dimension, "items": own,
                       "max_points": sum((i.max_points for i in own), start=rules.Decimal("0"))})
    vetoes = [i for i in items if i.is_veto]
    return groups, vetoes


def cycle_list(*, user):
    return Cycle.objects.restrict(user, VIEW).select_related("rubric")


def access_cycle(*, user, pk) -> Cycle:
    return _get_or_404(cycle_list(user=user), pk)


def current_cycle(today: datetime.date | None = None) -> Cycle | None:
    today = today or timezone.localdate()
    return Cycle.objects.filter(opens_on__lte=today).order_by("-year").first()


# --- ratings -----------------------------------------------------------------------------------

def rating_list(*, user, action: str = VIEW):
    return (Rating.objects.restrict(user, action)
            .select_related("cycle", "organization__region")
            # Exists, not Count: no GROUP BY, so a province's list pages and counts stay cheap.
            .annotate(has_open_objection=Exists(
                Objection.objects.filter(rating=OuterRef("pk"), status=ObjectionStatus.OPEN)))
            .order_by(*Rating._meta.ordering))


def access_rating(*, user, pk, action: str = VIEW) -> Rating:
    return _get_or_404(rating_list(user=user, action=action).select_related("cycle__rubric"), pk)


def rating_queue(*, user, status: str):
    """Ratings waiting at one step that this user is the one to act on (`rules.reviewer_role`)."""
    city_level = Q(organization__region__level="city")
    parts = []
    for assignment in user_assignments(user):
        scope = _organization_scope(assignment, VIEW, "organization__")
        if scope is None:
            continue
        if assignment.role == rules.reviewer_role(status, "town"):
            parts.append(scope & ~city_level)
        if assignment.role == rules.reviewer_role(status, "city"):
            parts.append(scope & city_level)
    if not parts:
        return Rating.objects.none()
    q = parts[0]
    for part in parts[1:]:
        q |= part
    return (rating_list(user=user).filter(q, status=status)
            .annotate(is_overdue=ExpressionWrapper(overdue_q(), output_field=BooleanField()))
            .order_by("step_entered_on", "pk"))


def objection_list(*, user):
    return Objection.objects.restrict(user, VIEW).select_related("rating__organization", "rating__cycle",
                                                                "resolved_by")


def access_objection(*, user, pk) -> Objection:
    return _get_or_404(objection_list(user=user), pk)


def rating_item_rows(rating: Rating) -> dict:
    """The rubric's items with each stage's score, note, and the item's evidence: the breakdown."""
    scores = defaultdict(dict)
    for score in rating.item_scores.all():
        scores[score.item_id][score.stage] = score
    evidence = defaultdict(list)
    for file in rating.evidence.all():
        evidence[file.item_id].append(file)
    groups, vetoes = rubric_structure(rating.cycle.rubric)
    for group in groups:
        group["rows"] = [{"item": i, "scores": scores.get(i.pk, {}), "evidence": evidence.get(i.pk, [])}
                         for i in group["items"]]
    veto_rows = [{"item": i, "scores": scores.get(i.pk, {})} for i in vetoes]
    return {"groups": groups, "vetoes": veto_rows, "general_evidence": evidence.get(None, [])}


@dataclass(frozen=True)
class CycleSummary:
    cycle: Cycle
    by_status: dict[str, int]
    by_stars: dict[int, int]  # published (not revoked) ratings by stars
    overdue: int
    open_objections: int
    due_for_publication: int
    overdue_by_status: dict[str, int] = field(default_factory=dict)  # town review, department review

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def overdue_q(today: datetime.date | None = None, prefix: str = "") -> Q:
    """Ratings overdue at a review step (审核逾期): at town review or the department's review for more
    days than their cycle allows. The one definition the home page, the cycle page, the queues and
    the lists' "overdue" filter share, so that their numbers agree."""
    today = today or timezone.localdate()
    by_cycle = Q(pk__in=[])
    for pk, days in Cycle.objects.order_by().values_list("pk", "review_days"):
        by_cycle |= Q(**{f"{prefix}cycle_id": pk,
                         f"{prefix}step_entered_on__lt": today - datetime.timedelta(days=days)})
    return Q(**{f"{prefix}status__in": (S.TOWN, S.DEPT)}) & by_cycle


def cycle_summary(*, user, cycle: Cycle, today: datetime.date | None = None) -> CycleSummary:
    today = today or timezone.localdate()
    ratings = Rating.objects.restrict(user, VIEW).filter(cycle=cycle)
    by_status = {s: 0 for s in RatingStatus.values}
    for row in ratings.values("status").annotate(n=Count("pk")):
        by_status[row["status"]] = row["n"]
    by_stars = {n: 0 for n in range(5, 0, -1)}
    for row in ratings.filter(status=S.PUBLISHED).values("stars").annotate(n=Count("pk")):
        by_stars[row["stars"]] = row["n"]
    overdue_by_status = {s: 0 for s in (S.TOWN, S.DEPT)}
    for row in ratings.filter(overdue_q(today)).values("status").annotate(n=Count("pk")):
        overdue_by_status[row["status"]] = row["n"]
    overdue = sum(overdue_by_status.values())
    open_objections = Objection.objects.filter(rating__in=ratings, status=ObjectionStatus.OPEN).count()
    due = (ratings.filter(status=S.NOTICE, notice_ends_on__lt=today)
           .exclude(objections__status=ObjectionStatus.OPEN).count())
    return CycleSummary(cycle, by_status, by_stars, overdue, open_objections, due, overdue_by_status)


def overdue_ratings(*, user, cycle: Cycle, today: datetime.date | None = None):
    return rating_list(user=user).filter(overdue_q(today), cycle=cycle)


def due_for_publication(*, user, today: datetime.date | None = None):
    today = today or timezone.localdate()
    return (rating_list(user=user).filter(status=S.NOTICE, notice_ends_on__lt=today)
            .exclude(objections__status=ObjectionStatus.OPEN).order_by("notice_ends_on", "pk"))


def star_trend(*, user) -> list[dict]:
    """Per cycle: published ratings by stars, and the four- and five-star count (the headline)."""
    rows = (Rating.objects.restrict(user, VIEW).filter(status=S.PUBLISHED)
            .values("cycle__year", "stars").annotate(n=Count("pk")).order_by("cycle__year"))
    years: dict[int, dict] = {}
    for row in rows:
        year = years.setdefault(row["cycle__year"], {"year": row["cycle__year"], "stars": dict.fromkeys(range(1, 6), 0)})
        year["stars"][row["stars"]] = row["n"]
    for year in years.values():
        year["high"] = year["stars"][4] + year["stars"][5]
        year["total"] = sum(year["stars"].values())
    return [years[y] for y in sorted(years)]


def notice_list(today: datetime.date | None = None):
    """Ratings under public notice today: the public page's rows (no login, no personal data)."""
    today = today or timezone.localdate()
    return (Rating.objects.filter(status=S.NOTICE, notice_starts_on__lte=today, notice_ends_on__gte=today)
            .select_related("cycle", "organization__region").order_by("notice_ends_on", "organization__name"))


def public_notice_rating(pk, today: datetime.date | None = None) -> Rating:
    return _get_or_404(notice_list(today), pk)


# --- what other apps read ----------------------------------------------------------------------

@dataclass(frozen=True)
class EnterpriseRating:
    """An enterprise's rating on a day, or why it has none. Finance and insurance read only this."""

    enterprise_id: int
    on: datetime.date
    standing: str  # Standing
    organization: PartyOrganization | None = None
    rating: Rating | None = None

    @property
    def is_valid(self) -> bool:
        return self.standing == Standing.VALID

    @property
    def stars(self) -> int | None:
        return self.rating.stars if self.is_valid else None

    @property
    def cycle(self) -> Cycle | None:
        return self.rating.cycle if self.rating is not None else None

    @property
    def valid_from(self):
        return self.rating.valid_from if self.rating is not None else None

    @property
    def valid_to(self):
        return self.rating.valid_to if self.rating is not None else None

    @property
    def message(self) -> str:
        return str(Standing(self.standing).label)


def enterprise_ratings(enterprise_ids, on: datetime.date | None = None) -> dict[int, EnterpriseRating]:
    """The rating on `on` (today by default) of each enterprise: one query when every enterprise's covering
    organization has a rating (the ratings reached through the coverage of that day, with their
    organization and cycle), and a second for the coverage of the others, whatever their number. The
    caller has already checked that the user may see these enterprises."""
    on = on or timezone.localdate()
    ids = list(enterprise_ids)
    # One filter() call: every condition is on the same coverage row (one join).
    covering = Q(organization__coverages__enterprise_id__in=ids, organization__coverages__started_on__lte=on) & (
        Q(organization__coverages__ended_on__isnull=True) | Q(organization__coverages__ended_on__gte=on))
    organization_of, ratings_of = {}, defaultdict(list)
    for rating in (Rating.objects.filter(covering).annotate(covered=F("organization__coverages__enterprise_id"))
                   .select_related("cycle", "organization").order_by("-cycle__year", "pk")):
        # An enterprise is covered by one organization on a day; should two overlap, the first one's ratings.
        organization = organization_of.setdefault(rating.covered, rating.organization)
        if organization.pk == rating.organization_id:
            ratings_of[rating.covered].append(rating)
    unrated = [pk for pk in ids if pk not in organization_of]
    if unrated:
        coverages = (OrgCoverage.objects.filter(enterprise_id__in=unrated, started_on__lte=on)
                     .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on)).select_related("organization"))
        organization_of.update((c.enterprise_id, c.organization) for c in coverages)
    answers = {}
    for enterprise_id in ids:
        organization = organization_of.get(enterprise_id)
        facts = [rules.RatingFact(key=r, status=r.status, stars=r.stars, valid_from=r.valid_from,
                                  valid_to=r.valid_to, revoked_on=r.revoked_on) for r in ratings_of.get(enterprise_id, [])]
        standing, fact = rules.standing_on(on, has_organization=organization is not None, ratings=facts)
        answers[enterprise_id] = EnterpriseRating(enterprise_id, on, standing, organization,
                                                  fact.key if fact is not None else None)
    return answers


def enterprise_rating(enterprise: Enterprise, on: datetime.date | None = None) -> EnterpriseRating:
    return enterprise_ratings([enterprise.pk], on)[enterprise.pk]


def valid_stars_subquery(on: datetime.date, enterprise_ref: str = "pk"):
    """The stars an enterprise's rating is worth on `on`, as a subquery to annotate a queryset that
    reaches the enterprise through `enterprise_ref` (NULL when it has no valid rating): the answer of
    `enterprise_ratings`, for filtering and sorting a list in the database. The organization
    covering it that day; its latest rating published by then; valid unless revoked or run out."""
    from django.db.models import Case, F, PositiveSmallIntegerField, Subquery, Value, When

    covering = (OrgCoverage.objects.filter(enterprise_id=OuterRef(OuterRef(enterprise_ref)), started_on__lte=on)
                .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on)).values("organization_id")[:1])
    latest = (Rating.objects.filter(organization_id=Subquery(covering), status__in=(S.PUBLISHED, S.REVOKED),
                                    valid_from__lte=on)
              .order_by("-valid_from", "-cycle__year")
              .annotate(valid_stars=Case(When(Q(revoked_on__lte=on) | Q(valid_to__lt=on), then=Value(None)),
                                         default=F("stars"), output_field=PositiveSmallIntegerField()))
              .values("valid_stars")[:1])
    return Subquery(latest, output_field=PositiveSmallIntegerField())


# The figures for dashboards and reports live in figure_selectors.py; callers find them here too.
from .figure_selectors import (  # noqa: E402, F401
    rated_enterprise_count,
    rating_downgrades_after,
    rating_facts,
    rating_figure_rows,
    ratings_changed_since,
    sees_every_rating,
)
