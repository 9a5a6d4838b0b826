"""Who hears about a step of a case, and what they read: the listener of workflow.signals.case_changed.

The signal carries only the workflow's key, the case's key and the step; each workflow's function here
loads the case and answers the messages to write (`Message`: who, which kind, a title and a body).
The texts are written from fields that hold no personal number (names of enterprises, banks and
programmes, case numbers, amounts, coded reasons), and `rules.scrub` stars out any that a typed-in
name or note might carry. A message links to the case's page only for a recipient who may open it
(`restrict(user, VIEW)`, as every page of the portal decides); for the others it has no link.

The person who took the step does not hear about it. Runs after the step committed (the layer sends
the signal on commit, `send_robust`), so nothing here can undo or fail the step."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_noop, override

from portal.access import VIEW
from portal.choices import Role
from portal.rules import yuan
from workflow.signals import case_changed

from . import services
from .choices import Kind

logger = logging.getLogger(__name__)


@dataclass
class Message:
    """Who hears what: the title and the body are the Chinese source texts (msgids), filled in with
    `params` when written and again, in the reader's language, when shown."""

    recipients: list
    kind: str
    title: str
    body: str = ""
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Route:
    model: str  # "finance.LoanApplication"
    url_name: str  # the case's page
    messages: Callable  # (case, action, from_status, to_status) -> list[Message]
    related: tuple[str, ...] = ()


# --- who is who ---------------------------------------------------------------------------------------

def _users(**assignment):
    """Active users holding a role assignment that matches `assignment` (role and scope fields)."""
    filters = {f"role_assignments__{k}": v for k, v in assignment.items()}
    return list(get_user_model().objects.filter(is_active=True, **filters).distinct().order_by("pk"))


def enterprise_users(enterprise_ids) -> list:
    ids = [i for i in ([enterprise_ids] if isinstance(enterprise_ids, int) else enterprise_ids) if i]
    return _users(role=Role.ENTERPRISE_USER, enterprise_id__in=ids) if ids else []


def station_operators(station_id) -> list:
    return _users(role=Role.STATION_OPERATOR, station_id=station_id) if station_id else []


def institution_officers(institution_id, role=Role.BANK_OFFICER) -> list:
    return _users(role=role, institution_id=institution_id) if institution_id else []


def org_staff() -> list:
    return _users(role=Role.ORG_STAFF)


def town_staff_over(region_code: str) -> list:
    """The town staff whose region holds `region_code` (a town's staff see the villages under it)."""
    RoleAssignment = apps.get_model("portal", "RoleAssignment")
    held = RoleAssignment.objects.filter(role=Role.TOWN_STAFF, user__is_active=True).select_related("region", "user")
    return sorted({a.user for a in held if a.region_id and region_code.startswith(a.region.prefix)},
                  key=lambda u: u.pk)


def _one(user) -> list:
    return [user] if user is not None else []


# --- the four workflows -----------------------------------------------------------------------------------

def loan_messages(app, action, from_status, to_status) -> list[Message]:
    applicant = [*enterprise_users(app.enterprise_id), *station_operators(app.station_id)]
    bank = institution_officers(app.bank_id)
    names = {"e": app.enterprise.name, "b": app.bank.short_name or app.bank.name, "n": app.pk, "a": yuan(app.amount)}
    if action == "submit":
        return [Message(bank, Kind.CASE_ASSIGNED, gettext_noop("新的贷款申请待受理"),
                        gettext_noop("%(e)s向%(b)s申请贷款 %(a)s 元（编号 %(n)s），请受理。"), names)]
    if action == "accept":
        return [Message(applicant, Kind.APPLICATION_ACCEPTED, gettext_noop("贷款申请已受理"),
                        gettext_noop("%(b)s已受理%(e)s的贷款申请（编号 %(n)s）。"), names)]
    if action == "approve":
        return [Message(applicant, Kind.APPLICATION_APPROVED, gettext_noop("贷款申请已获批准"),
                        gettext_noop("%(b)s已批准%(e)s的贷款申请（编号 %(n)s），批准金额 %(x)s 元。"),
                        {**names, "x": yuan(app.approved_amount)})]
    if action == "reject":
        return [Message(applicant, Kind.APPLICATION_REJECTED, gettext_noop("贷款申请未获批准"),
                        gettext_noop("%(b)s未批准%(e)s的贷款申请（编号 %(n)s），原因：%(r)s。"),
                        {**names, "r": app.get_reject_reason_display()})]
    if action == "return":
        return [Message(applicant, Kind.APPLICATION_RETURNED, gettext_noop("贷款申请被退回补充材料"),
                        gettext_noop("%(b)s退回了%(e)s的贷款申请（编号 %(n)s），请补充材料后重新提交。"), names)]
    if action == "disburse":
        return [Message(applicant, Kind.APPLICATION_DISBURSED, gettext_noop("贷款已放款"),
                        gettext_noop("%(b)s已为%(e)s的贷款申请（编号 %(n)s）放款。"), names)]
    if action == "withdraw":
        return [Message(bank, Kind.CASE_WITHDRAWN, gettext_noop("贷款申请已撤回"),
                        gettext_noop("%(e)s撤回了向%(b)s提出的贷款申请（编号 %(n)s）。"), names)]
    if action == "escalate":
        return [Message(bank, Kind.CASE_ESCALATED, gettext_noop("贷款申请超期督办"),
                        gettext_noop("%(e)s的贷款申请（编号 %(n)s）已超过办理时限，已提级督办。"), names)]
    return []


def benefit_messages(app, action, from_status, to_status) -> list[Message]:
    applicant = [*enterprise_users(app.enterprise_id), *station_operators(app.station_id), *_one(app.submitted_by)]
    staff = org_staff()
    names = {"e": app.enterprise.name, "i": app.item.name, "n": app.reference or f"#{app.pk}"}
    if action == "submit":
        return [Message(staff, Kind.CASE_ASSIGNED, gettext_noop("新的人才待遇申请待审核"),
                        gettext_noop("%(e)s提交了“%(i)s”的人才待遇申请（编号 %(n)s），请审核。"), names)]
    if action == "approve":
        if app.amount_approved:
            return [Message(applicant, Kind.APPLICATION_APPROVED, gettext_noop("人才待遇申请已批准"),
                            gettext_noop("“%(i)s”的人才待遇申请（编号 %(n)s）已批准，批准金额 %(x)s 元。"),
                            {**names, "x": yuan(app.amount_approved)})]
        return [Message(applicant, Kind.APPLICATION_APPROVED, gettext_noop("人才待遇申请已批准"),
                        gettext_noop("“%(i)s”的人才待遇申请（编号 %(n)s）已批准。"), names)]
    if action == "reject":
        return [Message(applicant, Kind.APPLICATION_REJECTED, gettext_noop("人才待遇申请未获批准"),
                        gettext_noop("“%(i)s”的人才待遇申请（编号 %(n)s）未获批准：%(r)s"), {**names, "r": app.decision_note})]
    if action == "return":
        return [Message(applicant, Kind.APPLICATION_RETURNED, gettext_noop("人才待遇申请被退回补充材料"),
                        gettext_noop("“%(i)s”的人才待遇申请（编号 %(n)s）被退回，请补充材料后重新提交。"), names)]
    if action == "withdraw":
        return [Message(staff, Kind.CASE_WITHDRAWN, gettext_noop("人才待遇申请已撤回"),
                        gettext_noop("%(e)s撤回了“%(i)s”的人才待遇申请（编号 %(n)s）。"), names)]
    if action == "escalate":
        return [Message(staff, Kind.CASE_ESCALATED, gettext_noop("人才待遇申请超期督办"),
                        gettext_noop("“%(i)s”的人才待遇申请（编号 %(n)s）已超过办理时限，已提级督办。"), names)]
    return []


def _appeal_filer(appeal) -> list:
    station = station_operators(appeal.station_id) if appeal.channel == "station" else []
    return [*enterprise_users(appeal.enterprise_id), *station, *_one(appeal.created_by)]


def _escalated_to(appeal) -> list:
    latest = appeal.escalations.order_by("-level", "-escalated_at").first()
    if latest is None:
        return []
    return [c.user for c in latest.cadres.select_related("user") if c.user_id]


def appeal_messages(appeal, action, from_status, to_status) -> list[Message]:
    names = {"n": appeal.number, "e": appeal.enterprise.name}
    handler = _one(appeal.assignee)
    if action == "submit":
        desk = town_staff_over(appeal.enterprise.region.code) or org_staff()
        return [Message(desk, Kind.CASE_ASSIGNED, gettext_noop("新的问题诉求待交办"),
                        gettext_noop("%(e)s反映的问题诉求（编号 %(n)s）已受理，请交办。"), names)]
    if action in ("assign", "reassign", "reopen"):
        to = handler or (list(appeal.department.members.filter(is_active=True)) if appeal.department_id else [])
        return [Message(to, Kind.CASE_ASSIGNED, gettext_noop("有问题诉求交您办理"),
                        gettext_noop("%(e)s反映的问题诉求（编号 %(n)s）已交您办理，办理期限 %(d)s。"),
                        {**names, "d": appeal.deadline.isoformat()})]
    if action in ("resolve", "dismiss"):
        title = gettext_noop("您反映的问题诉求已办结") if action == "resolve" else gettext_noop("您反映的问题诉求不予受理")
        return [Message(_appeal_filer(appeal), Kind.APPEAL_ANSWERED, title,
                        gettext_noop("问题诉求（编号 %(n)s）已有答复，请查看办理结果。"), names)]
    if action == "escalate":
        return [Message([*handler, *_escalated_to(appeal)], Kind.CASE_ESCALATED, gettext_noop("问题诉求超期督办"),
                        gettext_noop("%(e)s反映的问题诉求（编号 %(n)s）已超过办理期限，已提级督办。"), names)]
    if action == "withdraw":
        return [Message(handler, Kind.CASE_WITHDRAWN, gettext_noop("问题诉求已撤回"),
                        gettext_noop("%(e)s撤回了问题诉求（编号 %(n)s）。"), names)]
    return []


def _rating_enterprise_users(rating) -> list:
    OrgCoverage = apps.get_model("ratings", "OrgCoverage")
    covered = OrgCoverage.objects.filter(organization_id=rating.organization_id, ended_on__isnull=True)
    return enterprise_users(list(covered.values_list("enterprise_id", flat=True)))


def rating_messages(rating, action, from_status, to_status) -> list[Message]:
    org = rating.organization
    names = {"o": org.name, "y": rating.cycle.year}
    own = _rating_enterprise_users(rating)
    town = town_staff_over(org.region.code)
    if action == "submit":
        return [Message(town, Kind.CASE_ASSIGNED, gettext_noop("新的星级评定待初评"),
                        gettext_noop("%(o)s提交了%(y)s年度星级评定自评，请初评。"), names)]
    if action == "approve" and to_status == "dept":
        return [Message(org_staff(), Kind.CASE_ASSIGNED, gettext_noop("新的星级评定待复核"),
                        gettext_noop("%(o)s的%(y)s年度星级评定已通过镇街初评，请复核。"), names)]
    if action == "approve" and to_status == "notice":
        return [Message(own, Kind.RATING_DECIDED, gettext_noop("星级评定结果进入公示"),
                        gettext_noop("%(o)s的%(y)s年度星级评定已通过复核，进入公示。"), names)]
    if action == "return":
        to = own if to_status == "self" else town
        return [Message(to, Kind.RATING_RETURNED, gettext_noop("星级评定被退回"),
                        gettext_noop("%(o)s的%(y)s年度星级评定被退回，请按意见修改后重新提交。"), names)]
    if action == "reject":
        return [Message(own, Kind.RATING_DECIDED, gettext_noop("星级评定未通过"),
                        gettext_noop("%(o)s的%(y)s年度星级评定未通过。"), names)]
    if action == "objection":
        return [Message([*org_staff(), *town], Kind.OBJECTION_LODGED, gettext_noop("星级评定收到公示异议"),
                        gettext_noop("%(o)s的%(y)s年度星级评定在公示期间收到异议，请处理。"), names)]
    if action == "publish":
        return [Message(own, Kind.RATING_PUBLISHED, gettext_noop("星级评定结果已命名"),
                        gettext_noop("%(o)s的%(y)s年度星级评定已命名为%(s)s星。"), {**names, "s": rating.stars})]
    if action in ("downgrade", "revoke"):
        return [Message(own, Kind.RATING_DECIDED, gettext_noop("星级评定结果有变更"),
                        gettext_noop("%(o)s的%(y)s年度星级评定已被%(a)s。"),
                        {**names, "a": gettext_noop("降级") if action == "downgrade" else gettext_noop("撤销")})]
    if action == "escalate":
        holders = town if rating.status == "town" else org_staff()
        return [Message(holders, Kind.CASE_ESCALATED, gettext_noop("星级评定超期督办"),
                        gettext_noop("%(o)s的%(y)s年度星级评定已超过审核时限，已提级督办。"), names)]
    return []


# --- who holds a case now (the deadline reminder, the escalation) -----------------------------------------

def holders(workflow: str, case) -> list:
    """The people the case waits on in its state: the bank's officers for a loan being accepted or
    decided, the organization department for a benefit, the town or the department for a rating at
    their review, the assignee (or the desk) for an appeal; nobody where it waits on no one."""
    status = case.status
    if workflow == "loan":
        return institution_officers(case.bank_id) if status in ("submitted", "accepted") else []
    if workflow == "benefit":
        return org_staff() if status == "pending" else []
    if workflow == "rating":
        if status == "town":
            return town_staff_over(case.organization.region.code)
        return org_staff() if status == "dept" else []
    if workflow == "appeal":
        if status in ("assigned", "in_progress"):
            if case.assignee_id:
                return [case.assignee]
            return list(case.department.members.filter(is_active=True)) if case.department_id else []
        if status == "received":
            return town_staff_over(case.enterprise.region.code) or org_staff()
    return []


def _case_name(workflow: str, case) -> dict:
    if workflow == "loan":
        return {"c": gettext_noop("贷款申请"), "n": case.pk, "e": case.enterprise.name}
    if workflow == "benefit":
        return {"c": gettext_noop("人才待遇申请"), "n": case.reference or f"#{case.pk}", "e": case.enterprise.name}
    if workflow == "appeal":
        return {"c": gettext_noop("问题诉求"), "n": case.number, "e": case.enterprise.name}
    return {"c": gettext_noop("星级评定"), "n": case.pk, "e": case.organization.name}


def deadline_messages(workflow: str, case) -> list[Message]:
    return [Message(holders(workflow, case), Kind.DEADLINE_NEAR, gettext_noop("办理期限还剩两天"),
                    gettext_noop("%(e)s的%(c)s（编号 %(n)s）应于 %(d)s 前办结。"),
                    {**_case_name(workflow, case), "d": case.due_on.isoformat()})]


ROUTES: dict[str, Route] = {
    "loan": Route("finance.LoanApplication", "finance:application_detail", loan_messages,
                  ("enterprise", "bank")),
    "benefit": Route("talent.BenefitApplication", "talent:benefit_detail", benefit_messages,
                     ("enterprise", "item", "submitted_by")),
    "appeal": Route("liaison.Appeal", "liaison:appeal_detail", appeal_messages,
                    ("enterprise__region", "assignee", "created_by")),
    "rating": Route("ratings.Rating", "ratings:detail", rating_messages, ("organization__region", "cycle")),
}


def link_for(model, url: str, pk: int, user) -> str:
    """The case's page for a user who may open it; "" for one who may not."""
    return url if model.objects.restrict(user, VIEW).filter(pk=pk).exists() else ""


def _load(workflow: str, pk: int):
    route = ROUTES.get(workflow)
    if route is None:
        return None, None, None
    model = apps.get_model(route.model)
    return route, model, model.objects.select_related(*route.related).filter(pk=pk).first()


def notify_step(*, workflow: str, pk: int, action: str, from_status: str = "", to_status: str = "",
                actor_id: int | None = None, also: Iterable = ()) -> list:
    """Write the notifications one step of a case calls for (and tell `also` of it too); the rows written."""
    route, model, case = _load(workflow, pk)
    if case is None:
        return []

    def messages():
        found = route.messages(case, action, from_status, to_status)
        for message in found:
            message.recipients = [*message.recipients, *also]
        return found

    return _write(workflow, route, model, case, messages, actor_id)


def notify_deadline(*, workflow: str, pk: int) -> list:
    """Tell whoever holds the case that its due date is near; the rows written."""
    route, model, case = _load(workflow, pk)
    if case is None or getattr(case, "due_on", None) is None:
        return []
    return _write(workflow, route, model, case, lambda: deadline_messages(workflow, case), None)


def _write(workflow, route, model, case, make_messages, actor_id) -> list:
    pk = case.pk
    url = reverse(route.url_name, args=[pk])
    written = []
    # The values filled in (a coded reason's label) in the portal's language, as the stored texts are.
    with override("zh-hans"):
        messages = make_messages()
        for message in messages:
            message.params = {k: v if isinstance(v, int) else str(v) for k, v in message.params.items()}
    for message in messages:
        people = [u for u in _unique(message.recipients) if u.pk != actor_id]
        if not people:
            continue
        links = {u.pk: link_for(model, url, pk, u) for u in people}
        written += services.notification_create(
            recipients=people, kind=message.kind, title=message.title, body=message.body, params=message.params,
            url="", links=links, workflow=workflow, case_pk=pk)
    return written


def _unique(users: Iterable) -> list:
    seen, out = set(), []
    for user in users:
        if user is not None and user.pk not in seen:
            seen.add(user.pk)
            out.append(user)
    return out


def on_case_escalated(sender, *, workflow, pk, escalation_id=None, **kwargs):
    """A case overdue at a step was raised to the level above (workflow.escalation): its holders hear
    that it was escalated, and the people it was raised to (the escalation's recipients) that it
    landed with them."""
    try:
        also = []
        if escalation_id is not None:
            Escalation = apps.get_model("workflow", "Escalation")
            escalation = Escalation.objects.filter(pk=escalation_id).first()
            also = list(escalation.recipients.filter(is_active=True)) if escalation is not None else []
        notify_step(workflow=workflow, pk=pk, action="escalate", also=also)
    except Exception:
        logger.exception("escalation notifications for %s #%s not written", workflow, pk)


def _connect_escalations() -> None:
    from workflow import signals

    signal = getattr(signals, "case_escalated", None)
    if signal is not None:
        signal.connect(on_case_escalated, dispatch_uid="notifications.case_escalated")


_connect_escalations()


@receiver(case_changed, dispatch_uid="notifications.case_changed")
def on_case_changed(sender, *, workflow, pk, action, from_status="", to_status="", actor_id=None, **kwargs):
    try:
        notify_step(workflow=workflow, pk=pk, action=action, from_status=from_status, to_status=to_status,
                    actor_id=actor_id)
    except Exception:
        # The step is done and stays done; whoever should have heard of it finds it in the case's history.
        logger.exception("notifications for %s #%s %s not written", workflow, pk, action)

