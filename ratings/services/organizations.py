"""Party organizations, their coverage of enterprises and the instructors of work coverage."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from portal.access import CHANGE, can
from portal.audit import audit_record, snapshot
from portal.errors import AccessDenied, DomainError
from portal.models import Enterprise, Person

from ..models import (
    InstructorAssignment,
    OrgCoverage,
    PartyOrganization,
)

ORGANIZATION_FIELDS = ("name", "kind", "region", "superior", "secretary", "member_count", "founded_on",
                       "dissolved_on")


def _validate_organization(values: dict, instance: PartyOrganization | None) -> dict:
    errors: dict[str, list[str]] = {}
    if instance is None or "name" in values:
        values["name"] = (values.get("name") or "").strip()
        if not values["name"]:
            errors["name"] = [_("名称不能为空。")]
    if instance is None and not values.get("region"):
        errors["region"] = [_("请选择所在区划。")]
    superior = values.get("superior")
    if superior is not None and instance is not None:
        node, seen = superior, set()
        while node is not None and node.pk not in seen:
            if node.pk == instance.pk:
                errors["superior"] = [_("上级党组织不能是其自身或其下级。")]
                break
            seen.add(node.pk)
            node = node.superior
    founded = values.get("founded_on", instance.founded_on if instance else None)
    dissolved = values.get("dissolved_on", instance.dissolved_on if instance else None)
    if founded and dissolved and dissolved < founded:
        errors["dissolved_on"] = [_("撤销日期不能早于成立日期。")]
    if values.get("member_count") is not None and int(values["member_count"]) < 0:
        errors["member_count"] = [_("党员人数不能为负数。")]
    if errors:
        raise DomainError(_("请更正标出的错误。"), errors=errors)
    return values


@transaction.atomic
def organization_create(*, acting_user, **values) -> PartyOrganization:
    if not can(acting_user, PartyOrganization, CHANGE):
        raise AccessDenied()
    values = _validate_organization({k: v for k, v in values.items() if k in ORGANIZATION_FIELDS}, None)
    organization = PartyOrganization.objects.create(**values)
    audit_record(actor=acting_user, action="party_organization.create", obj=organization, after=snapshot(organization))
    return organization


@transaction.atomic
def organization_update(*, acting_user, organization: PartyOrganization, **values) -> PartyOrganization:
    locked = (PartyOrganization.objects.restrict(acting_user, CHANGE).select_for_update()
              .filter(pk=organization.pk).first())
    if locked is None:
        raise AccessDenied()
    before = snapshot(locked)
    values = _validate_organization({k: v for k, v in values.items() if k in ORGANIZATION_FIELDS}, locked)
    newly_dissolved = values.get("dissolved_on") is not None and locked.dissolved_on is None
    for key, value in values.items():
        setattr(locked, key, value)
    locked.save()
    if newly_dissolved:
        # A dissolved organization covers nobody from that day: its enterprises become uncovered
        # (and lose the rating it held for them) rather than keep a phantom organization.
        for coverage in locked.coverages.select_for_update().filter(ended_on__isnull=True):
            coverage.ended_on = max(coverage.started_on, locked.dissolved_on)
            coverage.save(update_fields=["ended_on"])
            audit_record(actor=acting_user, action="org_coverage.end", obj=coverage, after=snapshot(coverage),
                         note=_("党组织撤销"))
    after = snapshot(locked)
    if before != after:
        audit_record(actor=acting_user, action="party_organization.update", obj=locked, before=before, after=after)
    return locked


def _lock_enterprise(enterprise: Enterprise) -> Enterprise:
    # Coverage changes of one enterprise are serialized on the enterprise's row.
    return Enterprise.objects.select_for_update().get(pk=enterprise.pk)


@transaction.atomic
def coverage_start(*, acting_user, organization: PartyOrganization, enterprise: Enterprise,
                   started_on: datetime.date) -> OrgCoverage:
    organization = PartyOrganization.objects.restrict(acting_user, CHANGE).filter(pk=organization.pk).first()
    if organization is None:
        raise AccessDenied()
    _lock_enterprise(enterprise)
    if organization.dissolved_on is not None:
        raise DomainError(_("该党组织已撤销，不能再覆盖企业。"), field="organization")
    current = OrgCoverage.objects.filter(enterprise=enterprise, ended_on__isnull=True).select_related("organization").first()
    if current is not None:
        raise DomainError(
            _("该企业当前已由“%(o)s”覆盖，请先终止原覆盖。") % {"o": current.organization}, field="enterprise",
            code="already_covered",
        )
    last = OrgCoverage.objects.filter(enterprise=enterprise).order_by("-ended_on").first()
    if last is not None and last.ended_on >= started_on:
        raise DomainError(_("起始日期须晚于该企业上一段覆盖的终止日期 %(d)s。") % {"d": last.ended_on},
                          field="started_on")
    coverage = OrgCoverage.objects.create(organization=organization, enterprise=enterprise, started_on=started_on)
    audit_record(actor=acting_user, action="org_coverage.start", obj=coverage, after=snapshot(coverage))
    return coverage


@transaction.atomic
def coverage_end(*, acting_user, coverage: OrgCoverage, ended_on: datetime.date) -> OrgCoverage:
    if not PartyOrganization.objects.restrict(acting_user, CHANGE).filter(pk=coverage.organization_id).exists():
        raise AccessDenied()
    locked = OrgCoverage.objects.select_for_update().get(pk=coverage.pk)
    if locked.ended_on is not None:
        raise DomainError(_("该覆盖已于 %(d)s 终止。") % {"d": locked.ended_on}, code="stale")
    if ended_on < locked.started_on:
        raise DomainError(_("终止日期不能早于起始日期 %(d)s。") % {"d": locked.started_on}, field="ended_on")
    before = snapshot(locked)
    locked.ended_on = ended_on
    locked.save(update_fields=["ended_on"])
    audit_record(actor=acting_user, action="org_coverage.end", obj=locked, before=before, after=snapshot(locked))
    return locked


@transaction.atomic
def instructor_assign(*, acting_user, enterprise: Enterprise, instructor: Person,
                      started_on: datetime.date) -> InstructorAssignment:
    if not can(acting_user, PartyOrganization, CHANGE):
        raise AccessDenied()
    _lock_enterprise(enterprise)
    if OrgCoverage.objects.filter(enterprise=enterprise, ended_on__isnull=True).exists():
        raise DomainError(_("该企业已建立党组织，工作覆盖只针对尚无党组织的企业。"), field="enterprise")
    if InstructorAssignment.objects.filter(enterprise=enterprise, ended_on__isnull=True).exists():
        raise DomainError(_("该企业已有在岗的党建指导员。"), field="enterprise")
    assignment = InstructorAssignment.objects.create(instructor=instructor, enterprise=enterprise,
                                                     started_on=started_on)
    audit_record(actor=acting_user, action="instructor.assign", obj=assignment, after=snapshot(assignment))
    return assignment


@transaction.atomic
def instructor_end(*, acting_user, assignment: InstructorAssignment, ended_on: datetime.date) -> InstructorAssignment:
    if not can(acting_user, PartyOrganization, CHANGE):
        raise AccessDenied()
    locked = InstructorAssignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.ended_on is not None or ended_on < locked.started_on:
        raise DomainError(_("终止日期无效或该选派已终止。"), field="ended_on")
    before = snapshot(locked)
    locked.ended_on = ended_on
    locked.save(update_fields=["ended_on"])
    audit_record(actor=acting_user, action="instructor.end", obj=locked, before=before, after=snapshot(locked))
    return locked
