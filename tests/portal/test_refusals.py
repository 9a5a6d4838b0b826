"""A refused page says why: which right or which roles it needs, the role the person holds, and whom
to ask, in the language of the page; with no reason given, the 403 page keeps its general text."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import permission_denied

from portal.models import Enterprise, Person
from portal.refusals import roles_with
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def reason(response) -> str:
    page = response.content.decode()
    start = page.index('id="refusal-reason">') + len('id="refusal-reason">')
    return page[start:page.index("</p>", start)]


def refused(user, url, language="zh-hans"):
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 403
    assert 'data-status="403"' in response.content.decode()
    return reason(response)


def test_a_right_the_role_lacks_is_named_with_who_holds_it(world):
    assert refused(world.bank_officer, reverse("enterprise_create")) == (
        "市场主体的办理或修改权限仅限组织部工作人员；您当前的角色（银行客户经理）没有此权限。如需访问，请联系系统管理员。")


def test_a_page_for_some_roles_names_them(world):
    assert refused(world.bank_officer, reverse("finance:desk")) == (
        "此页面仅限服务站工作人员使用；您当前的角色（银行客户经理）不能打开。如需访问，请联系系统管理员。")


def test_the_reason_is_in_english_on_an_english_page(world):
    assert refused(world.bank_officer, reverse("finance:desk"), "en") == (
        "This page is for Service station staff only; your role (Bank account manager) cannot open it. "
        "To get access, ask the system administrator.")
    assert refused(world.bank_officer, reverse("enterprise_create"), "en") == (
        "The right to handle or change Enterprises is for Organization Department staff only; your role "
        "(Bank account manager) does not hold it. To get access, ask the system administrator.")


def test_an_account_with_no_role_is_told_to_ask_for_one(world):
    user = UserFactory(username="t_norole")
    assert refused(user, reverse("finance:desk")) == "您的账号尚未分配角色，不能打开此页面。请联系系统管理员为您分配角色。"


def test_with_no_reason_the_403_page_keeps_its_general_text(world):
    request = RequestFactory().get("/")
    request.user = world.bank_officer
    response = permission_denied(request, PermissionDenied())
    assert reason(response) == "您的角色不能打开此页面。如需办理，请联系组织部（两新工委）或系统管理员。"


def test_the_roles_holding_a_right_are_read_from_the_models_scopes():
    assert roles_with(Person, "unmask") == ["org_staff", "town_staff", "station_operator"]
    assert roles_with(Enterprise, "change") == ["org_staff"]
