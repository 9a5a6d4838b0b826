"""Outreach pages: who reaches each one (every URL of the part), and what each shows and does with
good and bad input."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liaison.models import CareActivity, Consultation, MentoringPair, NoticeReceipt, PolicyNotice
from portal.models import AuditLog
from tests.access import AccessCase, case_id, run_access_case, url_of, users

from .fixtures_outreach import LAWYER_MOBILE, NOT_STAFF, D, days, outreach_world, written  # noqa: F401

pytestmark = pytest.mark.django_db

READERS = ("org_staff", "leader", "town_staff", "station", "enterprise_user")
NOT_ORG = ("leader", "town_staff", "station", "enterprise_user", *NOT_STAFF)
OTHER_SCOPE = ("town_staff_b", "station_b_user", "enterprise_b_user")
CITY_CENTRE = "the city's legal service centre serves every enterprise: all who bring it consultations see its lawyers"

ACCESS_CASES = [
    # legal service centre
    AccessCase("liaison:legal_overview", url_of("liaison:legal_overview"), right=users(*READERS),
               wrong=users(*NOT_STAFF), marker=lambda w: "陈律明", why_no_other_scope=CITY_CENTRE),
    AccessCase("liaison:lawyer_list", url_of("liaison:lawyer_list"), right=users(*READERS), wrong=users(*NOT_STAFF),
               marker=lambda w: "138****5678", why_no_other_scope=CITY_CENTRE),
    AccessCase("liaison:lawyer_create", url_of("liaison:lawyer_create"), right=users("org_staff"),
               wrong=users(*NOT_ORG)),
    AccessCase("liaison:lawyer_create", url_of("liaison:lawyer_create"), method="post", ok=(302,),
               data=lambda w: {"name": "周律新", "law_firm": "星湖众诚律师事务所", "mobile": "13900001111",
                               "resident_since": "2026-01-01", "is_active": "on"},
               right=users("org_staff"), wrong=users(*NOT_ORG)),
    AccessCase("liaison:lawyer_detail", url_of("liaison:lawyer_detail", "lawyer.pk"), right=users(*READERS),
               wrong=users(*NOT_STAFF), marker=lambda w: "星湖正衡律师事务所", why_no_other_scope=CITY_CENTRE),
    AccessCase("liaison:lawyer_update", url_of("liaison:lawyer_update", "lawyer.pk"), right=users("org_staff"),
               wrong=users(*NOT_ORG)),
    AccessCase("liaison:lawyer_update", url_of("liaison:lawyer_update", "lawyer.pk"), method="post", ok=(302,),
               data=lambda w: {"name": w.lawyer.name, "law_firm": "星湖正衡律师事务所", "resident_since": "2024-01-01",
                               "is_active": "on"},
               right=users("org_staff"), wrong=users(*NOT_ORG)),
    AccessCase("liaison:lawyer_unmask", url_of("liaison:lawyer_unmask", "lawyer.pk"), method="post",
               right=users("org_staff", "station"), wrong=users("leader", "town_staff", "enterprise_user", *NOT_STAFF),
               marker=lambda w: LAWYER_MOBILE,
               why_no_other_scope="stations of every area arrange consultations with the centre's lawyers by phone"),
    AccessCase("liaison:consultation_list", url_of("liaison:consultation_list"), right=users(*READERS),
               wrong=users(*NOT_STAFF), other_scope=users(*OTHER_SCOPE), other_status=(200,),
               marker=lambda w: "东湖货款拖欠催收"),
    AccessCase("liaison:consultation_create", url_of("liaison:consultation_create"),
               right=users("org_staff", "station"),
               wrong=users("leader", "town_staff", "enterprise_user", *NOT_STAFF),
               why_no_other_scope="a blank form: the enterprise it names is checked on submission (below)"),
    AccessCase("liaison:consultation_create", url_of("liaison:consultation_create"), method="post", ok=(302,),
               data=lambda w: {"enterprise": w.ent_a.uscc, "topic": "劳动合同解除", "category": "labour",
                               "lawyer": w.lawyer.pk, "consulted_on": days(-1).isoformat(), "channel": "onsite"},
               right=users("org_staff", "station"), wrong=users("leader", "town_staff", "enterprise_user", *NOT_STAFF),
               other_scope=users("station_b_user"), other_status=(400,)),
    AccessCase("liaison:consultation_detail", url_of("liaison:consultation_detail", "cons_a.pk"),
               right=users(*READERS), wrong=users(*NOT_STAFF), other_scope=users(*OTHER_SCOPE),
               marker=lambda w: "东湖货款拖欠催收"),
    AccessCase("liaison:consultation_answer", url_of("liaison:consultation_answer", "cons_a.pk"), method="post",
               data=lambda w: {"outcome": "建议先发律师函催告。"}, ok=(302,), right=users("station", "org_staff"),
               wrong=users("leader", "town_staff", "enterprise_user", *NOT_STAFF), other_scope=users("station_b_user")),
    # policy notices
    AccessCase("liaison:notice_list", url_of("liaison:notice_list"), right=users(*READERS), wrong=users(*NOT_STAFF),
               other_scope=users(*OTHER_SCOPE), other_status=(200,), marker=lambda w: "东湖镇惠企政策宣讲"),
    AccessCase("liaison:notice_create", url_of("liaison:notice_create"), right=users("org_staff"),
               wrong=users(*NOT_ORG)),
    AccessCase("liaison:notice_create", url_of("liaison:notice_create"), method="post", ok=(302,),
               data=lambda w: {"title": "惠企政策汇编", "body": "正文", "audience": "all"},
               right=users("org_staff"), wrong=users(*NOT_ORG)),
    AccessCase("liaison:notice_detail", url_of("liaison:notice_detail", "notice_town_a.pk"), right=users(*READERS),
               wrong=users(*NOT_STAFF), other_scope=users(*OTHER_SCOPE), marker=lambda w: "东湖镇宣讲安排"),
    AccessCase("liaison:notice_update", url_of("liaison:notice_update", "notice_draft.pk"), right=users("org_staff"),
               wrong=users(*NOT_ORG), marker=lambda w: "草稿正文"),
    AccessCase("liaison:notice_update", url_of("liaison:notice_update", "notice_draft.pk"), method="post", ok=(302,),
               data=lambda w: {"title": "改过的标题", "body": "草稿正文", "audience": "all"},
               right=users("org_staff"), wrong=users(*NOT_ORG)),
    AccessCase("liaison:notice_publish", url_of("liaison:notice_publish", "notice_draft.pk"), method="post",
               ok=(302,), right=users("org_staff"), wrong=users(*NOT_ORG)),
    AccessCase("liaison:notice_withdraw", url_of("liaison:notice_withdraw", "notice_key.pk"), method="post",
               data=lambda w: {"reason": "政策调整"}, ok=(302,), right=users("org_staff"), wrong=users(*NOT_ORG)),
    # care activities
    AccessCase("liaison:care_list", url_of("liaison:care_list"), right=users("org_staff", "leader", "town_staff",
                                                                              "enterprise_user"),
               wrong=users("station", *NOT_STAFF), other_scope=users("town_staff_b", "enterprise_b_user"),
               other_status=(200,), marker=lambda w: "东湖镇夏送清凉"),
    AccessCase("liaison:care_create", url_of("liaison:care_create"), right=users("org_staff", "town_staff"),
               wrong=users("leader", "station", "enterprise_user", *NOT_STAFF),
               why_no_other_scope="a blank form: the enterprises it names are checked on submission (below)"),
    AccessCase("liaison:care_create", url_of("liaison:care_create"), method="post", ok=(302,),
               data=lambda w: {"kind": "summer", "title": "东湖镇送清凉", "held_on": "2025-08-01", "organizer": "东湖镇党委",
                               "enterprise_codes": w.ent_a.uscc, "beneficiaries": "30"},
               right=users("org_staff", "town_staff"), wrong=users("leader", "station", "enterprise_user", *NOT_STAFF),
               other_scope=users("town_staff_b"), other_status=(400,)),
    AccessCase("liaison:care_detail", url_of("liaison:care_detail", "care_a.pk"),
               right=users("org_staff", "leader", "town_staff", "enterprise_user"), wrong=users("station", *NOT_STAFF),
               other_scope=users("town_staff_b", "enterprise_b_user"), marker=lambda w: "东湖镇夏送清凉"),
    # mentoring
    AccessCase("liaison:mentoring_list", url_of("liaison:mentoring_list"), right=users("org_staff", "leader",
                                                                                        "town_staff"),
               wrong=users("station", "enterprise_user", *NOT_STAFF), other_scope=users("town_staff_b"),
               other_status=(200,), marker=lambda w: "李青东"),
    AccessCase("liaison:mentoring_create", url_of("liaison:mentoring_create"), right=users("org_staff"),
               wrong=users(*NOT_ORG)),
    AccessCase("liaison:mentoring_create", url_of("liaison:mentoring_create"), method="post", ok=(302,),
               data=lambda w: {"mentor_kind": "retired_cadre", "mentor_name": "许国良", "mentee": w.mentee_b.pk,
                               "started_on": "2025-06-01", "focus": "市场开拓"},
               right=users("org_staff"), wrong=users(*NOT_ORG)),
    AccessCase("liaison:mentoring_detail", url_of("liaison:mentoring_detail", "pair_a.pk"),
               right=users("org_staff", "leader", "town_staff"), wrong=users("station", "enterprise_user", *NOT_STAFF),
               other_scope=users("town_staff_b"), marker=lambda w: "参观导师企业生产线"),
    AccessCase("liaison:mentoring_session_add", url_of("liaison:mentoring_session_add", "pair_a.pk"), method="post",
               data=lambda w: {"held_on": "2025-05-06", "topic": "研讨企业发展规划", "attendees": "4"}, ok=(302,),
               right=users("org_staff"), wrong=users(*NOT_ORG)),
    AccessCase("liaison:mentoring_end", url_of("liaison:mentoring_end", "pair_a.pk"), method="post",
               data=lambda w: {"ended_on": "2025-12-31"}, ok=(302,), right=users("org_staff"), wrong=users(*NOT_ORG)),
]


@pytest.mark.parametrize("case", ACCESS_CASES, ids=case_id)
def test_access(case, oworld):
    run_access_case(case, oworld)


# --- the legal service centre ------------------------------------------------------------------

def test_the_overview_counts_this_years_consultations_by_category_and_month(client, oworld):
    client.force_login(oworld.org_staff)
    body = client.get(reverse("liaison:legal_overview")).content.decode()
    this_year = [c for c in (oworld.cons_a, oworld.cons_b, oworld.cons_park) if c.consulted_on.year == days(0).year]
    assert f'id="year-total">{len(this_year)}<' in body
    assert 'id="open-count">2<' in body
    assert 'id="on-duty-count">1<' in body  # 陈律明; 韩退之's residency ended in 2023
    assert "韩退之" not in body
    contract = sum(c.category == "contract" for c in this_year)
    assert f'<tr data-category="contract"><td>合同纠纷</td><td class="text-end">{contract}</td></tr>' in body
    # a town sees only its own enterprises' consultations in the figures
    client.force_login(oworld.town_staff_b)
    body = client.get(reverse("liaison:legal_overview")).content.decode()
    assert 'id="open-count">0<' in body


def test_the_lawyer_list_counts_consultations_the_viewer_sees(client, oworld):
    client.force_login(oworld.org_staff)
    body = client.get(reverse("liaison:lawyer_list")).content.decode()
    assert f'<tr data-lawyer="{oworld.lawyer.pk}">' in body
    assert '<td class="text-end" data-total>3</td>' in body
    client.force_login(oworld.enterprise_user)
    body = client.get(reverse("liaison:lawyer_list")).content.decode()
    assert '<td class="text-end" data-total>1</td>' in body  # its own consultation only
    assert LAWYER_MOBILE not in body


def test_unmasking_a_lawyers_mobile_is_audited(client, oworld):
    client.force_login(oworld.station)
    body = client.post(reverse("liaison:lawyer_unmask", args=[oworld.lawyer.pk])).content.decode()
    assert f'id="mobile">{LAWYER_MOBILE}<' in body
    assert AuditLog.objects.filter(action="lawyer.unmask", actor=oworld.station,
                                   object_id=str(oworld.lawyer.pk)).count() == 1


def test_a_bad_lawyer_form_answers_at_its_fields(client, oworld):
    client.force_login(oworld.org_staff)
    before = written()
    response = client.post(reverse("liaison:lawyer_create"), {
        "name": "新律师", "law_firm": "星湖众诚律师事务所", "mobile": "12345", "resident_since": "2026-01-01",
        "resident_until": "2025-01-01"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-field="mobile">手机号应为以 1 开头的 11 位数字。' in body
    assert 'data-field="resident_until">常驻截止日期不能早于起始日期 2026-01-01。' in body
    assert written() == before


def test_a_station_records_a_consultation_for_its_area_only(client, oworld):
    client.force_login(oworld.station)
    data = {"enterprise": oworld.ent_b.uscc, "topic": "劳动合同解除", "category": "labour", "lawyer": oworld.lawyer.pk,
            "consulted_on": days(-1).isoformat(), "channel": "onsite"}
    before = written()
    response = client.post(reverse("liaison:consultation_create"), data)
    assert response.status_code == 400
    assert f'data-field="enterprise">没有找到信用代码为 {oworld.ent_b.uscc} 的企业。' in response.content.decode()
    assert written() == before
    response = client.post(reverse("liaison:consultation_create"), {**data, "enterprise": oworld.ent_a.uscc})
    assert response.status_code == 302
    consultation = Consultation.objects.get(topic="劳动合同解除")
    assert (consultation.enterprise, consultation.station, consultation.recorded_by, consultation.status) == (
        oworld.ent_a, oworld.station_a, oworld.station, "open")
    assert AuditLog.objects.filter(action="consultation.create", object_id=str(consultation.pk)).count() == 1


def test_a_bad_consultation_answers_at_every_field(client, oworld):
    client.force_login(oworld.org_staff)
    before = written()
    data = {"enterprise": oworld.ent_b.uscc, "topic": "股权质押", "category": "", "lawyer": oworld.lawyer_old.pk,
            "consulted_on": days(1).isoformat(), "channel": ""}
    body = client.post(reverse("liaison:consultation_create"), data).content.decode()
    assert 'data-field="category">请选择咨询类别。' in body
    assert 'data-field="channel">请选择咨询方式。' in body
    assert f'data-field="consulted_on">咨询日期不能晚于今天（{days(0).isoformat()}）。' in body
    data.update(category="financing", channel="phone", consulted_on=days(-1).isoformat())
    body = client.post(reverse("liaison:consultation_create"), data).content.decode()
    assert 'data-field="lawyer">该律师的常驻期已于 2023-12-31 结束。' in body
    assert written() == before


def test_an_answer_without_text_answers_at_the_field(client, oworld):
    client.force_login(oworld.station)
    response = client.post(reverse("liaison:consultation_answer", args=[oworld.cons_a.pk]), {"outcome": ""})
    assert response.status_code == 400
    assert 'data-field="outcome">请填写答复意见。' in response.content.decode()
    assert Consultation.objects.get(pk=oworld.cons_a.pk).status == "open"


# --- policy notices ----------------------------------------------------------------------------

def test_the_read_rate_is_exact_in_each_scope(client, oworld):
    # given: notice_all reaches the three enterprises of the world; ent_a read it (twice: its user,
    # and a historical receipt without a user, which does not count twice)
    NoticeReceipt.objects.create(notice=oworld.notice_all, enterprise=oworld.ent_a, read_at=oworld.receipt_a.read_at)
    url = reverse("liaison:notice_detail", args=[oworld.notice_all.pk])
    expected = {"org_staff": (3, 1, "33.3%"), "leader": (3, 1, "33.3%"), "town_staff": (1, 1, "100.0%"),
                "town_staff_b": (1, 0, "0.0%"), "park_station_user": (1, 0, "0.0%")}
    for name, (reached, read, rate) in expected.items():
        client.force_login(getattr(oworld, name))
        body = client.get(url).content.decode()
        assert f'id="reached">{reached}<' in body, name
        assert f'id="read">{read}<' in body, name
        assert f'id="rate">{rate}<' in body, name
    client.force_login(oworld.org_staff)
    body = client.get(url).content.decode()
    assert oworld.ent_a.name in body
    assert oworld.ent_b.name not in body
    body = client.get(url, {"list": "unread"}).content.decode()
    assert oworld.ent_b.name in body
    assert oworld.ent_park.name in body
    assert oworld.ent_a.name not in body
    body = client.get(reverse("liaison:notice_list")).content.decode()
    row = body[body.index(f'data-notice="{oworld.notice_all.pk}"'):]
    assert row.index('data-reached>3<') < row.index('data-read>1<') < row.index('data-rate>33.3%<') < row.index("</tr>")


def test_opening_a_notice_records_one_receipt_for_the_enterprise(client, oworld):
    client.force_login(oworld.enterprise_user)
    body = client.get(reverse("home")).content.decode()
    assert 'id="notice-card"' in body
    assert 'id="unread-count">2 条未读<' in body  # notice_key and notice_town_a; notice_all was read
    url = reverse("liaison:notice_detail", args=[oworld.notice_key.pk])
    assert client.get(url).status_code == 200
    first = NoticeReceipt.objects.get(notice=oworld.notice_key)
    client.get(url)
    assert list(NoticeReceipt.objects.filter(notice=oworld.notice_key).values_list("enterprise", "user", "read_at")) == [
        (oworld.ent_a.pk, oworld.enterprise_user.pk, first.read_at)]
    body = client.get(reverse("home")).content.decode()
    assert 'id="unread-count">1 条未读<' in body
    # the list: unread first with the "new" badge; the coop notice and the withdrawn one are not there
    body = client.get(reverse("liaison:notice_list")).content.decode()
    assert body.index("东湖镇惠企政策宣讲") < body.index("重点民企服务清单")
    assert "合作社规范化建设指引" not in body
    assert "订单式培训报名" not in body
    assert "征求意见稿" not in body
    assert body.count('<span class="badge text-bg-danger">新</span>') == 1


def test_staff_opening_a_notice_record_nothing(client, oworld):
    client.force_login(oworld.org_staff)
    client.get(reverse("liaison:notice_detail", args=[oworld.notice_key.pk]))
    assert not NoticeReceipt.objects.filter(notice=oworld.notice_key).exists()
    assert 'id="notice-card"' not in client.get(reverse("home")).content.decode()


def test_a_bad_notice_answers_at_its_fields_and_a_published_one_is_frozen(client, oworld):
    client.force_login(oworld.org_staff)
    before = written()
    response = client.post(reverse("liaison:notice_create"), {"title": "行业通知", "body": "正文", "audience": "industry"})
    assert response.status_code == 400
    assert 'data-field="audience_industry">推送给某一行业时，请选择行业门类。' in response.content.decode()
    response = client.post(reverse("liaison:notice_update", args=[oworld.notice_key.pk]),
                           {"title": "改过的标题", "body": "正文", "audience": "all"})
    assert response.status_code == 302
    assert written() == before
    response = client.get(reverse("liaison:notice_update", args=[oworld.notice_key.pk]), follow=True)
    assert "通知已发布，内容已冻结，不能再修改。" in response.content.decode()


def test_publishing_to_nobody_is_refused_and_withdrawing_needs_a_reason(client, oworld):
    client.force_login(oworld.org_staff)
    client.post(reverse("liaison:notice_create"), {"title": "家庭农场补贴", "body": "正文", "audience": "kind",
                                                   "audience_kind": "farm"})
    notice = PolicyNotice.objects.get(title="家庭农场补贴")
    body = client.post(reverse("liaison:notice_publish", args=[notice.pk]), follow=True).content.decode()
    assert "推送范围“家庭农场”内没有市场主体，发布后无人能收到，请调整推送范围。" in body
    assert PolicyNotice.objects.get(pk=notice.pk).status == "draft"
    response = client.post(reverse("liaison:notice_withdraw", args=[oworld.notice_key.pk]), {"reason": " "})
    assert response.status_code == 400
    assert 'data-field="reason">请填写撤回原因。' in response.content.decode()
    assert PolicyNotice.objects.get(pk=oworld.notice_key.pk).status == "published"


# --- care activities and mentoring -------------------------------------------------------------

def test_a_town_records_care_for_its_own_enterprises_only(client, oworld):
    client.force_login(oworld.town_staff)
    before = written()
    data = {"kind": "summer", "title": "东湖镇送清凉", "held_on": "2025-12-10", "organizer": "东湖镇党委",
            "enterprise_codes": f"{oworld.ent_a.uscc}\n{oworld.ent_b.uscc}", "beneficiaries": "0"}
    body = client.post(reverse("liaison:care_create"), data).content.decode()
    assert 'data-field="held_on">夏送清凉活动应在 6 至 9 月举办。' in body
    assert 'data-field="beneficiaries">受益人数至少为 1 人。' in body
    assert f'data-field="enterprise_codes">没有找到这些企业，或不在您的辖区内：{oworld.ent_b.uscc}' in body
    body = client.post(reverse("liaison:care_create"), {**data, "enterprise_codes": "91110108551385082X"}).content.decode()
    assert 'data-field="enterprise_codes">91110108551385082X：统一社会信用代码校验位错误' in body
    assert written() == before
    response = client.post(reverse("liaison:care_create"), {**data, "held_on": "2025-08-01", "beneficiaries": "30",
                                                             "enterprise_codes": oworld.ent_a.uscc})
    assert response.status_code == 302
    activity = CareActivity.objects.get(title="东湖镇送清凉")
    assert list(activity.enterprises.all()) == [oworld.ent_a]


def test_the_care_list_totals_by_year_and_kind(client, oworld):
    client.force_login(oworld.org_staff)
    body = client.get(reverse("liaison:care_list")).content.decode()
    assert ('<tr data-year="2025" data-kind="summer"><td>2025</td><td>夏送清凉</td><td class="text-end">1</td>'
            '<td class="text-end">1</td><td class="text-end">40</td></tr>') in body
    client.force_login(oworld.town_staff_b)
    body = client.get(reverse("liaison:care_list")).content.decode()
    assert 'data-kind="summer"' not in body
    assert 'data-kind="winter"' in body


def test_a_mentee_must_be_new_generation(client, oworld):
    client.force_login(oworld.org_staff)
    before = written()
    body = client.post(reverse("liaison:mentoring_create"), {
        "mentor_kind": "entrepreneur", "mentor_person": oworld.mentee_b.pk, "mentee": oworld.person_b.pk,
        "started_on": "2025-06-01", "focus": "市场开拓"}).content.decode()
    assert 'data-field="mentor_person">王青西 是新生代企业家，导师应为资深企业家。' in body
    assert 'data-field="mentee">王西山 未登记为新生代企业家，青蓝结对的帮带对象须为新生代企业家。' in body
    body = client.post(reverse("liaison:mentoring_create"), {
        "mentor_kind": "retired_cadre", "mentee": oworld.mentee_b.pk, "started_on": "2025-06-01",
        "focus": "市场开拓"}).content.decode()
    assert 'data-field="mentor_name">请填写老干部的姓名。' in body
    assert written() == before
    response = client.post(reverse("liaison:mentoring_create"), {
        "mentor_kind": "retired_cadre", "mentor_name": "许国良", "mentee": oworld.mentee_b.pk,
        "started_on": "2025-06-01", "focus": "市场开拓"})
    assert response.status_code == 302
    assert MentoringPair.objects.filter(mentee=oworld.mentee_b, mentor_name="许国良").count() == 1


def test_a_session_outside_the_pairing_answers_at_the_date(client, oworld):
    client.force_login(oworld.org_staff)
    response = client.post(reverse("liaison:mentoring_session_add", args=[oworld.pair_a.pk]),
                           {"held_on": "2025-02-01", "topic": "座谈", "attendees": "1"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-field="held_on">结对自 2025-03-01 开始，活动日期不能早于这一天。' in body
    assert 'data-field="attendees">参加人数至少为 2 人（导师与帮带对象）。' in body
    response = client.post(reverse("liaison:mentoring_end", args=[oworld.pair_a.pk]), {"ended_on": "2025-04-01"})
    assert 'data-field="ended_on">该结对在 2025-04-02 还有帮带活动，结束日期不能早于这一天。' in response.content.decode()


def test_the_mentoring_list_totals_by_year(client, oworld):
    client.force_login(oworld.leader)
    body = client.get(reverse("liaison:mentoring_list")).content.decode()
    assert ('<tr data-year="2025"><td>2025</td><td class="text-end">1</td><td class="text-end">1</td>'
            '<td class="text-end">6</td></tr>') in body
    assert ('<tr data-year="2024"><td>2024</td><td class="text-end">1</td><td class="text-end">0</td>'
            '<td class="text-end">0</td></tr>') in body


# --- the enterprise tab, the menu, the number of queries ---------------------------------------

def test_the_enterprise_tab_shows_consultations_notices_and_care(client, oworld):
    client.force_login(oworld.enterprise_user)
    body = client.get(reverse("enterprise_tab", args=[oworld.ent_a.pk, "outreach"])).content.decode()
    assert "东湖货款拖欠催收" in body
    assert "东湖镇夏送清凉" in body
    notices = body[body.index('id="tab-notices"'):body.index('id="tab-care"')]
    assert notices.count("未读") == 2
    assert notices.count("已读") == 1
    # a cadre paired with ent_a opens its page but not this tab: no right on legal advice or notices
    client.force_login(oworld.cadre)
    assert "法律与关爱" not in client.get(reverse("enterprise_detail", args=[oworld.ent_a.pk])).content.decode()
    assert client.get(reverse("enterprise_tab", args=[oworld.ent_a.pk, "outreach"])).status_code == 302


@pytest.mark.parametrize(("user", "entries"), [
    ("org_staff", ["法律服务", "政策通知", "关心关爱", "青蓝交接"]),
    ("leader", ["法律服务", "政策通知", "关心关爱", "青蓝交接"]),
    ("town_staff", ["法律服务", "政策通知", "关心关爱", "青蓝交接"]),
    ("station", ["法律服务", "政策通知"]),
    ("enterprise_user", ["法律服务", "政策通知", "关心关爱"]),
    ("cadre", []), ("bank_officer", []), ("insurer_officer", []), ("admin", []),
])
def test_the_menu_offers_what_each_role_may_open(oworld, user, entries):
    from portal.navigation import menu_for

    mine = [i["label"] for i in menu_for(getattr(oworld, user)) if i["name"].startswith("liaison:")
            and i["name"].split(":")[1] in ("legal_overview", "notice_list", "care_list", "mentoring_list")]
    assert [str(label) for label in mine] == entries


LISTS = ["liaison:legal_overview", "liaison:lawyer_list", "liaison:consultation_list", "liaison:notice_list",
         "liaison:care_list", "liaison:mentoring_list"]


def _queries(client, url, **params):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


@pytest.mark.parametrize("user", ["org_staff", "town_staff", "enterprise_user"])
def test_list_queries_do_not_grow_with_rows(client, oworld, user):
    from tests.factories import EnterpriseFactory, PersonFactory

    client.force_login(getattr(oworld, user))
    allowed = [n for n in LISTS if client.get(reverse(n)).status_code == 200]
    readers = reverse("liaison:notice_detail", args=[oworld.notice_all.pk])
    few = {n: _queries(client, reverse(n)) for n in allowed}
    few_readers = _queries(client, readers, list="unread")
    for n in range(6):
        enterprise = EnterpriseFactory(region=oworld.village_a, name=f"东湖测试企业{n}")
        Consultation.objects.create(enterprise=enterprise, topic=f"咨询{n}", category="other", lawyer=oworld.lawyer,
                                    consulted_on=days(-n), channel="phone")
        PolicyNotice.objects.create(title=f"通知{n}", body="正文", audience="region", audience_region=oworld.town_a,
                                    status="published", published_at=oworld.notice_all.published_at)
        NoticeReceipt.objects.create(notice=oworld.notice_all, enterprise=enterprise, read_at=oworld.receipt_a.read_at)
        care = CareActivity.objects.create(kind="training", title=f"培训{n}", held_on=D(2025, 4, n + 1),
                                           organizer="东湖镇党委", beneficiaries=10)
        care.enterprises.set([enterprise, oworld.ent_a])
        pair = MentoringPair.objects.create(mentor_kind="retired_cadre", mentor_name=f"老干部{n}",
                                            mentee=PersonFactory(is_new_generation=True), started_on=D(2025, 1, 1),
                                            focus="传承")
        pair.sessions.create(held_on=D(2025, 2, 1), topic="座谈", attendees=3)
    assert {n: _queries(client, reverse(n)) for n in allowed} == few
    assert _queries(client, readers, list="unread") == few_readers
