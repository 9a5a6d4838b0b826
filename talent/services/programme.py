"""Programme records the organization department keeps: incubation bases, co-built projects, IP
service actions, order-based training sessions and 科创中国 registrations. Each write is atomic, checks
the right, validates every field at once and writes its audit row (with the enterprises it names)."""

from __future__ import annotations

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access import CHANGE, can
from portal.audit import audit_record, snapshot
from portal.errors import AccessDenied

from .. import rules
from ..choices import ProjectKind, ProjectStatus, RegistrationKind
from ..models import IncubationBase, InnovationProject, IPServiceAction, PlatformRegistration, TrainingSession
from .common import Errors, choice, text, with_enterprises

BASE_FIELDS = ("name", "city", "address", "opened_on", "partner", "note", "is_active")
PROJECT_FIELDS = ("name", "partner", "kind", "status", "signed_on", "landed_on", "base", "description")
IP_ACTION_FIELDS = ("held_on", "partner", "title", "patents", "consultations", "note")
TRAINING_FIELDS = ("school", "topic", "held_on", "trainees", "note")


def _not_future(errors: Errors, values: dict, field: str, label: str, *, required: bool = True) -> None:
    if field not in values:
        return
    day = values[field]
    if day is None:
        if required:
            errors.add(field, _("请填写%(l)s。") % {"l": label})
    elif day > timezone.localdate():
        errors.add(field, _("%(l)s不能晚于今天。") % {"l": label})


def _unique(errors: Errors, model, field: str, value, instance, message: str) -> None:
    if not value or field in errors:
        return
    clash = model.objects.filter(**{field: value})
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        errors.add(field, message)


@transaction.atomic
def _save(*, acting_user, model: type[models.Model], instance, values: dict, enterprises, action: str):
    """Create (instance None) or update a record under lock, set its enterprises, audit the change."""
    if instance is None:
        if not can(acting_user, model, CHANGE):
            raise AccessDenied()
        obj, before = model(**values), None
        obj.save()
    else:
        obj = model.objects.restrict(acting_user, CHANGE).select_for_update().filter(pk=instance.pk).first()
        if obj is None:
            raise AccessDenied()
        before = snapshot(obj)
        if hasattr(obj, "enterprises"):
            before = with_enterprises(before, obj.enterprises.all())
        for key, value in values.items():
            setattr(obj, key, value)
        obj.save()
    after = snapshot(obj)
    if hasattr(obj, "enterprises"):
        if enterprises is not None:
            obj.enterprises.set(enterprises)
        after = with_enterprises(after, obj.enterprises.all())
    if before != after:
        audit_record(actor=acting_user, action=f"talent.{action}.{'create' if instance is None else 'update'}",
                     obj=obj, before=before, after=after)
    return obj


def _pick(values: dict, fields) -> dict:
    return {k: v for k, v in values.items() if k in fields}


# --- incubation bases -----------------------------------------------------------------------------

def _validate_base(values: dict, instance=None) -> dict:
    errors = Errors()
    text(errors, values, "name", _("基地名称"), max_length=80)
    text(errors, values, "city", _("所在城市"), max_length=20)
    text(errors, values, "address", _("地址"), max_length=200, required=False)
    text(errors, values, "partner", _("合作单位"), max_length=100, required=False)
    text(errors, values, "note", _("说明"), max_length=300, required=False)
    _not_future(errors, values, "opened_on", _("设立日期"))
    _unique(errors, IncubationBase, "name", values.get("name"), instance,
            _("已有名为“%(n)s”的孵化基地。") % {"n": values.get("name")})
    errors.raise_if_any()
    return values


def base_save(*, acting_user, base: IncubationBase | None = None, **values) -> IncubationBase:
    values = _validate_base(_pick(values, BASE_FIELDS), base)
    return _save(acting_user=acting_user, model=IncubationBase, instance=base, values=values, enterprises=None,
                 action="base")


# --- co-built projects ----------------------------------------------------------------------------

def _validate_project(values: dict, instance=None) -> dict:
    errors = Errors()
    text(errors, values, "name", _("项目名称"), max_length=100)
    text(errors, values, "partner", _("合作方"), max_length=100)
    text(errors, values, "description", _("简介"), max_length=1000, required=False)
    choice(errors, values, "kind", _("类型"), ProjectKind)
    choice(errors, values, "status", _("进展"), ProjectStatus)
    _not_future(errors, values, "signed_on", _("签约日期"), required=False)
    status = values.get("status", getattr(instance, "status", None))
    landed_on = values["landed_on"] if "landed_on" in values else getattr(instance, "landed_on", None)
    if "status" not in errors:
        errors.check("landed_on", rules.check_project_landing, status, landed_on, timezone.localdate())
    signed_on = values["signed_on"] if "signed_on" in values else getattr(instance, "signed_on", None)
    if status == ProjectStatus.NEGOTIATING and signed_on is not None:
        errors.add("signed_on", _("洽谈中的项目尚未签约，签约日期请留空。"))
    if signed_on and landed_on and status == ProjectStatus.LANDED and landed_on < signed_on:
        errors.add("landed_on", _("落地日期不能早于签约日期。"))
    _unique(errors, InnovationProject, "name", values.get("name"), instance,
            _("已有名为“%(n)s”的项目。") % {"n": values.get("name")})
    errors.raise_if_any()
    return values


def project_save(*, acting_user, project: InnovationProject | None = None, enterprises=None,
                 **values) -> InnovationProject:
    values = _validate_project(_pick(values, PROJECT_FIELDS), project)
    return _save(acting_user=acting_user, model=InnovationProject, instance=project, values=values,
                 enterprises=enterprises, action="project")


# --- IP service actions ---------------------------------------------------------------------------

def _validate_ip_action(values: dict) -> dict:
    errors = Errors()
    text(errors, values, "partner", _("合作单位"), max_length=100)
    text(errors, values, "title", _("活动名称"), max_length=120)
    text(errors, values, "note", _("说明"), max_length=300, required=False)
    _not_future(errors, values, "held_on", _("日期"))
    for field, label in (("patents", _("专利服务件数")), ("consultations", _("咨询人次"))):
        if field in values:
            values[field] = errors.check(field, rules.check_count, values[field], label=label)
    errors.raise_if_any()
    return values


def ip_action_save(*, acting_user, action: IPServiceAction | None = None, enterprises=None,
                   **values) -> IPServiceAction:
    values = _validate_ip_action(_pick(values, IP_ACTION_FIELDS))
    return _save(acting_user=acting_user, model=IPServiceAction, instance=action, values=values,
                 enterprises=enterprises, action="ip_action")


# --- order-based training -------------------------------------------------------------------------

def _validate_training(values: dict, enterprises, instance=None) -> dict:
    errors = Errors()
    text(errors, values, "school", _("职业院校"), max_length=60)
    text(errors, values, "topic", _("培训主题"), max_length=120)
    text(errors, values, "note", _("说明"), max_length=300, required=False)
    _not_future(errors, values, "held_on", _("日期"))
    if "trainees" in values:
        values["trainees"] = errors.check("trainees", rules.check_count, values["trainees"], label=_("参训人数"),
                                          minimum=1)
    count = len(enterprises) if enterprises is not None else (instance.enterprises.count() if instance else 0)
    trainees = values.get("trainees", getattr(instance, "trainees", None))
    if trainees and count > trainees:
        # Training is ordered by enterprises for their own staff: each sends at least one trainee.
        errors.add("trainees", _("参训人数（%(t)d）少于参训企业数（%(e)d）。") % {"t": trainees, "e": count})
    errors.raise_if_any()
    return values


def training_session_save(*, acting_user, session: TrainingSession | None = None, enterprises=None,
                          **values) -> TrainingSession:
    values = _validate_training(_pick(values, TRAINING_FIELDS), enterprises, session)
    return _save(acting_user=acting_user, model=TrainingSession, instance=session, values=values,
                 enterprises=enterprises, action="training")


# --- 科创中国 registrations ------------------------------------------------------------------------

@transaction.atomic
def registration_create(*, acting_user, kind: str, registered_on, enterprise=None, count=1,
                        note: str = "") -> PlatformRegistration:
    if not can(acting_user, PlatformRegistration, CHANGE):
        raise AccessDenied()
    values = {"kind": kind, "registered_on": registered_on, "enterprise": enterprise, "count": count, "note": note}
    errors = Errors()
    choice(errors, values, "kind", _("入驻类型"), RegistrationKind)
    text(errors, values, "note", _("说明"), max_length=200, required=False)
    _not_future(errors, values, "registered_on", _("入驻日期"))
    if kind == RegistrationKind.ENTERPRISE:
        if enterprise is None:
            errors.add("enterprise", _("单位入驻须填写企业。"))
        elif PlatformRegistration.objects.filter(kind=kind, enterprise=enterprise).exists():
            errors.add("enterprise", _("“%(e)s”已入驻科创中国。") % {"e": enterprise.name})
        if str(count).strip() not in ("", "1"):
            errors.add("count", _("单位入驻每条记录为一户，户数应为 1。"))
        values["count"] = 1
    else:
        values["count"] = errors.check("count", rules.check_count, count, label=_("人数"), minimum=1)
    errors.raise_if_any()
    registration = PlatformRegistration.objects.create(**values)
    audit_record(actor=acting_user, action="talent.registration.create", obj=registration,
                 after=snapshot(registration))
    return registration
