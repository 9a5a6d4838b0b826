"""The workflows' reference pages: every staff role reads them, an enterprise user is refused, and a page
shows the workflow's diagram, its states with whom each waits on, and its steps with who may take them."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from portal.navigation import menu_for, menu_tree
from tests.access import AccessCase, case_id, run_access_case, url_of, users
from workflow.docs import step_rows
from workflow.registry import all_workflows, workflow_get

pytestmark = pytest.mark.django_db

STAFF = ("org_staff", "town_staff", "station", "bank_officer", "insurer_officer", "cadre", "leader", "admin")
DECLARATION = {"why_no_other_scope": "a workflow's declaration: no record of anyone's on the page"}

ACCESS_CASES = [
    AccessCase("workflows:list", url_of("workflows:list"), right=users(*STAFF), wrong=users("enterprise_user"),
               **DECLARATION),
    AccessCase("workflows:detail", url_of("workflows:detail", key="loan"), right=users(*STAFF),
               wrong=users("enterprise_user"), **DECLARATION),
]


@pytest.mark.parametrize("case", ACCESS_CASES, ids=case_id)
def test_access(case, world):
    run_access_case(case, world)


def test_the_list_links_every_workflow(world, client):
    client.force_login(world.town_staff)
    page = client.get(reverse("workflows:list")).content.decode()
    for workflow in all_workflows():
        assert f'<a href="{reverse("workflows:detail", args=[workflow.key])}">{workflow.label}</a>' in page
    # each with the state its cases start in and those they end in
    assert "贷款申请</a></th><td>已提交</td><td>未获批准、已撤回、已结清</td>" in page


@pytest.mark.parametrize("key", ["loan", "benefit", "appeal", "rating"])
def test_a_workflows_page_draws_it_and_lists_its_states_and_steps(world, client, key):
    # given a staff member
    client.force_login(world.bank_officer)
    workflow = workflow_get(key)
    # when the workflow's page is opened
    response = client.get(reverse("workflows:detail", args=[key]))
    page = response.content.decode()
    # then the diagram is on it, with the workflow's ids, and no inline style
    assert response.status_code == 200
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="wf-diagram"') == 1
    assert f'id="wf-{key}-title"' in page
    assert " style=" not in page
    # and a row per state and per step, with whom the case waits on and who may take each step
    assert [row.code for row in response.context["states"]] == workflow.graph.states()
    assert len(response.context["steps"]) == len(workflow.graph.transitions)
    for who in workflow.waiting.values():
        assert f"<td>{who}</td>" in page
    for row in step_rows(workflow):
        assert f'{row.label} <span class="small text-muted font-monospace">{row.code}</span>' in page


def test_the_loan_page_names_the_roles_of_each_step(world, client):
    client.force_login(world.org_staff)
    page = client.get(reverse("workflows:detail", args=["loan"])).content.decode()
    assert "<td>金融服务站工作人员、企业用户</td>" in page  # who may withdraw
    assert "<td>银行客户经理</td>" in page  # who accepts and decides


def test_an_unknown_workflow_is_not_found(world, client):
    client.force_login(world.org_staff)
    assert client.get(reverse("workflows:detail", args=["no-such"])).status_code == 404


def test_staff_find_the_workflows_with_the_registry_and_an_enterprise_user_does_not(world):
    def registry_entries(user):
        return [str(c["label"]) for node in menu_tree(menu_for(user)) if node.get("group") == "registry"
                for c in node["children"]]

    assert registry_entries(world.leader)[-1] == "办理流程"
    assert "办理流程" in registry_entries(world.bank_officer)
    assert all("办理流程" not in str(node) for node in menu_tree(menu_for(world.enterprise_user)))


def test_the_page_is_in_english_with_the_language_cookie(world, client):
    # given a staff member who reads English
    client.force_login(world.org_staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # when the loan application's page is opened
    page = client.get(reverse("workflows:detail", args=["loan"])).content.decode()
    # then the page, the diagram and the tables are in English
    with translation.override("en"):
        label = str(workflow_get("loan").label)
    assert f"<h1 class=\"h4\">{label}</h1>" in page
    assert f"<title id=\"wf-loan-title\">{label}: states and steps</title>" in page
    assert ">Waiting on:" in page
    assert "等待" not in page
    assert "办理步骤" not in page


@pytest.mark.parametrize("key", ["loan", "benefit", "appeal", "rating"])
def test_every_word_of_a_workflows_page_is_english_in_english(world, client, key):
    # given a staff member who reads English (the page shows no stored data: every word is the portal's)
    client.force_login(world.leader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("workflows:detail", args=[key])).content.decode()
    main = page[page.index('<main id="main"'):page.index("</main>")]
    # then the page's main part, its diagram included, has no Chinese left
    assert not re.findall(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+", main)
