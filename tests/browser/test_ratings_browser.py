"""The rating workflow in the browser, role by role: the enterprise assesses itself, the town and the
department review, the public objects during the notice, the department answers the objection."""

import pytest
from playwright.sync_api import expect

from ratings.choices import ObjectionStatus, RatingStatus
from ratings.models import Rating
from tests.factories import TEST_PASSWORD
from tests.ratings.conftest import cycle, org_a, org_b, rubric, rworld  # noqa: F401  (fixtures)

from .conftest import login, nav, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logout(page):
    sign_out(page)


def fill_sheet(page, a1, a2="28", b1="18"):
    page.fill("[name='points_A.1']", a1)
    page.fill("[name='points_A.2']", a2)
    page.fill("[name='points_B.1']", b1)


def test_a_rating_from_self_assessment_to_public_notice(world, cycle, org_a, live_server, page):  # noqa: F811
    # the enterprise starts its self-assessment from its own page
    login(page, live_server, "t_enterprise", TEST_PASSWORD)
    nav(page, "我的星级")
    page.click("button:has-text('开始自评')")
    # a score over the item's maximum is refused at that item, and nothing moves on
    fill_sheet(page, "55")
    page.click("button:has-text('提交自评')")
    assert page.inner_text("[data-field='points_A.1']") == "得分 55 超过该项满分 50 分。"
    fill_sheet(page, "45")
    page.click("button:has-text('提交自评')")
    assert "待镇街初评" in page.inner_text("main")
    logout(page)

    # the town finds it in its queue, sees the self scores prefilled, lowers one item and approves
    login(page, live_server, "t_townstaff", TEST_PASSWORD)
    nav(page, "星级评定")
    page.click("text=进入审核队列 >> nth=0")
    page.click(f"text={org_a.name}")
    page.click("text=办理本环节")
    assert page.input_value("[name='points_A.1']") == "45.0"
    page.fill("[name='points_A.1']", "38")
    page.fill("[name='note_A.1']", "书记培训记录不全")
    # a deduction without its note is refused at that note, and the summary at the top leads to it
    page.click("button:has-text('审核通过')")
    assert page.inner_text("[data-field='note_A.2']") == "本项扣了 2 分，请写明扣分说明。"
    expect(page.locator("[data-error-summary]")).to_be_focused()
    page.click("[data-error-summary] a[href='#id_note_A.2']")
    assert page.evaluate("document.activeElement.name") == "note_A.2"
    page.fill("[name='note_A.2']", "换届推迟两个月")
    page.fill("[name='note_B.1']", "公益活动偏少")
    page.click("button:has-text('审核通过')")
    assert "待组织部复核" in page.inner_text("main")
    assert page.inner_text("[data-stage='town'][data-item='A.1']").startswith("38.0")
    logout(page)

    # the department confirms: four stars (84 points) go on public notice
    login(page, live_server, "t_orgstaff", TEST_PASSWORD)
    page.goto(f"{live_server.url}/ratings/queue/dept/")
    page.click(f"text={org_a.name}")
    page.click("text=办理本环节")
    page.click("button:has-text('审核通过')")
    assert "公示中" in page.inner_text("main")
    logout(page)
    rating = Rating.objects.get(organization=org_a)
    assert (rating.status, str(rating.score), rating.stars) == (RatingStatus.NOTICE, "84.0", 4)

    # anyone, without logging in, sees it on the public notice and objects
    page.goto(f"{live_server.url}/notice/")
    row = page.locator("#notice-table tbody tr", has_text=org_a.name)
    assert world.ent_a.name in row.inner_text()
    row.locator("text=提出异议").click()
    page.click("button:has-text('提交异议')")
    assert page.inner_text("[data-field='name']") == "请填写姓名。"
    page.fill("#id_name", "张三")
    page.fill("#id_contact", "13800001111")
    page.fill("#id_reason", "该企业今年上半年发生过欠薪纠纷，请核实。")
    page.click("button:has-text('提交异议')")
    assert "您的异议已收到" in page.inner_text("main")

    # the department answers the objection from the rating's page
    login(page, live_server, "t_orgstaff", TEST_PASSWORD)
    page.goto(f"{live_server.url}/ratings/{rating.pk}/")
    assert "该企业今年上半年发生过欠薪纠纷" in page.inner_text("#objections")
    page.select_option("#objections select[name=decision]", "dismissed")
    page.fill("#objections input[name=resolution]", "经核实，纠纷已调解完毕，异议不成立。")
    page.click("#objections button:has-text('提交')")
    assert "异议已处理" in page.inner_text("main")
    assert rating.objections.get().status == ObjectionStatus.DISMISSED


def test_staff_publish_after_an_objection_and_revoke_at_once(rworld, live_server, page):  # noqa: F811
    w = rworld
    login(page, live_server, "t_orgstaff", TEST_PASSWORD)
    # the rating held by an objection is not offered for publication until the objection is answered
    page.goto(f"{live_server.url}/ratings/publish/")
    assert w.org_n.name not in page.inner_text("main")
    page.goto(f"{live_server.url}/ratings/{w.rating_n.pk}/")
    page.select_option("#objections select[name=decision]", "dismissed")
    page.fill("#objections input[name=resolution]", "经核实，异议不成立。")
    page.click("#objections button:has-text('提交')")
    page.goto(f"{live_server.url}/ratings/publish/")
    page.check(f"input[name=rating][value='{w.rating_n.pk}']")
    page.click("button:has-text('命名所选')")
    assert "已命名 1 条评定。" in page.inner_text("main")
    # a published rating is revoked with a reason, at once
    page.goto(f"{live_server.url}/ratings/{w.rating_a.pk}/")
    page.fill("#revoke-form textarea[name=reason]", "企业发生重大安全生产事故，一票否决")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#revoke-form button:has-text('撤销星级')")
    assert "已撤销该星级，即时生效。" in page.inner_text("main")
    logout(page)
    # the enterprise sees it the same moment
    login(page, live_server, "t_enterprise", TEST_PASSWORD)
    page.goto(f"{live_server.url}/ratings/mine/")
    assert page.inner_text("#standing") == "星级已被撤销"
