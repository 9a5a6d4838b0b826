"""Malformed input answers with a message, never a server error, and writes nothing."""

import pytest
from django.urls import reverse

from portal.models import AuditLog, Enterprise, Person


@pytest.mark.parametrize(
    "query",
    [{"region": "abc"}, {"region": "999999"}, {"is_key": "maybe"}, {"kind": "bank"}, {"page": "x"},
     {"page": "99999"}, {"q": "\x00"}, {"industry": "Z"}],
)
def test_enterprise_list_with_malformed_filters_does_not_fail(world, client, query):
    client.force_login(world.org_staff)
    response = client.get(reverse("enterprise_list"), query)
    assert response.status_code in (200, 404)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("registered_capital", "abc", "输入一个数字。"),
        ("registered_capital", "-5", "确保该值大于或等于0。"),
        ("registered_capital", "1" * 20, "确认总共不超过 16 个数字."),
        ("employees", "-1", "确保该值大于或等于0。"),
        ("founded_on", "2019-02-30", "输入一个有效的日期。"),
        ("region", "0", "选择一个有效的选项： 该选择不在可用的选项中。"),
        ("legal_representative", "999999", "所选人员不存在或您无权查看，请重新搜索选择。"),
    ],
)
def test_enterprise_form_refuses_malformed_values_at_their_field(world, client, field, value, message):
    client.force_login(world.org_staff)
    data = {"uscc": "91110108551385082Q", "name": "某公司", "kind": "private", "region": world.village_a.pk,
            "employees": 1, "registered_capital": "1.00"}
    data[field] = value
    response = client.post(reverse("enterprise_create"), data)
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert not Enterprise.objects.filter(name="某公司").exists()
    assert not AuditLog.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id_number", "11010519491231002", "身份证号应为 18 位，当前为 17 位。"),
        ("mobile", "0281234567", "手机号应为以 1 开头的 11 位数字。"),
        ("name", "", "该字段是必填项。"),
    ],
)
def test_person_form_refuses_malformed_values_at_their_field(world, client, field, value, message):
    client.force_login(world.org_staff)
    data = {"name": "赵六", "id_number": "", "mobile": ""}
    data[field] = value
    before = Person.objects.count()
    response = client.post(reverse("person_create"), data)
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert Person.objects.count() == before
