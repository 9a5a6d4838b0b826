"""The world of the outreach tests (tests/liaison/test_outreach_*.py): `oworld` is `lworld` with a
resident lawyer and a former one, a consultation for each town's enterprise, notices to several
audiences in every state, a care activity for each town and a mentoring pair in each town.

Town A holds ent_a (key, manufacturing C, 东湖村); town B holds ent_b (key since lworld, C, 西山社区);
ent_park sits in the park at city level (private, C, not key)."""

import datetime

import pytest
from django.utils import timezone

from liaison.models import (
    CareActivity,
    Consultation,
    Lawyer,
    MentoringPair,
    MentoringSession,
    NoticeReceipt,
    PolicyNotice,
)
from liaison.rules.outreach import CareKind, MentorKind, NoticeAudience, NoticeStatus
from portal.choices import PersonLink
from portal.models import AuditLog, EnterprisePerson
from tests.factories import PersonFactory

D = datetime.date
LAWYER_MOBILE = "13812345678"
NOT_STAFF = ("bank_officer", "insurer_officer", "cadre", "admin")


def today():
    return timezone.localdate()


def days(n):
    return today() + datetime.timedelta(days=n)


def written():
    """What a refused service must leave as it was: every outreach table and the audit log."""
    return tuple(m.objects.count() for m in (Lawyer, Consultation, PolicyNotice, NoticeReceipt, CareActivity,
                                             MentoringPair, MentoringSession, AuditLog)) + (
        list(PolicyNotice.objects.order_by("pk").values_list("status", "title")),
        list(Consultation.objects.order_by("pk").values_list("status", "outcome")),
        list(Lawyer.objects.order_by("pk").values_list("resident_since", "resident_until", "mobile")),
        list(MentoringPair.objects.order_by("pk").values_list("ended_on")))


def published(days_ago=10, **values):
    at = timezone.now() - datetime.timedelta(days=days_ago)
    values.setdefault("status", NoticeStatus.PUBLISHED)
    values.setdefault("body", "正文")
    return PolicyNotice.objects.create(published_at=at, **values)


@pytest.fixture(name="oworld")
def outreach_world(lworld):
    w = lworld
    w.lawyer = Lawyer.objects.create(name="陈律明", law_firm="星湖正衡律师事务所", specialties="合同纠纷、劳动用工",
                                     mobile=LAWYER_MOBILE, resident_since=D(2024, 1, 1))
    w.lawyer_old = Lawyer.objects.create(name="韩退之", law_firm="星湖明德律师事务所", mobile="13900001111",
                                         resident_since=D(2021, 1, 1), resident_until=D(2023, 12, 31))
    w.cons_a = Consultation.objects.create(enterprise=w.ent_a, topic="东湖货款拖欠催收", category="contract",
                                           lawyer=w.lawyer, consulted_on=days(-3), channel="onsite",
                                           station=w.station_a)
    w.cons_b = Consultation.objects.create(enterprise=w.ent_b, topic="西山商标被抢注", category="ip", lawyer=w.lawyer,
                                           consulted_on=days(-40), channel="phone", status="answered",
                                           outcome="建议提出商标异议。", answered_on=days(-38))
    w.cons_park = Consultation.objects.create(enterprise=w.ent_park, topic="园区厂房租赁纠纷", category="other",
                                              lawyer=w.lawyer, consulted_on=days(-1), channel="online")

    w.notice_all = published(30, title="党建增信政策解读", body="全市企业均可申请", audience=NoticeAudience.ALL)
    w.notice_key = published(20, title="重点民企服务清单", body="重点民企一企一策", audience=NoticeAudience.KEY)
    w.notice_town_a = published(5, title="东湖镇惠企政策宣讲", body="东湖镇宣讲安排", audience=NoticeAudience.REGION,
                                audience_region=w.town_a)
    w.notice_coop = published(15, title="合作社规范化建设指引", body="合作社正文", audience=NoticeAudience.KIND,
                              audience_kind="coop")
    w.notice_draft = PolicyNotice.objects.create(title="新生代企业家培育（征求意见稿）", body="草稿正文",
                                                 audience=NoticeAudience.ALL)
    w.notice_withdrawn = published(50, title="订单式培训报名（已撤回）", body="撤回正文", audience=NoticeAudience.ALL,
                                   status=NoticeStatus.WITHDRAWN, withdrawn_at=timezone.now(), withdraw_reason="有误")
    w.receipt_a = NoticeReceipt.objects.create(notice=w.notice_all, enterprise=w.ent_a, user=w.enterprise_user,
                                               read_at=timezone.now() - datetime.timedelta(days=29))

    w.care_a = CareActivity.objects.create(kind=CareKind.SUMMER, title="东湖镇夏送清凉", held_on=D(2025, 7, 10),
                                           organizer="东湖镇党委", beneficiaries=40)
    w.care_a.enterprises.set([w.ent_a])
    w.care_b = CareActivity.objects.create(kind=CareKind.WINTER, title="西山街道冬送温暖", held_on=D(2025, 1, 15),
                                           organizer="西山街道党委", beneficiaries=25)
    w.care_b.enterprises.set([w.ent_b])

    w.mentee_a = PersonFactory(name="李青东", is_new_generation=True)
    EnterprisePerson.objects.create(enterprise=w.ent_a, person=w.mentee_a, link=PersonLink.ENTREPRENEUR)
    w.mentee_b = PersonFactory(name="王青西", is_new_generation=True)
    EnterprisePerson.objects.create(enterprise=w.ent_b, person=w.mentee_b, link=PersonLink.ENTREPRENEUR)
    w.pair_a = MentoringPair.objects.create(mentor_kind=MentorKind.ENTREPRENEUR, mentor_person=w.person_a,
                                            mentee=w.mentee_a, started_on=D(2025, 3, 1), focus="企业管理与传承")
    w.session_a = MentoringSession.objects.create(pair=w.pair_a, held_on=D(2025, 4, 2), topic="参观导师企业生产线",
                                                  attendees=6)
    w.pair_b = MentoringPair.objects.create(mentor_kind=MentorKind.RETIRED_CADRE, mentor_name="何振邦",
                                            mentor_title="原市人大常委会副主任", mentee=w.mentee_b,
                                            started_on=D(2024, 5, 1), focus="市场开拓")
    return w
