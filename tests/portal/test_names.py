"""People are named family name first, no space (黄海涛), everywhere: the helper, the user model's own
names (the admin's greeting, exports), the admin's account list, and the audit list, where an entry
names the person and the role, not the account."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from portal.accounts import actor_label, display_name
from portal.audit import audit_record
from portal.choices import Role
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def named(user, last, first):
    user.last_name, user.first_name = last, first
    user.save(update_fields=["last_name", "first_name"])
    return user


@pytest.mark.parametrize(("last", "first", "expected"), [
    ("黄", "海涛", "黄海涛"),
    ("欧阳", "娜娜", "欧阳娜娜"),
    ("Zhang", "Wei", "Wei Zhang"),
    ("", "", "t_nameless"),
])
def test_a_user_is_named_family_name_first_with_no_space(last, first, expected):
    user = UserFactory(username="t_nameless", last_name=last, first_name=first)
    assert display_name(user) == expected
    assert user.get_full_name() == expected
    assert user.get_short_name() == expected


def test_an_actor_is_named_with_the_role_in_each_language(world):
    named(world.town_staff, "王", "晓燕")
    user = get_user_model().objects.get(pk=world.town_staff.pk)
    assert actor_label(user) == "王晓燕（镇街工作人员）"
    with translation.override("en"):
        assert actor_label(user) == "王晓燕 (Town staff)"
    assert actor_label(None, "公众") == "公众"
    assert actor_label(None, "system") == "系统"


def test_an_actor_with_two_roles_names_both(world):
    user = named(user_with_role("t_two", Role.ORG_STAFF), "周", "立新")
    from portal.models import RoleAssignment

    RoleAssignment.objects.create(user=user, role=Role.LEADER)
    assert actor_label(get_user_model().objects.get(pk=user.pk)) == "周立新（组织部工作人员、市领导）"


def test_the_audit_list_and_its_export_name_the_person_and_role(client, world):
    # given an audit entry made by a named organization-department staffer
    named(world.org_staff, "王", "晓燕")
    audit_record(actor=world.org_staff, action="person.update", obj=world.person_a, note="测试")
    client.force_login(world.admin)
    # when the administrator reads the audit list and exports it
    body = client.get(reverse("audit_list")).content.decode()
    csv = client.get(reverse("audit_list") + "?export=csv").content.decode("utf-8-sig")
    # then the entry names the person and the role; the account stays beside it for the record
    assert "王晓燕（组织部工作人员）" in body
    assert '<div class="small text-muted font-monospace">t_orgstaff</div>' in body
    assert "王晓燕（组织部工作人员）,t_orgstaff,person.update" in csv


def test_the_admin_account_list_shows_one_name_in_chinese_order(client, world):
    named(world.enterprise_user, "黄", "海涛")
    admin = get_user_model().objects.create_superuser("t_super", password="x-Demo-2026")  # noqa: S106
    client.force_login(admin)
    body = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert '<td class="field-person_name">黄海涛</td>' in body
    assert '<td class="field-roles">企业用户</td>' in body
    assert "海涛 黄" not in body


def test_the_report_list_and_its_export_name_who_asked_in_chinese_order(client, world):
    from reports.models import Report

    named(world.org_staff, "王", "晓燕")
    Report.objects.create(kind="export", params={}, key="t-names", title="市场主体导出", requested_by=world.org_staff)
    client.force_login(world.org_staff)
    body = client.get(reverse("reports:list")).content.decode()
    csv = client.get(reverse("reports:list") + "?export=csv").content.decode("utf-8-sig")
    assert "<td>王晓燕</td>" in body
    assert "市场主体导出,列表导出,排队中,王晓燕," in csv
    assert "晓燕 王" not in body + csv
