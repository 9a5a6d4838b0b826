"""政企联系 in the browser, role by role: an appeal from the enterprise's first try to its satisfaction,
the 1–3 range of a county-level cadre's pairings and the coverage page, a cadre following its paired
enterprise, and a policy notice read by a key enterprise.

Reads that follow a click go through Playwright's `expect` (which retries) whenever the page before
the click holds the same element: a plain read could still see the old page."""

import pytest
from playwright.sync_api import expect

from liaison.models import Appeal, Department, Pairing, PolicyNotice, Visit
from tests.factories import TEST_PASSWORD
from tests.liaison.conftest import lworld  # noqa: F401  (fixture)
from tests.liaison.fixtures_appeals import DESCRIPTION_A, DESCRIPTION_B, TITLE_A, TITLE_B, create
from tests.liaison.fixtures_pairings import key_enterprise, pair

from .conftest import login, nav
from .user_steps import days, message, relogin, second_window, today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESOLUTION = "已协调合作银行上门对接，党建增信贷款已审批发放到位。"


def test_an_appeal_from_the_enterprise_to_its_satisfaction(lworld, live_server, page, browser):  # noqa: F811
    w = lworld
    dept = Department.objects.create(name="星湖市地方金融工作局", short_name="金融工作局")
    dept.members.add(w.cadre)  # the paired cadre handles the finance bureau's appeals; the town staffer does not
    other = Department.objects.create(name="星湖市税务局", short_name="税务局")
    other.members.add(w.town_staff)

    # the enterprise raises an appeal from the menu; a description too short is refused at its field
    login(page, live_server, "t_enterprise", TEST_PASSWORD)
    nav(page, "问题诉求")
    page.click("a.btn:has-text('提交诉求')")
    page.select_option("#id_category", "financing")
    page.fill("#id_title", TITLE_A)
    page.fill("#id_description", "资金紧张")
    page.click("#appeal-form button:has-text('提交')")
    assert page.inner_text("[data-field='description']") == "请具体描述遇到的问题和诉求（不少于 10 个字）。"
    assert page.input_value("#id_title") == TITLE_A  # what was typed is kept
    assert Appeal.objects.count() == 0
    page.fill("#id_description", DESCRIPTION_A)
    page.click("#appeal-form button:has-text('提交')")
    assert page.inner_text("#status") == "已受理"
    appeal = Appeal.objects.get()
    message(page, f"诉求已提交，编号 {appeal.number}，办理期限 {days(15).isoformat()}。")

    # while the enterprise's page stays open, the department hands it to the paired cadre
    with second_window(browser, live_server, "t_orgstaff") as staff:
        nav(staff, "问题诉求")
        staff.click(f"#appeals a:has-text('{appeal.number}')")
        # the assignee list follows the department: nobody before one is chosen, then its own people only
        assignee = staff.locator("#assign-form select[name=assignee]")
        visible = "s => [...s.options].filter(o => !o.hidden && o.value).map(o => o.value)"
        assert assignee.evaluate(visible) == []
        staff.select_option("#assign-form select[name=department]", str(other.pk))
        assert assignee.evaluate(visible) == [str(w.town_staff.pk)]
        staff.select_option("#assign-form select[name=department]", str(dept.pk))
        assert assignee.evaluate(visible) == [str(w.cadre.pk)]
        staff.select_option("#assign-form select[name=assignee]", str(w.cadre.pk))
        staff.fill("#assign-form input[name=deadline]", days(10).isoformat())
        staff.fill("#assign-form input[name=note]", "请一周内上门对接")
        staff.click("#assign-form button:has-text('交办')")
        expect(staff.locator("#status")).to_have_text("已交办")
        assert staff.inner_text("#department") == "星湖市地方金融工作局 · 承办人 t_cadre"
        assert staff.inner_text("#deadline") == days(10).isoformat()

    # the enterprise's page is stale now: withdrawing from it is refused with a clear message
    page.click("button[data-step='withdraw']")
    message(page, "该诉求已被他人处理（现为「已交办」），请刷新后重试。")
    assert page.inner_text("#status") == "已交办"
    expect(page.locator("button[data-step='withdraw']")).to_have_count(0)

    # the assignee starts it and resolves it; a resolution too short is refused at its field
    relogin(page, live_server, "t_cadre")
    nav(page, "问题诉求")
    page.click(f"#appeals a:has-text('{appeal.number}')")
    page.click("button[data-step='start']")
    expect(page.locator("#status")).to_have_text("办理中")
    page.fill("#resolve-form textarea[name=resolution]", "已办好")
    page.click("#resolve-form button:has-text('办结')")
    assert page.inner_text("[data-field='resolution']") == "请写明办理结果（不少于 10 个字）。"
    assert Appeal.objects.get().status == "in_progress"
    page.fill("#resolve-form textarea[name=resolution]", RESOLUTION)
    page.click("#resolve-form button:has-text('办结')")
    expect(page.locator("#status")).to_have_text("已办结")
    assert page.inner_text("#resolution") == RESOLUTION

    # the enterprise finds it waiting for its rating; two stars need a reason
    relogin(page, live_server, "t_enterprise")
    assert page.inner_text("#appeal-card-enterprise a[data-counter]:has-text('待您评价') [data-count]") == "1"
    page.click(f"#appeal-card-enterprise a:has-text('{appeal.number}')")
    page.check("#rate-form input[name=score][value='2']")
    page.click("#rate-form button:has-text('提交评价')")
    assert page.inner_text("[data-field='comment']") == "不满意时请写明原因（不少于 5 个字），以便改进。"
    assert page.is_checked("#rate-form input[name=score][value='2']")  # the stars given are kept
    assert Appeal.objects.get().satisfaction is None
    page.fill("#rate-form textarea[name=comment]", "办理周期偏长，希望提速")
    page.click("#rate-form button:has-text('提交评价')")
    message(page, "感谢您的评价。")
    assert page.get_attribute("#satisfaction", "data-score") == "2"
    expect(page.locator("#rate-form")).to_have_count(0)

    # every step is on the timeline, in order, with who took it
    history = page.locator("#appeal-history li")
    assert history.evaluate_all("items => items.map(i => i.dataset.action)") == [
        "submit", "assign", "start", "resolve", "rate"]
    assigned, resolved, rated = (history.nth(i).inner_text() for i in (1, 3, 4))
    assert "t_orgstaff" in assigned
    assert "请一周内上门对接" in assigned
    assert "t_cadre" in resolved
    assert RESOLUTION in resolved
    assert "2 星；办理周期偏长，希望提速" in rated
    appeal.refresh_from_db()
    assert (appeal.status, appeal.department_id, appeal.assignee_id, appeal.deadline, appeal.satisfaction) == (
        "resolved", dept.pk, w.cadre.pk, days(10), 2)


def test_staff_cannot_pair_a_fourth_enterprise_and_see_the_gaps(lworld, live_server, page):  # noqa: F811
    w = lworld
    pair(w.cadre_a_obj, key_enterprise(w, "东湖新材料有限公司"))
    pair(w.cadre_a_obj, key_enterprise(w, "东湖电子科技有限公司"))
    fourth = key_enterprise(w, "东湖智能装备有限公司")

    login(page, live_server, "t_orgstaff", TEST_PASSWORD)
    nav(page, "联系领导")
    page.click("#cadre-list a:has-text('吴国平')")
    assert page.inner_text("#cadre-counts [data-count='enterprise']") == "3"
    page.select_option("#pairing-form select[name=kind]", "enterprise")
    page.fill("#pairing-form input[name=enterprise]", fourth.uscc)
    page.click("#pairing-form button:has-text('建立结对')")
    assert page.inner_text("[data-field='enterprise']") == "每名县级领导干部联系重点民企不超过3家（现已联系3家）。"
    assert Pairing.objects.filter(cadre=w.cadre_a_obj, kind="enterprise", ended_on__isnull=True).count() == 3

    # the coverage page: 郑明远 has no entrepreneur (under), the refused enterprise has no leader
    nav(page, "结对覆盖")
    figures = {name: page.inner_text(f"[data-figure='{name}']")
               for name in ("county", "ok", "under", "over", "covered", "keys", "uncovered")}
    assert figures == {"county": "2", "ok": "1", "under": "1", "over": "0", "covered": "4", "keys": "5",
                       "uncovered": "1"}
    expect(page.locator("#under tbody tr td:first-child")).to_have_text(["郑明远"])
    uncovered = page.locator("#uncovered-list tbody tr")
    expect(uncovered).to_have_count(1)
    assert fourth.name in uncovered.inner_text()
    assert fourth.uscc in uncovered.inner_text()


def test_a_cadre_follows_its_paired_enterprise(lworld, live_server, page):  # noqa: F811
    w = lworld
    mine = create(w.enterprise_user, w.ent_a)
    theirs = create(w.enterprise_b_user, w.ent_b, category="land", title=TITLE_B, description=DESCRIPTION_B)

    login(page, live_server, "t_cadre", TEST_PASSWORD)
    nav(page, "我的联系企业")
    rows = page.locator("#my-enterprises tbody tr")
    expect(rows).to_have_count(1)
    assert rows.get_attribute("data-enterprise") == str(w.ent_a.pk)

    # a visit in the future is refused at its date; today's is recorded
    page.click("#my-enterprises a:has-text('记录走访')")
    assert page.input_value("#id_enterprise") == str(w.ent_a.pk)
    page.fill("#id_visited_on", days(1).isoformat())
    page.fill("#id_discussed", "了解企业扩产用工需求和融资难题")
    page.click("#visit-form button:has-text('保存')")
    assert page.inner_text("[data-field='visited_on']") == f"走访日期不能晚于今天（{today().isoformat()}）。"
    assert Visit.objects.count() == 0
    page.fill("#id_visited_on", today().isoformat())
    page.click("#visit-form button:has-text('保存')")
    message(page, "已记录走访")
    assert page.inner_text(f"#my-enterprises tr[data-enterprise='{w.ent_a.pk}'] [data-last-visit]") == \
        today().isoformat()
    assert Visit.objects.get().cadre == w.cadre_a_obj

    # its enterprise's page opens from the list
    page.click(f"#my-enterprises a:has-text('{w.ent_a.name}')")
    expect(page.locator("h1")).to_contain_text(w.ent_a.name)

    # the appeals of its paired enterprise, not another's
    nav(page, "问题诉求")
    expect(page.locator("#appeals tbody tr[data-appeal]")).to_have_count(1)
    assert page.get_attribute("#appeals tbody tr[data-appeal]", "data-appeal") == mine.number

    # another cadre's enterprise and its appeal are not found, not merely left out of the lists
    assert page.goto(f"{live_server.url}/enterprises/{w.ent_b.pk}/").status == 404
    assert page.goto(f"{live_server.url}/liaison/appeals/{theirs.pk}/").status == 404


def test_a_policy_notice_reaches_a_key_enterprise_and_is_read(lworld, live_server, page):  # noqa: F811
    title = "重点民企用电用气保障政策解读"
    login(page, live_server, "t_orgstaff", TEST_PASSWORD)
    nav(page, "政策通知")
    page.click("a:has-text('起草政策通知')")
    page.fill("#id_title", title)
    page.fill("#id_body", "迎峰度夏期间，重点民企可申请用电用气优先保障，请于本月底前报送需求。")
    page.select_option("#id_audience", "key")
    page.click("#notice-form button:has-text('保存')")
    page.click("#publish-form button:has-text('发布')")
    message(page, f"已发布：{title}")
    # two key enterprises (东湖精密, 西山食品) reached, none has read it yet
    expect(page.locator("#reached")).to_have_text("2")
    expect(page.locator("#read")).to_have_text("0")
    expect(page.locator("#rate")).to_have_text("0.0%")
    notice = PolicyNotice.objects.get()

    # the key enterprise finds it unread on its home page and opens it
    relogin(page, live_server, "t_enterprise")
    card = page.locator("#notice-card")
    assert card.locator("#unread-count").inner_text() == "1 条未读"
    item = card.locator("li", has_text=title)
    assert "新" in item.inner_text()
    item.locator("a").click()
    assert "阅读" in page.inner_text("#receipt")
    assert title in page.inner_text("h1")
    page.click("a.navbar-brand")
    assert "新" not in page.locator("#notice-card li", has_text=title).inner_text()
    expect(page.locator("#notice-card #unread-count")).to_have_count(0)

    # the department sees one reader of two
    relogin(page, live_server, "t_orgstaff")
    nav(page, "政策通知")
    row = page.locator(f"#notices tr[data-notice='{notice.pk}']")
    assert (row.locator("[data-read]").inner_text(), row.locator("[data-rate]").inner_text()) == ("1", "50.0%")
    row.locator(f"a:has-text('{title}')").click()
    assert (page.inner_text("#reached"), page.inner_text("#read"), page.inner_text("#rate")) == ("2", "1", "50.0%")
    expect(page.locator("#read-enterprises td:first-child")).to_have_text([lworld.ent_a.name])


def test_a_page_not_found_is_told_in_chinese_with_a_way_back(live_server, page):
    response = page.goto(f"{live_server.url}/liaison/no-such-page/")
    assert response.status == 404
    assert "页面不存在" in page.inner_text("body") or "未找到" in page.inner_text("body")
    expect(page.locator("a.navbar-brand")).to_have_count(1)
