"""The rating workflow: scores, steps, evidence, the public notice, publication and revocation.

A reviewer acts on the version of the rating they saw: if someone else changed it meanwhile, the
service refuses with code "stale" instead of overwriting their work. The locking, the stale form, the
history and the audit rows: workflow.engine (ratings.workflows.RATING)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from portal.access import CHANGE, UNMASK, VIEW, user_assignments
from portal.audit import audit_record, snapshot
from portal.errors import AccessDenied, DomainError
from portal.rules import UploadRefused
from portal.uploads import check_document

from .. import rules
from ..choices import ObjectionStatus
from ..models import (
    Cycle,
    Evidence,
    ItemScore,
    Objection,
    PartyOrganization,
    Rating,
    RubricItem,
    _organization_scope,
)
from ..workflows import RATING
from .common import A, S, _refuse, _today

OBJECTIONS_PER_ADDRESS_PER_DAY = 5


def can_act_on_rating(user, rating: Rating) -> bool:
    """Whether the user holds the role that acts at the rating's current step, over its organization."""
    level = Rating.objects.filter(pk=rating.pk).values_list("organization__region__level", flat=True).first()
    role = rules.reviewer_role(rating.status, level)
    if role is None or user is None or not user.is_authenticated:
        return False
    for assignment in user_assignments(user):
        if assignment.role != role:
            continue
        q = _organization_scope(assignment, VIEW, "organization__")
        if q is not None and Rating.objects.filter(q, pk=rating.pk).exists():
            return True
    return False


def _lock_rating(acting_user, rating: Rating, expected_version: int | None) -> Rating:
    """The rating locked; refused when the user may not see it, when the form is stale (checked before
    the role: someone who acted meanwhile may have moved the rating out of the user's hands), or when
    its current step is not the user's."""
    locked = RATING.lock(acting_user, rating, related=("cycle__rubric", "organization"), of=("self",))
    RATING.check_version(locked, expected_version)
    if not can_act_on_rating(acting_user, locked):
        raise AccessDenied(_("当前环节“%(s)s”不由您办理。") % {"s": locked.get_status_display()})
    return locked


def _result(rating: Rating) -> dict:
    return {"status": rating.status, "score": None if rating.score is None else str(rating.score),
            "stars": rating.stars, "vetoes": list(rating.vetoes or []),
            "valid_from": rating.valid_from and rating.valid_from.isoformat(),
            "valid_to": rating.valid_to and rating.valid_to.isoformat()}


def _stage_scores(rating: Rating, stage: str) -> dict:
    return {s.item.code: (str(s.points) if s.points is not None else ("veto" if s.vetoed else None))
            for s in rating.item_scores.filter(stage=stage).select_related("item")}


def _record(rating: Rating, *, before: dict | None = None, audit_before: dict | None = None, **step) -> None:
    """RATING.record (version, history row, audit row, announcement) with the history row's own
    `before` (the result before the step); the engine's `before` is the audit row's."""
    RATING.record(rating, before=audit_before, history={"before": before}, **step)


@dataclass
class ScoreInput:
    """A stage's score sheet as typed: points and notes by item code, veto codes triggered."""

    points: dict[str, object] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    vetoes: set[str] = field(default_factory=set)


def _save_scores(rating: Rating, stage: str, scores: ScoreInput) -> dict:
    items = list(rating.cycle.rubric.items.all())
    specs = [rules.ItemSpec(i.code, i.max_points, i.is_veto, i.veto_cap) for i in items]
    outcome, errors = rules.score_sheet(specs, scores.points, scores.vetoes, rating.cycle.rubric.thresholds)
    unexplained = rules.missing_deduction_notes(stage, specs, scores.points, scores.notes)
    if outcome is None or unexplained:
        raise DomainError(_("有 %(n)d 个评分项目填写有误，请更正。") % {"n": len(errors) + len(unexplained)},
                          errors={**{f"points_{code}": [message] for code, message in errors.items()},
                                  **{f"note_{code}": [message] for code, message in unexplained.items()}},
                          code="invalid_scores")
    before = _stage_scores(rating, stage)
    for item in items:
        values = {"note": (scores.notes.get(item.code) or "").strip()[:300]}
        if item.is_veto:
            values.update(points=None, vetoed=item.code in outcome.vetoes)
        else:
            values.update(points=rules.parse_points(scores.points.get(item.code), item.max_points), vetoed=False)
        ItemScore.objects.update_or_create(rating=rating, item=item, stage=stage, defaults=values)
    rating.score, rating.stars, rating.vetoes = outcome.total, outcome.stars, list(outcome.vetoes)
    rating.stage_results = {**(rating.stage_results or {}), stage: {
        "total": str(outcome.total), "stars": outcome.stars, "vetoes": list(outcome.vetoes)}}
    return {"scores": before}


@transaction.atomic
def rating_start(*, acting_user, cycle: Cycle, organization: PartyOrganization,
                 today: datetime.date | None = None) -> Rating:
    """The organization's self-assessment in the cycle, started if it was not yet."""
    today = today or _today()
    if not PartyOrganization.objects.restrict(acting_user, VIEW).filter(pk=organization.pk).exists():
        raise AccessDenied()
    existing = Rating.objects.filter(cycle=cycle, organization=organization).first()
    if existing is not None:
        return existing
    if not (cycle.opens_on <= today <= cycle.closes_on):
        raise DomainError(_("%(c)s 的自评时间为 %(a)s 至 %(b)s。") % {"c": cycle, "a": cycle.opens_on, "b": cycle.closes_on},
                          code="cycle_closed")
    rating, created = Rating.objects.get_or_create(
        cycle=cycle, organization=organization, defaults={"status": S.SELF, "step_entered_on": today}
    )
    if created:
        RATING.record(rating, actor=acting_user, action=A.START, from_status="")
    return rating


@transaction.atomic
def rating_transition(*, acting_user, rating: Rating, action: str, expected_version: int | None,
                      comment: str = "", scores: ScoreInput | None = None,
                      today: datetime.date | None = None) -> Rating:
    """One step of the workflow: save the current stage's scores, submit, approve, return or reject.

    With `scores`, the sheet is checked and stored first, in the same transaction, so a refused step
    leaves no half-saved scores behind."""
    today = today or _today()
    locked = _lock_rating(acting_user, rating, expected_version)
    from_status = locked.status
    field_name = "comment" if action in rules.REASON_REQUIRED else None
    to_status = RATING.next_status(locked, action, field=field_name)
    try:
        comment = rules.check_reason(action, comment)
    except rules.RuleError as error:
        raise _refuse(error, field_name, "not_allowed") from None
    if action not in (A.SAVE, A.SUBMIT, A.APPROVE, A.RETURN, A.REJECT):
        raise DomainError(_("该操作不能在此办理。"), code="not_allowed")
    audit_before = snapshot(locked)
    before, after = _result(locked), None
    stage = rules.STAGE_OF_STATUS.get(from_status, "")
    if scores is not None and action in (A.SAVE, A.SUBMIT, A.APPROVE):
        before.update(_save_scores(locked, stage, scores))
    if action in (A.SUBMIT, A.APPROVE):
        if not locked.item_scores.filter(stage=stage).exists():
            raise DomainError(_("请先完成本环节的评分。"), code="scores_missing")
        locked.score, locked.stars, locked.vetoes = _stage_outcome(locked, stage)
    if action == A.SUBMIT and today > locked.cycle.closes_on:
        raise DomainError(_("%(c)s 的自评已于 %(d)s 截止。") % {"c": locked.cycle, "d": locked.cycle.closes_on},
                          code="cycle_closed")
    if action == A.APPROVE and from_status == S.DEPT:
        if locked.stars is None:
            raise DomainError(_("触发一票否决项，不能评星，请选择“不予通过”。"), code="vetoed")
        locked.notice_starts_on, locked.notice_ends_on = rules.notice_period(today, locked.cycle.notice_days)
    if to_status != from_status:
        locked.step_entered_on = today
    locked.status = to_status
    after = _result(locked)
    if scores is not None:
        after["scores"] = _stage_scores(locked, stage)
    _record(locked, actor=acting_user, action=action, from_status=from_status, note=comment, stage=stage,
            before=before, after=after, audit_before=audit_before)
    return locked


def _stage_outcome(rating: Rating, stage: str):
    result = (rating.stage_results or {}).get(stage) or {}
    total = result.get("total")
    return (rules.Decimal(total) if total is not None else None), result.get("stars"), result.get("vetoes", [])


@transaction.atomic
def evidence_add(*, acting_user, rating: Rating, upload, item: RubricItem | None = None) -> Evidence:
    """Attach a file to the rating at its current stage; the file is checked first by its whole structure
    (portal.uploads: kind, size, a safe name)."""
    locked = _lock_rating(acting_user, rating, None)
    stage = rules.STAGE_OF_STATUS.get(locked.status)
    if stage is None:
        raise DomainError(_("当前环节不能上传佐证材料。"), code="not_allowed")
    if item is not None and item.rubric_id != locked.cycle.rubric_id:
        raise DomainError(_("该项目不属于本评定使用的评分标准。"), field="item")
    try:
        check_document(upload, label=_("佐证材料"))
    except UploadRefused as error:
        raise DomainError(error.message, field="file") from None
    evidence = Evidence(rating=locked, item=item, stage=stage, name=upload.name[:200], size=upload.size,
                        uploaded_by=acting_user)
    evidence.file.save(upload.name, upload, save=False)
    evidence.save()
    audit_record(actor=acting_user, action="rating.evidence_add", obj=locked,
                 note=_("上传佐证材料：%(n)s") % {"n": evidence.name})
    return evidence


# --- public notice, objections and publication -------------------------------------------------

@transaction.atomic
def objection_lodge(*, rating: Rating, name: str, contact: str, reason: str, ip: str | None,
                    today: datetime.date | None = None) -> Objection:
    """Anyone may object to a rating under notice; an open objection holds its publication."""
    today = today or _today()
    values, errors = rules.check_objection(name, contact, reason)
    if errors:
        raise DomainError(_("请更正标出的错误。"), errors={k: [v] for k, v in errors.items()})
    locked = Rating.objects.select_for_update().get(pk=rating.pk)
    if locked.status != S.NOTICE or not (locked.notice_starts_on <= today <= locked.notice_ends_on):
        raise DomainError(_("该评定不在公示期内，不能提出异议。"), code="not_under_notice")
    recent = Objection.objects.filter(ip=ip, lodged_at__gte=timezone.now() - datetime.timedelta(days=1))
    if ip and recent.count() >= OBJECTIONS_PER_ADDRESS_PER_DAY:
        raise DomainError(_("同一网络地址 24 小时内最多提出 %(n)d 条异议，请改日再试或电话联系组织部。")
                          % {"n": OBJECTIONS_PER_ADDRESS_PER_DAY}, code="too_many")
    objection = Objection.objects.create(rating=locked, ip=ip, **values)
    RATING.record(locked, actor=None, action=A.OBJECTION, from_status=S.NOTICE, note=values["reason"][:500],
                  audit_note=_("收到公示异议"), audit_after=False, actor_name=gettext_noop("公众"))
    return objection


@transaction.atomic
def objection_unmask(*, acting_user, objection: Objection) -> dict:
    """The objector's contact whole, after checking the right and auditing the look."""
    if not Objection.objects.restrict(acting_user, UNMASK).filter(pk=objection.pk).exists():
        raise AccessDenied(_("您无权查看异议人的完整联系方式。"))
    audit_record(actor=acting_user, action="objection.unmask", obj=objection, note=_("查看完整信息：联系方式"))
    return {"contact": objection.contact}


@transaction.atomic
def objection_resolve(*, acting_user, objection: Objection, upheld: bool, resolution: str,
                      today: datetime.date | None = None) -> Objection:
    """Staff answer an objection. Upheld, the rating goes back to the department's review."""
    today = today or _today()
    if not Objection.objects.restrict(acting_user, CHANGE).filter(pk=objection.pk).exists():
        raise AccessDenied()
    locked_rating = Rating.objects.select_for_update().select_related("cycle").get(pk=objection.rating_id)
    locked = Objection.objects.select_for_update().get(pk=objection.pk)
    if locked.status != ObjectionStatus.OPEN:
        raise DomainError(_("该异议已处理。"), code="stale")
    action = A.OBJECTION_UPHELD if upheld else A.OBJECTION_DISMISSED
    try:
        resolution = rules.check_reason(action, resolution)
    except rules.RuleError as error:
        raise _refuse(error, "resolution") from None
    locked.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
    locked.resolution, locked.resolved_by, locked.resolved_at = resolution, acting_user, timezone.now()
    locked.save()
    audit_before = snapshot(locked_rating)
    before = _result(locked_rating)
    from_status = locked_rating.status
    if upheld and from_status == S.NOTICE:
        locked_rating.status = S.DEPT
        locked_rating.step_entered_on = today
        locked_rating.notice_starts_on = locked_rating.notice_ends_on = None
    _record(locked_rating, actor=acting_user, action=action, from_status=from_status, note=resolution,
            before=before, after=_result(locked_rating), audit_before=audit_before)
    return locked


@transaction.atomic
def rating_publish(*, acting_user, rating: Rating, today: datetime.date | None = None) -> Rating:
    """Name the rating (命名) once its notice has ended with no open objection. `acting_user` None is
    the periodic task."""
    today = today or _today()
    locked = Rating.objects.select_for_update().select_related("cycle", "organization").get(pk=rating.pk)
    if acting_user is not None and not Rating.objects.restrict(acting_user, VIEW).filter(pk=locked.pk).exists():
        raise AccessDenied()
    if locked.status != S.NOTICE:
        raise DomainError(_("只有公示中的评定可以命名（当前：%(s)s）。") % {"s": locked.get_status_display()},
                          code="not_allowed")
    if acting_user is not None and not can_act_on_rating(acting_user, locked):
        raise AccessDenied()
    open_objections = locked.objections.filter(status=ObjectionStatus.OPEN).count()
    if open_objections:
        raise DomainError(_("尚有 %(n)d 条异议未处理，不能命名。") % {"n": open_objections}, code="open_objections")
    if not rules.publication_due(locked.notice_ends_on, today, open_objections):
        raise DomainError(_("公示期至 %(d)s 结束，结束后方可命名。") % {"d": locked.notice_ends_on}, code="notice_running")
    audit_before, before = snapshot(locked), _result(locked)
    locked.status = S.PUBLISHED
    locked.step_entered_on = today
    locked.valid_from, locked.valid_to = rules.validity_period(today, locked.cycle.validity_months)
    _record(locked, actor=acting_user, action=A.PUBLISH, from_status=S.NOTICE, before=before,
            after=_result(locked), audit_before=audit_before)
    # The newer rating takes over: an older one of the same organization ends the day before.
    older = (Rating.objects.select_for_update().filter(organization=locked.organization, status=S.PUBLISHED,
                                                       valid_to__gte=today).exclude(pk=locked.pk))
    for previous in older:
        audit_before, before = snapshot(previous), _result(previous)
        previous.valid_to = max(previous.valid_from, today - datetime.timedelta(days=1))
        _record(previous, actor=acting_user, action=A.SUPERSEDE, from_status=S.PUBLISHED,
                note=gettext_noop("由 %(c)s 的评定取代") % {"c": locked.cycle.name}, before=before, after=_result(previous),
                audit_before=audit_before)
    return locked


@dataclass
class PublishReport:
    published: list[int] = field(default_factory=list)
    skipped: dict[int, str] = field(default_factory=dict)  # rating id -> why


def ratings_publish_due(*, acting_user=None, rating_ids: Iterable[int] | None = None,
                        today: datetime.date | None = None) -> PublishReport:
    """Publish every rating (or the given ones) whose notice has ended without open objections.
    Each rating is its own transaction: one refusal does not hold back the rest."""
    today = today or _today()
    candidates = Rating.objects.filter(status=S.NOTICE)
    if rating_ids is not None:
        candidates = Rating.objects.filter(pk__in=list(rating_ids))
    else:
        candidates = candidates.filter(notice_ends_on__lt=today).exclude(objections__status=ObjectionStatus.OPEN)
    report = PublishReport()
    for pk in candidates.order_by("pk").values_list("pk", flat=True):
        try:
            rating_publish(acting_user=acting_user, rating=Rating(pk=pk), today=today)
        except DomainError as error:
            report.skipped[pk] = error.message
        else:
            report.published.append(pk)
    return report


@transaction.atomic
def rating_downgrade(*, acting_user, rating: Rating, expected_version: int | None, stars: object,
                     reason: str) -> Rating:
    locked = _lock_rating(acting_user, rating, expected_version)
    if locked.status != S.PUBLISHED:
        raise DomainError(_("只有已命名的评定可以降级。"), code="not_allowed")
    try:
        new_stars = rules.check_downgrade(locked.stars, stars)
    except rules.RuleError as error:
        raise _refuse(error, "stars") from None
    try:
        reason = rules.check_reason(A.DOWNGRADE, reason)
    except rules.RuleError as error:
        raise _refuse(error, "reason") from None
    audit_before, before = snapshot(locked), _result(locked)
    locked.stars = new_stars
    _record(locked, actor=acting_user, action=A.DOWNGRADE, from_status=S.PUBLISHED, note=reason,
            before=before, after=_result(locked), audit_before=audit_before)
    return locked


@transaction.atomic
def rating_revoke(*, acting_user, rating: Rating, expected_version: int | None, reason: str,
                  today: datetime.date | None = None) -> Rating:
    """Revoke a published rating at once (e.g. a veto event); every benefit reads it the same day."""
    today = today or _today()
    locked = _lock_rating(acting_user, rating, expected_version)
    if locked.status != S.PUBLISHED:
        raise DomainError(_("只有已命名的评定可以撤销（当前：%(s)s）。") % {"s": locked.get_status_display()},
                          code="not_allowed")
    try:
        reason = rules.check_reason(A.REVOKE, reason)
    except rules.RuleError as error:
        raise _refuse(error, "reason") from None
    audit_before, before = snapshot(locked), _result(locked)
    locked.status, locked.revoked_on, locked.revoke_reason = S.REVOKED, today, reason[:500]
    _record(locked, actor=acting_user, action=A.REVOKE, from_status=S.PUBLISHED, note=reason,
            before=before, after=_result(locked), audit_before=audit_before)
    return locked
