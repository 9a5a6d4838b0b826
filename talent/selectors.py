"""Every read of the talent programme, already limited to what the user may see; and the yearly
totals and the programme overview, each computed with a fixed number of aggregate queries."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.http import Http404

from portal.access import VIEW, can
from portal.models import Enterprise

from .choices import (
    BenefitStatus,
    ProjectStatus,
    RegistrationKind,
    TalentField,
    TalentLevel,
    TalentSource,
)
from .models import (
    BenefitApplication,
    IncubationBase,
    InnovationProject,
    IPServiceAction,
    PlatformRegistration,
    PolicyItem,
    Talent,
    TrainingSession,
)


def _get_or_404(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- lists and single rows ------------------------------------------------------------------------

def policy_item_list(*, user, action: str = VIEW):
    return PolicyItem.objects.restrict(user, action)


def access_policy_item(*, user, pk, action: str = VIEW) -> PolicyItem:
    return _get_or_404(policy_item_list(user=user, action=action), pk)


def items_open_to(talent: Talent):
    """The active items a talent of this level may apply for."""
    return PolicyItem.objects.filter(is_active=True, levels__contains=talent.level).order_by("category", "name")


def talent_list(*, user, action: str = VIEW):
    return Talent.objects.restrict(user, action).select_related("person", "employer", "base")


def access_talent(*, user, pk, action: str = VIEW) -> Talent:
    return _get_or_404(talent_list(user=user, action=action).select_related("employer__region"), pk)


def base_list(*, user, action: str = VIEW):
    return IncubationBase.objects.restrict(user, action)


def access_base(*, user, pk, action: str = VIEW) -> IncubationBase:
    return _get_or_404(base_list(user=user, action=action), pk)


def benefit_application_list(*, user, action: str = VIEW):
    return BenefitApplication.objects.restrict(user, action).select_related(
        "talent__person", "item", "enterprise", "station")


def access_benefit_application(*, user, pk, action: str = VIEW) -> BenefitApplication:
    return _get_or_404(benefit_application_list(user=user, action=action), pk)


def project_list(*, user, action: str = VIEW):
    # An aggregate drops Meta.ordering: the order is given again for the pages.
    return InnovationProject.objects.restrict(user, action).select_related("base").annotate(
        enterprise_count=Count("enterprises", distinct=True)).order_by("-landed_on", "name")


def access_project(*, user, pk, action: str = VIEW) -> InnovationProject:
    return _get_or_404(project_list(user=user, action=action), pk)


def ip_action_list(*, user, action: str = VIEW):
    return IPServiceAction.objects.restrict(user, action).annotate(
        enterprise_count=Count("enterprises", distinct=True)).order_by("-held_on", "-pk")


def access_ip_action(*, user, pk, action: str = VIEW) -> IPServiceAction:
    return _get_or_404(ip_action_list(user=user, action=action), pk)


def training_session_list(*, user, action: str = VIEW):
    return TrainingSession.objects.restrict(user, action).annotate(
        enterprise_count=Count("enterprises", distinct=True)).order_by("-held_on", "-pk")


def access_training_session(*, user, pk, action: str = VIEW) -> TrainingSession:
    return _get_or_404(training_session_list(user=user, action=action), pk)


def registration_list(*, user, action: str = VIEW):
    return PlatformRegistration.objects.restrict(user, action).select_related("enterprise")


def visible_enterprises(*, user, queryset):
    """Of the enterprises a programme record names, those the user may see in the registry; the rest
    are only counted (a training session is a city-wide fact, the other firms in it are not)."""
    if not can(user, Enterprise, VIEW):
        return Enterprise.objects.none()
    return queryset.filter(pk__in=Enterprise.objects.restrict(user, VIEW).values("pk")).order_by("name", "pk")


# --- totals by year -------------------------------------------------------------------------------

def training_totals_by_year(sessions) -> list[dict]:
    """Sessions, distinct enterprises and trainees per year of the given sessions, newest year first,
    with the total over all years last (enterprises counted once however many years they trained)."""
    # Plain rows: a list's annotations (a join on the enterprises) would multiply the sums.
    sessions = TrainingSession.objects.filter(pk__in=sessions.order_by().values("pk"))
    rows = {r["year"]: {"year": r["year"], "sessions": r["sessions"], "trainees": r["trainees"] or 0,
                        "enterprises": 0}
            for r in sessions.order_by().annotate(year=ExtractYear("held_on")).values("year")
            .annotate(sessions=Count("pk", distinct=True), trainees=Sum("trainees"))}
    through = TrainingSession.enterprises.through.objects.filter(trainingsession__in=sessions.order_by().values("pk"))
    for r in (through.annotate(year=ExtractYear("trainingsession__held_on")).values("year")
              .annotate(n=Count("enterprise_id", distinct=True)).order_by()):
        if r["year"] in rows:
            rows[r["year"]]["enterprises"] = r["n"]
    years = [rows[y] for y in sorted(rows, reverse=True)]
    total = {"year": None, "sessions": sum(r["sessions"] for r in years),
             "trainees": sum(r["trainees"] for r in years),
             "enterprises": through.aggregate(n=Count("enterprise_id", distinct=True))["n"] if years else 0}
    return years + [total]


def registration_totals_by_year(registrations) -> list[dict]:
    """科创中国: units and technical talents registered each year and to the end of it, oldest first,
    computed from the registration rows."""
    by_year = defaultdict(lambda: {"enterprises": 0, "talents": 0})
    for r in (registrations.order_by().annotate(year=ExtractYear("registered_on")).values("year", "kind")
              .annotate(n=Sum("count"))):
        key = "enterprises" if r["kind"] == RegistrationKind.ENTERPRISE else "talents"
        by_year[r["year"]][key] += r["n"]
    rows, units, people = [], 0, 0
    for year in sorted(by_year):
        units += by_year[year]["enterprises"]
        people += by_year[year]["talents"]
        rows.append({"year": year, **by_year[year], "enterprises_to_date": units, "talents_to_date": people})
    return rows


def ip_totals_by_year(actions) -> list[dict]:
    actions = IPServiceAction.objects.filter(pk__in=actions.order_by().values("pk"))
    rows = (actions.order_by().annotate(year=ExtractYear("held_on")).values("year")
            .annotate(actions=Count("pk", distinct=True), patents=Sum("patents"), consultations=Sum("consultations"))
            .order_by("-year"))
    through = IPServiceAction.enterprises.through.objects.filter(ipserviceaction__in=actions.order_by().values("pk"))
    served = {r["year"]: r["n"] for r in through.annotate(year=ExtractYear("ipserviceaction__held_on"))
              .values("year").annotate(n=Count("enterprise_id", distinct=True)).order_by()}
    return [{**r, "enterprises": served.get(r["year"], 0)} for r in rows]


# --- the programme overview -----------------------------------------------------------------------

def _counts(queryset, field: str, choices) -> list[dict]:
    found = dict(queryset.order_by().values_list(field).annotate(n=Count("pk")).values_list(field, "n"))
    return [{"code": value, "label": label, "count": found.get(value, 0)} for value, label in choices.choices]


def overview(*, user) -> dict:
    """The programme in plain tables: talents and benefit applications as far as the user sees them,
    the city-wide programme records as they are."""
    talents = Talent.objects.restrict(user, VIEW)
    applications = BenefitApplication.objects.restrict(user, VIEW)
    by_state = {r["status"]: r for r in applications.order_by().values("status").annotate(
        n=Count("pk"), requested=Sum("amount_requested"), approved=Sum("amount_approved"))}
    bases = list(base_list(user=user).annotate(
        talent_count=Count("talents", filter=Q(talents__in=talents), distinct=True),
        project_count=Count("projects", distinct=True)))
    projects = InnovationProject.objects.restrict(user, VIEW)
    return {
        "talent_total": talents.count(),
        "by_level": _counts(talents, "level", TalentLevel),
        "by_field": _counts(talents, "field", TalentField),
        "by_source": _counts(talents, "source", TalentSource),
        "bases": bases,
        "projects_by_status": _counts(projects, "status", ProjectStatus),
        "training": training_totals_by_year(TrainingSession.objects.restrict(user, VIEW)),
        "registrations": registration_totals_by_year(PlatformRegistration.objects.restrict(user, VIEW)),
        "ip_actions": ip_totals_by_year(IPServiceAction.objects.restrict(user, VIEW)),
        "applications": [
            {"code": s, "label": label, "count": by_state.get(s, {}).get("n", 0),
             "requested": by_state.get(s, {}).get("requested"), "approved": by_state.get(s, {}).get("approved")}
            for s, label in BenefitStatus.choices],
    }


# --- figures for dashboards and reports -------------------------------------------------------------
# What the dashboards and the work report read of the talent programme up to a day: talents by the day
# they were introduced (at today's level: a change of level has no history), training by the day held.
import datetime  # noqa: E402


def talent_figures(*, user, on: datetime.date, since: datetime.date, prefix: str = "") -> dict:
    """Talents introduced by `on`, by level, and how many of them in the period `since`…`on`
    (`levels`: {level: {"count", "recent"}}); order-based training by year up to `on` (`training`:
    rows {year, sessions, trainees}; programme rows, city-wide). Two queries."""
    talents = Talent.objects.restrict(user, VIEW).filter(introduced_on__lte=on)
    if prefix:
        talents = talents.filter(employer__region__code__startswith=prefix)
    levels = {row["level"]: row for row in talents.order_by().values("level").annotate(
        count=Count("pk"), recent=Count("pk", filter=Q(introduced_on__gte=since)))}
    training = list(TrainingSession.objects.restrict(user, VIEW).filter(held_on__lte=on)
                    .annotate(year=ExtractYear("held_on")).order_by("year").values("year")
                    .annotate(sessions=Count("pk"), trainees=Sum("trainees")))
    return {"levels": levels, "training": training}
