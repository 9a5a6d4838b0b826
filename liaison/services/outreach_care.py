"""Services of outreach, continued: care activities and 青蓝交接 mentoring (re-exported by
services/outreach.py, the part's one surface)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access import ADD, CHANGE, can
from portal.audit import audit_record, snapshot
from portal.errors import AccessDenied, DomainError
from portal.models import Enterprise, Person
from portal.punctuation import series

from ..models import CareActivity, MentoringPair, MentoringSession
from ..rules.outreach import (
    CareKind,
    MentorKind,
    care_in_season,
    mentoring_period_problem,
    parse_codes,
    season_text,
)
from ..selectors.outreach import care_enterprise_q
from .outreach_base import REQUIRED, choice, day, lock_row, refuse, text

# --- care activities -----------------------------------------------------------------------------

@transaction.atomic
def care_activity_create(*, acting_user, kind: str, title: str, held_on: datetime.date | None, organizer: str,
                         enterprise_codes: str, beneficiaries: int | None, place: str = "",
                         note: str = "") -> CareActivity:
    """Record a care activity for enterprises named by their credit codes: any for the department,
    those of its region for a town."""
    if not can(acting_user, CareActivity, ADD):
        raise AccessDenied()
    errors: dict[str, list[str]] = {}
    choice(kind, CareKind, field="kind", errors=errors, message=_("请选择活动类别。"))
    title = text(title, field="title", errors=errors, max_length=120, required=REQUIRED["care_title"])
    day(held_on, field="held_on", errors=errors, label=_("活动日期"), today=timezone.localdate())
    if "held_on" not in errors and "kind" not in errors and not care_in_season(kind, held_on):
        errors["held_on"] = [season_text(kind)]
    organizer = text(organizer, field="organizer", errors=errors, max_length=80, required=REQUIRED["organizer"])
    place = text(place, field="place", errors=errors, max_length=120)
    if beneficiaries is None or beneficiaries < 1:
        errors["beneficiaries"] = [_("受益人数至少为 1 人。")]
    codes, bad = parse_codes(enterprise_codes)
    enterprises = list(Enterprise.objects.filter(care_enterprise_q(acting_user), uscc__in=codes).order_by("pk"))
    missing = sorted(set(codes) - {e.uscc for e in enterprises})
    if bad:
        errors["enterprise_codes"] = bad
    elif missing:
        errors["enterprise_codes"] = [_("没有找到这些企业，或不在您的辖区内：%(c)s") % {"c": series(missing)}]
    elif not codes:
        errors["enterprise_codes"] = [_("请至少填写一家受益企业的统一社会信用代码。")]
    refuse(errors)
    activity = CareActivity.objects.create(kind=kind, title=title, held_on=held_on, organizer=organizer, place=place,
                                           beneficiaries=beneficiaries, note=(note or "").strip(),
                                           created_by=acting_user)
    activity.enterprises.set(enterprises)
    audit_record(actor=acting_user, action="care_activity.create", obj=activity,
                 after={**snapshot(activity), "enterprises": [e.pk for e in enterprises]})
    return activity


# --- mentoring -----------------------------------------------------------------------------------

@transaction.atomic
def mentoring_pair_create(*, acting_user, mentor_kind: str, mentee: Person | None, started_on: datetime.date | None,
                          focus: str, mentor_person: Person | None = None, mentor_name: str = "",
                          mentor_title: str = "") -> MentoringPair:
    """Pair a senior entrepreneur (or a retired cadre) with a new-generation entrepreneur."""
    if not can(acting_user, MentoringPair, CHANGE):
        raise AccessDenied()
    errors: dict[str, list[str]] = {}
    choice(mentor_kind, MentorKind, field="mentor_kind", errors=errors, message=_("请选择导师类型。"))
    if mentor_kind == MentorKind.ENTREPRENEUR:
        mentor_name = ""
        if mentor_person is None:
            errors["mentor_person"] = [_("请选择导师（资深企业家）。")]
        elif mentor_person.is_new_generation:
            errors["mentor_person"] = [_("%(n)s 是新生代企业家，导师应为资深企业家。") % {"n": mentor_person.name}]
    elif mentor_kind == MentorKind.RETIRED_CADRE:
        mentor_person = None
        mentor_name = text(mentor_name, field="mentor_name", errors=errors, max_length=32,
                           required=REQUIRED["mentor_name"])
    mentor_title = text(mentor_title, field="mentor_title", errors=errors, max_length=80)
    if mentee is None:
        errors["mentee"] = [_("请选择新生代企业家。")]
    elif not mentee.is_new_generation:
        errors["mentee"] = [_("%(n)s 未登记为新生代企业家，青蓝结对的帮带对象须为新生代企业家。") % {"n": mentee.name}]
    elif mentor_person is not None and mentor_person.pk == mentee.pk:
        errors["mentee"] = [_("导师与帮带对象不能是同一人。")]
    day(started_on, field="started_on", errors=errors, label=_("结对日期"), today=timezone.localdate())
    focus = text(focus, field="focus", errors=errors, max_length=200, required=REQUIRED["focus"])
    refuse(errors)
    # The mentee's row serializes pairings of the same people, so a double submission leaves one.
    Person.objects.select_for_update().get(pk=mentee.pk)
    current = MentoringPair.objects.filter(mentee=mentee, ended_on__isnull=True)
    current = current.filter(mentor_person=mentor_person) if mentor_person else current.filter(
        mentor_person__isnull=True, mentor_name=mentor_name)
    if current.exists():
        raise DomainError(_("%(m)s 与 %(n)s 已有进行中的青蓝结对。") % {"m": mentor_person or mentor_name, "n": mentee.name},
                          field="mentee", code="already_paired")
    pair = MentoringPair.objects.create(mentor_kind=mentor_kind, mentor_person=mentor_person, mentor_name=mentor_name,
                                        mentor_title=mentor_title, mentee=mentee, started_on=started_on, focus=focus,
                                        created_by=acting_user)
    audit_record(actor=acting_user, action="mentoring_pair.create", obj=pair, after=snapshot(pair))
    return pair


@transaction.atomic
def mentoring_pair_end(*, acting_user, pair: MentoringPair, ended_on: datetime.date | None) -> MentoringPair:
    locked = lock_row(MentoringPair, acting_user, pair)
    if locked.ended_on is not None:
        raise DomainError(_("该结对已于 %(d)s 结束。") % {"d": locked.ended_on.isoformat()}, code="stale")
    errors: dict[str, list[str]] = {}
    day(ended_on, field="ended_on", errors=errors, label=_("结束日期"), today=timezone.localdate())
    if not errors:
        latest = locked.sessions.order_by("-held_on").first()
        if ended_on < locked.started_on:
            errors["ended_on"] = [_("结束日期不能早于结对日期 %(d)s。") % {"d": locked.started_on.isoformat()}]
        elif latest is not None and latest.held_on > ended_on:
            errors["ended_on"] = [_("该结对在 %(d)s 还有帮带活动，结束日期不能早于这一天。")
                                  % {"d": latest.held_on.isoformat()}]
    refuse(errors)
    before = snapshot(locked)
    locked.ended_on = ended_on
    locked.save(update_fields=["ended_on"])
    audit_record(actor=acting_user, action="mentoring_pair.end", obj=locked, before=before, after=snapshot(locked))
    return locked


@transaction.atomic
def mentoring_session_add(*, acting_user, pair: MentoringPair, held_on: datetime.date | None, topic: str,
                          attendees: int | None, note: str = "") -> MentoringSession:
    """Record a session of a pairing, on a day within its period (the row lock keeps it so)."""
    locked = lock_row(MentoringPair, acting_user, pair)
    errors: dict[str, list[str]] = {}
    day(held_on, field="held_on", errors=errors, label=_("活动日期"), today=timezone.localdate())
    if "held_on" not in errors:
        problem = mentoring_period_problem(locked.started_on, locked.ended_on, held_on)
        if problem:
            errors["held_on"] = [problem]
    topic = text(topic, field="topic", errors=errors, max_length=120, required=REQUIRED["session_topic"])
    if attendees is None or attendees < 2:
        errors["attendees"] = [_("参加人数至少为 2 人（导师与帮带对象）。")]
    refuse(errors)
    session = MentoringSession.objects.create(pair=locked, held_on=held_on, topic=topic, attendees=attendees,
                                              note=(note or "").strip(), created_by=acting_user)
    audit_record(actor=acting_user, action="mentoring_session.create", obj=session, after=snapshot(session))
    return session
