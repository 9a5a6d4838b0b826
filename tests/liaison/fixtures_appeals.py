"""Fixtures of the appeals tests: `aworld` is `lworld` (two towns, two paired cadres) with two
departments and appeals made through the services:

- appeal_a: ent_a's own, online, received (financing);
- appeal_b: ent_b's own, online, received (land);
- resolved_a: ent_a's, raised by the station of town A, assigned, started and resolved;
- overdue_a: ent_a's, assigned, its deadline five days ago;
- attachment_a: a PDF on appeal_a.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from liaison.models import Appeal, Department
from liaison.services import appeals as services
from tests.documents import pdf_bytes

TITLE_A = "东湖精密流动资金周转困难申请增信贷款"
DESCRIPTION_A = "受原材料涨价影响，近三个月货款回笼慢，希望对接党建增信定额低息信用贷款。"
TITLE_B = "西山食品扩建厂房用地指标紧张"
DESCRIPTION_B = "订单增长后厂房满负荷，计划扩建十五亩，园区用地指标迟迟未能落实。"


def today():
    return timezone.localdate()


def pdf(name="营业执照.pdf", body=None):
    body = pdf_bytes() if body is None else body
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def create(user, enterprise=None, *, category="financing", title=TITLE_A, description=DESCRIPTION_A, **kwargs):
    return services.appeal_create(acting_user=user, enterprise=enterprise, category=category, title=title,
                                  description=description, **kwargs)


def step(appeal, action, user, **kwargs):
    """Take a step with the version as it is now in the database."""
    appeal.refresh_from_db()
    return services.appeal_transition(appeal=appeal, action=action, acting_user=user, version=appeal.version,
                                      **kwargs)


RESOLUTION = "已协调合作银行上门对接，贷款已审批发放到位。"


def resolve(w, appeal, *, assignee=None):
    step(appeal, "assign", w.org_staff, department=w.dept, assignee=assignee)
    step(appeal, "start", assignee or w.org_staff)
    return step(appeal, "resolve", assignee or w.org_staff, resolution=RESOLUTION)


@pytest.fixture
def aworld(lworld, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = lworld
    w.dept = Department.objects.create(name="星湖市地方金融工作局", short_name="金融工作局")
    w.dept2 = Department.objects.create(name="星湖市人力资源和社会保障局", short_name="人社局")
    # Who handles the finance bureau's appeals (an assignee belongs to its department); 人社局 has none.
    w.dept.members.add(w.cadre, w.cadre_b, w.town_staff, w.org_staff)
    w.appeal_a = create(w.enterprise_user, w.ent_a)
    w.appeal_b = create(w.enterprise_b_user, w.ent_b, category="land", title=TITLE_B, description=DESCRIPTION_B)
    w.resolved_a = resolve(w, create(w.station, w.ent_a, category="talent", title="急需引进数控高级技工",
                                     description="新上数控加工生产线，急需编程和设备维护方面的高级技工。"))
    overdue = create(w.org_staff, w.ent_a, category="permits", title="新建项目环评审批时间较长",
                     description="环评报告已提交一个多月，希望了解审批进度并加快办理。", channel="phone")
    w.overdue_a = step(overdue, "assign", w.org_staff, department=w.dept2)
    Appeal.objects.filter(pk=w.overdue_a.pk).update(deadline=today() - datetime.timedelta(days=5))
    w.overdue_a.refresh_from_db()
    w.attachment_a = services.appeal_attach(appeal=w.appeal_a, upload=pdf(), acting_user=w.enterprise_user)
    for name in ("appeal_a", "appeal_b", "resolved_a"):
        getattr(w, name).refresh_from_db()
    return w


def written():
    """What a refused service must leave as it was."""
    from liaison.models import AppealAttachment, AppealCounter, AppealEscalation, AppealEvent
    from portal.models import AuditLog

    return (list(Appeal.objects.order_by("pk").values_list(
                "pk", "status", "version", "department_id", "assignee_id", "deadline", "resolution", "satisfaction",
                "satisfaction_comment")),
            list(AppealCounter.objects.values_list("year", "last")), AppealEvent.objects.count(),
            AppealAttachment.objects.count(), AppealEscalation.objects.count(), AuditLog.objects.count(),
            list(Department.objects.order_by("pk").values_list("name", "is_active")))


def refused(call, code=None):
    from portal.errors import DomainError

    before = written()
    with pytest.raises(DomainError) as caught:
        call()
    assert written() == before
    if code is not None:
        assert caught.value.code == code, caught.value.code
    return caught.value


def denied(call):
    from portal.errors import AccessDenied

    error = refused(call)
    assert isinstance(error, AccessDenied), error
    return error
