"""Every read of appeals, already limited to what the user may see; the summary the list page and
the leaders' dashboards show; the cadres an overdue appeal goes to."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db.models import Avg, BooleanField, Count, ExpressionWrapper, Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access import ADD, VIEW, user_assignments
from portal.choices import Role
from portal.models import Enterprise, EnterprisePerson, RoleAssignment
from portal.models.enterprises import _enterprise_scope

from ..choices import CadreLevel, PairingKind
from ..choices_appeals import AppealAction, AppealCategory, AppealStatus
from ..models import Appeal, Cadre, Department, Pairing
from ..models.appeals import appeal_action_scope, appeal_attach_scope, appeal_lead_scope
from ..rules import appeals as rules

S = AppealStatus


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def overdue_q(today: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}status__in": rules.OPEN_STATUSES, f"{prefix}deadline__lt": today})


def unassigned_late_q(today: datetime.date) -> Q:
    """Received and still waiting for a department past the days allowed."""
    limit = today - datetime.timedelta(days=rules.ASSIGN_WITHIN_DAYS)
    return Q(status=S.RECEIVED, received_at__date__lt=limit)


def _get_or_404(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- appeals -------------------------------------------------------------------------------------

def appeal_list(*, user, today: datetime.date | None = None):
    """The appeals the user sees, each with `overdue` worked out in the query."""
    return (Appeal.objects.restrict(user, VIEW)
            .select_related("enterprise", "department", "assignee", "station")
            .annotate(overdue=ExpressionWrapper(overdue_q(_today(today)), output_field=BooleanField())))


def access_appeal(*, user, pk) -> Appeal:
    return _get_or_404(appeal_list(user=user).select_related("visit__cadre", "created_by", "rated_by"), pk)


def appeal_events(appeal: Appeal):
    return (appeal.events.select_related("actor").prefetch_related("actor__role_assignments")
            .order_by("at", "pk"))


def appeal_escalations(appeal: Appeal):
    return appeal.escalations.prefetch_related(Prefetch("cadres", queryset=Cadre.objects.order_by("name")))


def appeal_queue(*, user, today: datetime.date | None = None):
    """What needs chasing: overdue, left unassigned too long, or escalated and still open."""
    today = _today(today)
    return (appeal_list(user=user, today=today)
            .filter(overdue_q(today) | unassigned_late_q(today)
                    | Q(status__in=rules.OPEN_STATUSES, escalation_level__gt=0))
            .order_by("deadline", "received_at", "pk"))


def escalations_to(*, user):
    """Open appeals escalated to this cadre account (it sees them: they are its paired enterprises')."""
    return (appeal_list(user=user)
            .filter(status__in=rules.OPEN_STATUSES, escalations__cadres__user=user).distinct())


# --- who may do what -----------------------------------------------------------------------------

def _reaches(user, appeal: Appeal, scope) -> bool:
    if user.is_authenticated and user.is_superuser:
        return True
    for assignment in user_assignments(user):
        q = scope(assignment)
        if q is not None and (not q or Appeal.objects.filter(q, pk=appeal.pk).exists()):
            return True
    return False


def can_act_on_appeal(user, appeal: Appeal, action: str) -> bool:
    """Whether the user's roles (or its being the assignee) reach this appeal for `action`; whether
    the status allows it is the rules table's business."""
    return _reaches(user, appeal, lambda assignment: appeal_action_scope(assignment, action))


def can_attach_to_appeal(user, appeal: Appeal) -> bool:
    return _reaches(user, appeal, appeal_attach_scope)


def can_lead_appeal(user, appeal: Appeal) -> bool:
    """Whether the user is a cadre the appeal was escalated to, and the appeal still open: it may
    comment, give an instruction (批示) and press the department (催办)."""
    if appeal.status not in rules.OPEN_STATUSES:
        return False
    return any(a.role == Role.CADRE for a in user_assignments(user)) and _reaches(user, appeal, appeal_lead_scope)


def appeal_actions(user, appeal: Appeal) -> list[str]:
    """The steps (and the rating) this user may take on the appeal now."""
    actions = [a for a in rules.allowed_actions(appeal.status) if can_act_on_appeal(user, appeal, a)]
    if appeal.status in rules.DONE_STATUSES and appeal.satisfaction is None and \
            can_act_on_appeal(user, appeal, AppealAction.RATE):
        actions.append(AppealAction.RATE)
    return actions


def creatable_enterprises(*, user):
    """The enterprises the user may raise an appeal for: its own, its station's area, its paired
    ones, its region, or any (organization department)."""
    parts = []
    for assignment in user_assignments(user):
        if assignment.role not in rules.CREATOR_CHANNELS:
            continue
        q = _enterprise_scope(assignment, VIEW, "")
        if q is None:
            continue
        if not q:
            return Enterprise.objects.all()
        parts.append(q)
    if user.is_authenticated and user.is_superuser:
        return Enterprise.objects.all()
    if not parts:
        return Enterprise.objects.none()
    combined = parts[0]
    for q in parts[1:]:
        combined |= q
    return Enterprise.objects.filter(combined)


def can_create(user) -> bool:
    from portal.access import can

    return can(user, Appeal, ADD)


def own_enterprise(user):
    """The enterprise of a user who is only an enterprise user (its form has no enterprise field)."""
    roles = {a.role for a in user_assignments(user)}
    if roles != {Role.ENTERPRISE_USER}:
        return None
    return next((a.enterprise for a in user_assignments(user) if a.enterprise_id), None)


def assignable_users(department: Department | None = None):
    """Accounts that may be named an appeal's assignee: of a role that handles appeals, active, and,
    for a department, among its members (承办人员)."""
    ids = RoleAssignment.objects.filter(role__in=rules.ASSIGNEE_ROLES).values("user_id")
    users = get_user_model().objects.filter(pk__in=ids, is_active=True)
    if department is not None:
        users = users.filter(appeal_departments=department)
    return users.order_by("last_name", "first_name", "username")


def assignees_seen(*, user):
    """The accounts named assignee of an appeal this user sees: the appeal list's 承办人 choices."""
    if user is None or not user.is_authenticated:
        return get_user_model().objects.none()
    named = Appeal.objects.restrict(user, VIEW).filter(assignee__isnull=False).order_by().values("assignee_id")
    return get_user_model().objects.filter(pk__in=named).order_by("last_name", "first_name", "username")


def assignee_departments() -> dict[int, list[int]]:
    """{user id: [ids of the active departments it handles appeals for]}: what the assign form's
    assignee options carry, so that the list follows the chosen department."""
    through = Department.members.through.objects.filter(department__is_active=True)
    result: dict[int, list[int]] = defaultdict(list)
    for user_id, department_id in through.order_by("department_id").values_list("user_id", "department_id"):
        result[user_id].append(department_id)
    return dict(result)


def active_departments():
    return Department.objects.filter(is_active=True).order_by("name")


def department_list(*, user):
    return Department.objects.restrict(user, VIEW).annotate(
        open_count=Count("appeals", filter=Q(appeals__status__in=rules.OPEN_STATUSES)),
        total_count=Count("appeals")).prefetch_related(
        Prefetch("members", queryset=get_user_model().objects.order_by("last_name", "first_name", "username")))


def access_department(*, user, pk, action: str = VIEW) -> Department:
    return _get_or_404(Department.objects.restrict(user, action), pk)


def paired_cadres(enterprise_ids) -> dict[int, list[int]]:
    """The active cadres paired now with each enterprise: directly, or through a paired entrepreneur
    who represents it or is linked to it (the same reach as `cadre_enterprise_q`)."""
    ids = list(enterprise_ids)
    result: dict[int, set[int]] = defaultdict(set)
    current = Pairing.objects.filter(ended_on__isnull=True, cadre__is_active=True)
    for enterprise_id, cadre_id in current.filter(kind=PairingKind.ENTERPRISE, enterprise_id__in=ids).values_list(
            "enterprise_id", "cadre_id"):
        result[enterprise_id].add(cadre_id)
    by_person: dict[int, set[int]] = defaultdict(set)
    for person_id, cadre_id in current.filter(kind=PairingKind.ENTREPRENEUR).values_list("person_id", "cadre_id"):
        by_person[person_id].add(cadre_id)
    if by_person:
        links = list(EnterprisePerson.objects.filter(enterprise_id__in=ids, person_id__in=by_person)
                     .values_list("enterprise_id", "person_id"))
        links += list(Enterprise.objects.filter(pk__in=ids, legal_representative_id__in=by_person)
                      .values_list("pk", "legal_representative_id"))
        for enterprise_id, person_id in links:
            result[enterprise_id] |= by_person[person_id]
    return {pk: sorted(cadres) for pk, cadres in result.items()}


def leading_secretary() -> Cadre | None:
    return Cadre.objects.filter(level=CadreLevel.SECRETARY, is_active=True).first()


# --- the summary ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class SummaryRow:
    category: str  # "" for the total
    label: str
    total: int
    open: int
    overdue: int
    resolved: int  # resolved or closed
    counted: int  # worked on: all but withdrawn and dismissed
    rated: int
    satisfaction: Decimal | None  # average, one decimal

    @property
    def resolution_rate(self) -> float | None:
        return rules.resolution_rate(self.resolved, self.counted)


@dataclass(frozen=True)
class AppealSummary:
    rows: list[SummaryRow]  # one per category, in the choices' order
    total: SummaryRow


def _average(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def appeal_summary(user, *, today: datetime.date | None = None) -> AppealSummary:
    """Open, overdue, resolution rate and average satisfaction of the appeals the user sees, by
    category and in total, in one query."""
    today = _today(today)
    counts = {row["category"]: row for row in (
        Appeal.objects.restrict(user, VIEW).order_by().values("category").annotate(
            total=Count("pk"),
            open=Count("pk", filter=Q(status__in=rules.OPEN_STATUSES)),
            overdue=Count("pk", filter=overdue_q(today)),
            resolved=Count("pk", filter=Q(status__in=rules.DONE_STATUSES)),
            counted=Count("pk", filter=~Q(status__in=rules.ENDED_STATUSES)),
            rated=Count("satisfaction"),
            average=Avg("satisfaction"),
        ))}
    rows = []
    for category in AppealCategory:
        row = counts.get(category.value, {})
        rows.append(SummaryRow(
            category=category.value, label=str(category.label), total=row.get("total", 0), open=row.get("open", 0),
            overdue=row.get("overdue", 0), resolved=row.get("resolved", 0), counted=row.get("counted", 0),
            rated=row.get("rated", 0), satisfaction=_average(row.get("average"))))
    rated = sum(r.rated for r in rows)
    weighted = sum((counts[r.category]["average"] or 0) * r.rated for r in rows if r.rated)
    total = SummaryRow(
        category="", label=_("合计"), total=sum(r.total for r in rows), open=sum(r.open for r in rows),
        overdue=sum(r.overdue for r in rows), resolved=sum(r.resolved for r in rows),
        counted=sum(r.counted for r in rows), rated=rated,
        satisfaction=_average(weighted / rated) if rated else None)
    return AppealSummary(rows=rows, total=total)


def appeal_counts(queryset, today: datetime.date | None = None) -> dict[str, int]:
    """Counts for the home cards, in one query."""
    today = _today(today)
    return queryset.order_by().aggregate(
        open=Count("pk", filter=Q(status__in=rules.OPEN_STATUSES)),
        overdue=Count("pk", filter=overdue_q(today)),
        waiting=Count("pk", filter=Q(status=S.RECEIVED)),
        to_rate=Count("pk", filter=Q(status__in=rules.DONE_STATUSES, satisfaction__isnull=True)),
    )


__all__ = [
    "AppealSummary", "SummaryRow", "access_appeal", "access_department", "appeal_actions", "can_act_on_appeal",
    "can_attach_to_appeal", "can_lead_appeal",
    "active_departments", "appeal_counts", "appeal_escalations", "appeal_events", "appeal_list", "appeal_queue",
    "appeal_summary", "assignable_users", "assignee_departments", "assignees_seen", "can_create", "creatable_enterprises", "department_list",
    "escalations_to", "leading_secretary", "own_enterprise", "overdue_q", "paired_cadres", "unassigned_late_q",
]


# --- figures for dashboards and reports -------------------------------------------------------------
# What the dashboards and the work report read of the appeals as of a day: an appeal's status on a day
# is the last step of its history (AppealEvent) up to that day; satisfaction is given once, dated. The
# deadline is today's (a reassignment may have moved it: it has no history). A fixed number of queries.
from django.db.models import OuterRef, Subquery, Sum, Value  # noqa: E402
from django.db.models.functions import Coalesce  # noqa: E402

from portal.selectors import as_of_groups, day_end, day_start  # noqa: E402

from ..choices_appeals import AppealChannel  # noqa: E402
from ..models import AppealEvent  # noqa: E402


def _appeals_by(*, user, on: datetime.date, prefix: str = "", stations=None):
    """The appeals the user sees that had been received by the end of `on` (those raised through
    `stations` only, when given)."""
    appeals = Appeal.objects.restrict(user, VIEW).filter(received_at__lt=day_end(on))
    if prefix:
        appeals = appeals.filter(enterprise__region__code__startswith=prefix)
    if stations is not None:
        appeals = appeals.filter(station_id__in=stations, channel=AppealChannel.STATION)
    return appeals


def _appeal_states(appeals, on: datetime.date, fields: tuple[str, ...], **aggregates) -> list[dict]:
    end = day_end(on)
    last = (AppealEvent.objects.filter(appeal=OuterRef("pk"), at__lt=end).order_by("-at", "-pk")
            .values("to_status")[:1])
    changed = appeals.filter(pk__in=AppealEvent.objects.filter(at__gte=end).values("appeal_id"))
    return as_of_groups(appeals, fields=fields, changed=changed,
                        state=Coalesce(Subquery(last), Value(S.RECEIVED)), aggregates=aggregates)


def appeal_figures(*, user, on: datetime.date, since: datetime.date, prefix: str = "") -> dict:
    """Appeals as they stood on `on` and in the period `since`…`on`, in three queries:
    - `states`: rows {category, state, late (deadline before `on`), recent (received in the period),
      count};
    - `rated`: {category: {"count", "total"}} of the satisfaction scores given in the period."""
    appeals = _appeals_by(user=user, on=on, prefix=prefix).annotate(
        late=ExpressionWrapper(Q(deadline__lt=on), output_field=BooleanField()),
        recent=ExpressionWrapper(Q(received_at__gte=day_start(since)), output_field=BooleanField()))
    states = _appeal_states(appeals, on, ("category", "late", "recent"), count=Count("pk"))
    rated = {row["category"]: row for row in appeals.filter(rated_at__gte=day_start(since), rated_at__lt=day_end(on))
             .order_by().values("category").annotate(count=Count("satisfaction"), total=Sum("satisfaction"))}
    return {"states": states, "rated": rated}


def appeal_station_counts(*, user, on: datetime.date, since: datetime.date, prefix: str = "") -> dict[int, int]:
    """Appeals each station raised in the period: {station_id: count}, one query."""
    appeals = _appeals_by(user=user, on=on, prefix=prefix).filter(
        channel=AppealChannel.STATION, station__isnull=False, received_at__gte=day_start(since))
    return dict(appeals.order_by().values("station_id").annotate(n=Count("pk")).values_list("station_id", "n"))


def station_appeal_states(*, user, stations, on: datetime.date, since: datetime.date) -> list[dict]:
    """The appeals these stations raised in the period, by their status on `on`."""
    appeals = _appeals_by(user=user, on=on, stations=stations).filter(received_at__gte=day_start(since))
    return _appeal_states(appeals, on, (), count=Count("pk"))
