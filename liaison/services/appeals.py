"""Every write of appeals: raising one, its steps, the enterprise's rating, attachments, and the
nightly escalation of overdue ones.

How the guarantees hold:
- Numbers (SQ2026-000123): the year's AppealCounter row is locked (SELECT … FOR UPDATE) and moved on
  in the transaction that inserts the appeal; two creations take turns, and a creation that fails
  rolls its number back, so there are neither duplicates nor gaps. The unique column is the last line.
- Steps: the appeal's row is locked, the version the user saw must still be the current one (else
  "stale"), then the rules' graph decides whether the step is allowed in the current status
  (workflow.engine, through liaison.workflows.APPEAL; it writes the history and audit rows too).
- Escalation: each appeal is escalated in its own short transaction with its row locked, to the level
  due and only if above the level reached; the (appeal, level) unique constraint is the last line.
  Running twice on the same day, or twice at once, escalates once.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access import CHANGE, VIEW, can, user_assignments
from portal.audit import audit_record, snapshot
from portal.choices import Role
from portal.context_processors import display_name
from portal.errors import AccessDenied, DomainError
from portal.models import Enterprise
from portal.models.enterprises import _enterprise_scope
from portal.punctuation import series
from portal.rules import UploadRefused, strip_invisible
from portal.uploads import check_document, message_for

from ..choices_appeals import AppealAction, AppealCategory, AppealChannel, AppealPlatform, AppealStatus
from ..models import Appeal, AppealAttachment, AppealCounter, AppealEscalation, AppealEvent, Department, Visit
from ..rules import appeals as rules
from ..selectors import appeals as _selectors
from ..selectors.appeals import can_act_on_appeal, can_attach_to_appeal
from ..workflows import APPEAL

A, S = AppealAction, AppealStatus
MAX_ATTACHMENTS = 10


def _refuse(error: rules.RuleError, code: str = "invalid") -> DomainError:
    return DomainError(error.message, field=error.field, code=code)


# --- raising an appeal ---------------------------------------------------------------------------

def _creator_role(user, enterprise: Enterprise) -> tuple[str, object] | None:
    """(role, station) under which the user raises an appeal for this enterprise: the enterprise
    itself first, then its station, its paired cadre, then staff."""
    order = list(rules.CREATOR_CHANNELS)
    assignments = sorted((a for a in user_assignments(user) if a.role in rules.CREATOR_CHANNELS),
                         key=lambda a: order.index(a.role))
    for assignment in assignments:
        q = _enterprise_scope(assignment, VIEW, "")
        if q is not None and Enterprise.objects.filter(q, pk=enterprise.pk).exists():
            return assignment.role, assignment.station if assignment.role == Role.STATION_OPERATOR else None
    return None


def _next_number(year: int) -> str:
    AppealCounter.objects.bulk_create([AppealCounter(year=year)], ignore_conflicts=True)
    counter = AppealCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"SQ{year}-{counter.last:06d}"


@transaction.atomic
def appeal_create(*, acting_user, enterprise: Enterprise | None, category: str, title: str, description: str,
                  platform: str = AppealPlatform.APPEAL, channel: str | None = None,
                  visit: Visit | None = None, uploads=()) -> Appeal:
    """Raise an appeal: the enterprise online for itself, a station for its area, a cadre on a visit
    to its paired enterprise (optionally naming the visit), staff by phone or at the window. Files
    given with it (`uploads`) are checked with the rest and attached in the same transaction: one bad
    file refuses the whole appeal, at the "files" field, and nothing is written."""
    if enterprise is None:
        raise DomainError(_("请选择企业。"), field="enterprise")
    who = _creator_role(acting_user, enterprise)
    if who is None:
        raise AccessDenied(_("您不能为该企业提交诉求：企业本身、所在区域的金融服务站、结对联系领导或组织部、镇街工作人员可以提交。"))
    role, station = who
    errors: dict[str, list[str]] = {}
    allowed = rules.CREATOR_CHANNELS[role]
    channel = channel or allowed[0]
    if channel not in allowed:
        errors["channel"] = [_("您提交的诉求渠道只能是：%(c)s。") % {
            "c": series(str(AppealChannel(c).label) for c in allowed)}]
    if category not in AppealCategory.values:
        errors["category"] = [_("请选择诉求类别。")]
    if platform not in AppealPlatform.values:
        errors["platform"] = [_("请选择直通平台。")]
    if visit is not None:
        if role != Role.CADRE or visit.cadre.user_id != acting_user.pk:
            errors["visit"] = [_("只能关联您本人的走访记录。")]
        elif visit.enterprise_id != enterprise.pk:
            errors["visit"] = [_("该走访记录不是对%(e)s的走访。") % {"e": enterprise.name}]
    title, description, text_errors = rules.check_appeal_text(title, description)
    for field, message in text_errors.items():
        errors[field] = [message]
    uploads = [u for u in (uploads or ()) if u is not None]
    file_errors = _check_uploads(uploads)
    if file_errors:
        errors["files"] = file_errors
    if errors:
        raise DomainError(_("请更正标出的错误。"), errors=errors)
    now = timezone.now()
    today = timezone.localdate(now)
    appeal = Appeal.objects.create(
        number=_next_number(today.year), enterprise=enterprise, category=category, platform=platform,
        channel=channel, station=station, visit=visit, title=title, description=description,
        deadline=rules.default_deadline(category, today), received_at=now, created_by=acting_user)
    APPEAL.record(appeal, actor=acting_user, action=A.SUBMIT, from_status="", bump=False, save=False)
    for upload in uploads:
        _save_attachment(appeal, upload, acting_user)
    return appeal


def _check_uploads(uploads) -> list[str]:
    """What is wrong with files given together, one message per bad file (checked like any attachment)."""
    messages = []
    if len(uploads) > MAX_ATTACHMENTS:
        messages.append(_("每件诉求最多上传 %(n)d 个附件。") % {"n": MAX_ATTACHMENTS})
    for upload in uploads:
        try:
            check_document(upload, label=_("附件"))
        except UploadRefused as error:
            messages.append(message_for(upload, error, several=True))
    return messages


def _save_attachment(appeal: Appeal, upload, acting_user) -> AppealAttachment:
    """Store a file that `check_document` passed (its name is the safe one by then)."""
    attachment = AppealAttachment(appeal=appeal, name=upload.name[:200], size=upload.size, uploaded_by=acting_user)
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    APPEAL.record(appeal, actor=acting_user, action=A.ATTACH, note=attachment.name, bump=False, save=False,
                  audit_after=False)
    return attachment


# --- the steps -----------------------------------------------------------------------------------

def _who(action: str) -> str:
    if action == A.WITHDRAW:
        return _("提出诉求的企业、服务站、联系领导或组织部、镇街工作人员")
    if action in rules.ASSIGNEE_ACTIONS:
        return _("承办人或组织部、镇街工作人员")
    return _("组织部、镇街工作人员")


def _refused(action: str) -> str:
    return _("“%(a)s”须由%(who)s办理。") % {"a": A(action).label, "who": _who(action)}


def _check_assignment(locked: Appeal, action: str, department, assignee, deadline, today) -> list[str]:
    """Validate and apply the department, assignee and deadline of an assign or reassign."""
    errors: dict[str, list[str]] = {}
    if department is None or not isinstance(department, Department):
        errors["department"] = [_("请选择承办部门。")]
    elif not department.is_active:
        errors["department"] = [_("“%(d)s”已停用，请选择其他部门。") % {"d": department.name}]
    if assignee is not None and not _selectors.assignable_users().filter(pk=assignee.pk).exists():
        errors["assignee"] = [_("承办人须为组织部、镇街工作人员或联系领导的有效账号。")]
    elif assignee is not None and "department" not in errors and \
            not _selectors.assignable_users(department).filter(pk=assignee.pk).exists():
        errors["assignee"] = [_("%(u)s不是“%(d)s”的承办人员，请选择该部门的承办人。") % {
            "u": display_name(assignee), "d": department.name}]
    if deadline is not None:
        try:
            rules.check_deadline(deadline, today)
        except rules.RuleError as error:
            errors["deadline"] = [error.message]
    if action == A.REASSIGN and not errors and department.pk == locked.department_id \
            and (assignee.pk if assignee else None) == locked.assignee_id:
        errors["department"] = [_("改派须更换承办部门或承办人。")]
    if errors:
        raise DomainError(_("请更正标出的错误。"), errors=errors)
    locked.department, locked.assignee = department, assignee
    if deadline is not None:
        locked.deadline = deadline
    parts = [department.name]
    if assignee is not None:
        parts.append(_("承办人 %(u)s") % {"u": display_name(assignee)})
    parts.append(_("期限 %(d)s") % {"d": locked.deadline.isoformat()})
    return parts


@transaction.atomic
def appeal_transition(*, appeal: Appeal, action: str, acting_user, version, department: Department | None = None,
                      assignee=None, deadline: datetime.date | None = None, note: str = "",
                      resolution: str = "") -> Appeal:
    """One step of the state machine. A step not allowed in the status is refused naming the status;
    a user who may not take it is refused (403); a stale version, or none, is refused ("stale")."""

    def apply(locked: Appeal, to_status: str) -> dict:
        try:
            reason = rules.check_reason(action, note)
        except rules.RuleError as error:
            raise _refuse(error, code="not_allowed" if error.field is None else "invalid") from None
        now = timezone.now()
        details = []
        if action in (A.ASSIGN, A.REASSIGN):
            details = _check_assignment(locked, action, department, assignee, deadline, timezone.localdate(now))
            locked.assigned_at, locked.started_at = now, None
        elif action == A.START:
            locked.started_at = now
        elif action == A.RESOLVE:
            try:
                locked.resolution = rules.check_resolution(resolution)
            except rules.RuleError as error:
                raise _refuse(error) from None
            locked.resolved_at = now
            details = [locked.resolution[:200]]
        elif action == A.REOPEN:
            # The old resolution stays in the audit row's "before"; the next one replaces it.
            locked.resolution, locked.resolved_at = "", None
        elif action in (A.CLOSE, A.WITHDRAW, A.DISMISS):
            locked.closed_at = now
        return {"note": "；".join([*details, reason] if reason else details), "audit_note": reason}

    return APPEAL.transition(acting_user=acting_user, case=appeal, action=action, expected_version=version,
                             version_required=True, may_act=can_act_on_appeal, refused=_refused, apply=apply)


@transaction.atomic
def appeal_rate(*, appeal: Appeal, score, comment: str, acting_user) -> Appeal:
    """The enterprise's satisfaction with the resolution: once, after resolution, 1–5 stars; a score
    of 1 or 2 needs a comment saying what went wrong."""
    locked = APPEAL.lock(acting_user, appeal)
    if not can_act_on_appeal(acting_user, locked, A.RATE):
        raise AccessDenied(_("满意度由提出诉求的企业评价（经服务站代办的，可由该服务站代为记录）。"))
    try:
        value = rules.check_rating(locked.status, locked.satisfaction is not None, score)
    except rules.RuleError as error:
        code = "invalid" if error.field else ("already_rated" if locked.satisfaction is not None else "not_allowed")
        raise _refuse(error, code=code) from None
    comment = strip_invisible(comment, multiline=True).strip()
    if value <= 2 and len(comment) < rules.MIN_REASON:
        raise DomainError(_("不满意时请写明原因（不少于 %(n)d 个字），以便改进。") % {"n": rules.MIN_REASON},
                          field="comment")
    if len(comment) > 500:
        raise DomainError(_("评价意见不能超过 500 字。"), field="comment")
    before = snapshot(locked)
    locked.satisfaction, locked.satisfaction_comment = value, comment
    locked.rated_at, locked.rated_by = timezone.now(), acting_user
    on_behalf = not any(a.role == Role.ENTERPRISE_USER and a.enterprise_id == locked.enterprise_id
                        for a in user_assignments(acting_user))
    stars = _("%(n)d 星") % {"n": value}
    APPEAL.record(locked, actor=acting_user, action=A.RATE, before=before, audit_note="",
                  note="；".join(p for p in (stars, _("服务站代为记录") if on_behalf else "", comment) if p))
    return locked


@transaction.atomic
def appeal_attach(*, appeal: Appeal, upload, acting_user) -> AppealAttachment:
    """Attach a file (PDF, image, Word, Excel; ≤ 10 MB; checked by its structure, portal.uploads)."""
    locked = APPEAL.lock(acting_user, appeal)
    if not can_attach_to_appeal(acting_user, locked):
        raise AccessDenied(_("您不能为该诉求上传附件。"))
    if locked.status not in (*rules.OPEN_STATUSES, S.RESOLVED):
        raise DomainError(_("诉求当前为「%(s)s」，不能再上传附件。") % {"s": locked.get_status_display()},
                          code="not_allowed")
    if upload is None:
        raise DomainError(_("请选择要上传的文件。"), field="file")
    if locked.attachments.count() >= MAX_ATTACHMENTS:
        raise DomainError(_("每件诉求最多上传 %(n)d 个附件。") % {"n": MAX_ATTACHMENTS}, field="file")
    try:
        check_document(upload, label=_("附件"))
    except UploadRefused as error:
        raise DomainError(error.message, field="file") from None
    return _save_attachment(locked, upload, acting_user)


# --- escalation ----------------------------------------------------------------------------------

def appeal_escalate_overdue(*, today: datetime.date | None = None) -> dict[str, int]:
    """Escalate every open appeal past its deadline (or left unassigned too long) to the level due:
    to the enterprise's paired cadres of the day and the organization department (and, at level 2,
    the city Party secretary who leads the mechanism). Returns how many were escalated at each level.

    Not one transaction for the whole run on purpose: each appeal is escalated in its own, so a run
    over many appeals holds no lock for long and a retry after a failure picks up where it stopped."""
    today = today or timezone.localdate()
    candidates = (Appeal.objects.filter(status__in=rules.OPEN_STATUSES, escalation_level__lt=rules.MAX_LEVEL)
                  .filter(_selectors.overdue_q(today) | _selectors.unassigned_late_q(today))
                  .order_by("pk").values_list("pk", flat=True))
    counts = {"level_1": 0, "level_2": 0}
    secretary = _selectors.leading_secretary()
    for pk in candidates.iterator(chunk_size=2000):
        level = _escalate_one(pk, today, secretary)
        if level:
            counts[f"level_{level}"] += 1
    counts["escalated"] = counts["level_1"] + counts["level_2"]
    return counts


@transaction.atomic
def _escalate_one(pk: int, today: datetime.date, secretary) -> int | None:
    locked = Appeal.objects.select_for_update().select_related("enterprise").filter(pk=pk).first()
    if locked is None:
        return None
    due = rules.escalation_due(locked.status, locked.deadline, locked.received_on, today, locked.escalation_level)
    if due is None:
        return None
    cadre_ids = _selectors.paired_cadres([locked.enterprise_id]).get(locked.enterprise_id, [])
    if due.level >= 2 and secretary is not None and secretary.pk not in cadre_ids:
        cadre_ids = [*cadre_ids, secretary.pk]
    before = snapshot(locked, ["escalation_level", "escalated_at"])
    now = timezone.now()
    try:
        with transaction.atomic():
            escalation = AppealEscalation.objects.create(appeal=locked, level=due.level, reason=due.reason,
                                                         escalated_on=today, escalated_at=now, days_overdue=due.days)
    except IntegrityError:  # recorded by a run that got there first
        return None
    escalation.cadres.set(cadre_ids)
    locked.escalation_level, locked.escalated_at = due.level, now
    Appeal.objects.filter(pk=locked.pk).update(escalation_level=due.level, escalated_at=now)
    names = list(escalation.cadres.order_by("name").values_list("name", flat=True))
    note = _("%(l)s级督办：%(r)s %(d)d 天；督办：%(to)s") % {
        "l": "一" if due.level == 1 else "二", "r": escalation.get_reason_display(), "d": due.days,
        "to": "、".join([*names, str(_("组织部（两新工委）"))])}
    # The nightly task's step, composed of the engine's parts: no one to lock for, no version moved (a
    # form open on the appeal stays good), and an audit row of the two fields escalation changes.
    AppealEvent.objects.create(appeal=locked, action=A.ESCALATE, from_status=locked.status, to_status=locked.status,
                               note=note[:APPEAL.note_max], actor=None, actor_name=APPEAL.system_name)
    audit_record(actor=None, action="appeal.escalate", obj=locked, before=before,
                 after=snapshot(locked, ["escalation_level", "escalated_at"]), note=note)
    APPEAL.announce(locked, action=A.ESCALATE, from_status=locked.status)
    return due.level


# --- what a leader the appeal was escalated to does ---------------------------------------------

@transaction.atomic
def _appeal_lead(*, appeal: Appeal, action: str, note: str, acting_user) -> AppealEvent:
    """A comment, an instruction (批示) or a pressing (催办) by a cadre the appeal was escalated to: a
    history row and an audit row; the appeal's status, and so the forms others have open, stay as they
    are. Refused (403) to anyone the appeal was not escalated to, and once the appeal is no longer open."""
    locked = APPEAL.lock(acting_user, appeal)
    if not _selectors.can_lead_appeal(acting_user, locked):
        raise AccessDenied(_("“%(a)s”由诉求督办到的联系领导办理。") % {"a": A(action).label})
    try:
        note = rules.check_leader_note(action, locked.status, note)
    except rules.RuleError as error:
        raise _refuse(error, code="invalid" if error.field else "not_allowed") from None
    if action == A.PRESS:
        whom = locked.department.name if locked.department_id else _("组织部（两新工委）交办")
        note = "；".join(p for p in (_("请%(d)s加快办理，按期办结") % {"d": whom}, note) if p)
    return APPEAL.record(locked, actor=acting_user, action=action, note=note, bump=False, save=False,
                         audit_after=False)


def appeal_comment(*, appeal: Appeal, note: str, acting_user) -> AppealEvent:
    """A leader's comment on an appeal escalated to it (领导意见)."""
    return _appeal_lead(appeal=appeal, action=A.COMMENT, note=note, acting_user=acting_user)


def appeal_instruct(*, appeal: Appeal, note: str, acting_user) -> AppealEvent:
    """A leader's instruction on an appeal escalated to it (领导批示), for the department to follow."""
    return _appeal_lead(appeal=appeal, action=A.INSTRUCT, note=note, acting_user=acting_user)


def appeal_press(*, appeal: Appeal, note: str = "", acting_user) -> AppealEvent:
    """A leader presses the department handling an appeal escalated to it (催办)."""
    return _appeal_lead(appeal=appeal, action=A.PRESS, note=note, acting_user=acting_user)


LEADER_SERVICES = {A.COMMENT: appeal_comment, A.INSTRUCT: appeal_instruct, A.PRESS: appeal_press}


# --- departments ---------------------------------------------------------------------------------

def _department_values(name: str, short_name: str, exclude_pk=None) -> tuple[str, str]:
    name, short_name = " ".join((name or "").split()), " ".join((short_name or "").split())
    errors: dict[str, list[str]] = {}
    if len(name) < 2:
        errors["name"] = [_("请填写部门名称。")]
    elif len(name) > 60:
        errors["name"] = [_("部门名称不能超过 60 字。")]
    elif Department.objects.filter(name=name).exclude(pk=exclude_pk).exists():
        errors["name"] = [_("已有名为“%(n)s”的部门。") % {"n": name}]
    if len(short_name) > 20:
        errors["short_name"] = [_("简称不能超过 20 字。")]
    if errors:
        raise DomainError(_("请更正标出的错误。"), errors=errors)
    return name, short_name or name[:20]


@transaction.atomic
def department_create(*, acting_user, name: str, short_name: str = "") -> Department:
    if not _may_change_departments(acting_user):
        raise AccessDenied(_("职能部门由组织部（两新工委）维护。"))
    name, short_name = _department_values(name, short_name)
    try:
        with transaction.atomic():
            department = Department.objects.create(name=name, short_name=short_name)
    except IntegrityError:  # the same name added at the same moment
        raise DomainError(_("已有名为“%(n)s”的部门。") % {"n": name}, field="name", code="duplicate") from None
    audit_record(actor=acting_user, action="appeal_department.create", obj=department, after=snapshot(department))
    return department


@transaction.atomic
def department_set_active(*, acting_user, department: Department, is_active: bool) -> Department:
    """Take a department out of use (its appeals keep it) or back into use."""
    if not _may_change_departments(acting_user):
        raise AccessDenied(_("职能部门由组织部（两新工委）维护。"))
    locked = Department.objects.select_for_update().get(pk=department.pk)
    before = snapshot(locked)
    locked.is_active = bool(is_active)
    locked.save(update_fields=["is_active"])
    audit_record(actor=acting_user, action="appeal_department.update", obj=locked, before=before,
                 after=snapshot(locked))
    return locked


@transaction.atomic
def department_set_members(*, acting_user, department: Department, members) -> Department:
    """Name who handles the department's appeals (承办人员): accounts that may be an appeal's assignee.
    An appeal already assigned keeps its assignee; from now on only members are offered and accepted."""
    if not _may_change_departments(acting_user):
        raise AccessDenied(_("职能部门由组织部（两新工委）维护。"))
    locked = Department.objects.select_for_update().get(pk=department.pk)
    members = list(members or [])
    allowed = set(_selectors.assignable_users().filter(pk__in=[u.pk for u in members]).values_list("pk", flat=True))
    refused = [display_name(u) for u in members if u.pk not in allowed]
    if refused:
        raise DomainError(_("承办人员须为组织部、镇街工作人员或联系领导的有效账号：%(u)s。") % {"u": series(refused)},
                          field="members")
    before = sorted(locked.members.values_list("pk", flat=True))
    locked.members.set(members)
    audit_record(actor=acting_user, action="appeal_department.members", obj=locked, before={"members": before},
                 after={"members": sorted(u.pk for u in members)})
    return locked


def _may_change_departments(user) -> bool:
    return can(user, Department, CHANGE)
