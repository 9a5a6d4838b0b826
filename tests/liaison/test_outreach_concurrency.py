"""Outreach under fire: the same writes at the same moment, each in its own thread and PostgreSQL
transaction (tests/threads.py)."""

import pytest
from django.db import connection

from liaison.models import MentoringPair, NoticeReceipt, PolicyNotice
from liaison.services import outreach as services
from portal.models import AuditLog
from tests.threads import race

from .fixtures_outreach import D, outreach_world  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")]


def test_a_notice_opened_in_four_tabs_at_once_has_one_receipt(oworld):
    results = race([lambda: services.notice_mark_read(notice=oworld.notice_key, user=oworld.enterprise_user).pk
                    for _n in range(4)])
    assert [r[0] for r in results] == ["ok"] * 4
    receipt = NoticeReceipt.objects.get(notice=oworld.notice_key)
    assert {r[1] for r in results} == {receipt.pk}


def test_an_edit_racing_the_publication_never_changes_a_published_notice(oworld):
    notice = oworld.notice_draft
    results = race([
        lambda: services.notice_publish(acting_user=oworld.org_staff, notice=notice).status,
        lambda: services.notice_update(acting_user=oworld.org_staff, notice=notice, title="改过的标题", body="改过的正文",
                                       audience="all").title,
    ])
    assert results[0] == ("ok", "published")
    published = PolicyNotice.objects.get(pk=notice.pk)
    actions = list(AuditLog.objects.filter(object_type="liaison.policynotice", object_id=str(notice.pk))
                   .order_by("pk").values_list("action", flat=True))
    if results[1] == ("refused", "frozen"):
        # the publication came first: the text is the draft's
        assert (published.title, actions) == ("新生代企业家培育（征求意见稿）", ["policy_notice.publish"])
    else:
        # the edit came first and was published as edited
        assert results[1] == ("ok", "改过的标题")
        assert (published.title, actions) == ("改过的标题", ["policy_notice.update", "policy_notice.publish"])


def test_the_same_mentoring_pair_submitted_twice_at_once_is_made_once(oworld):
    def create():
        return services.mentoring_pair_create(acting_user=oworld.org_staff, mentor_kind="retired_cadre",
                                              mentor_name="许国良", mentee=oworld.mentee_a, started_on=D(2025, 6, 1),
                                              focus="市场开拓").pk

    results = race([create, create, create])
    assert sorted(r[0] for r in results) == ["ok", "refused", "refused"]
    assert {r[1] for r in results if r[0] == "refused"} == {"already_paired"}
    assert MentoringPair.objects.filter(mentee=oworld.mentee_a, mentor_name="许国良").count() == 1


def test_a_residency_cut_short_while_a_consultation_is_recorded_never_leaves_it_outside(oworld):
    from liaison.models import Consultation, Lawyer

    from .fixtures_outreach import days

    # given a lawyer resident since 2025 with no consultation yet
    lawyer = Lawyer.objects.create(name="秦雅琴", law_firm="星湖众诚律师事务所", resident_since=D(2025, 1, 1))
    results = race([
        lambda: services.consultation_record(acting_user=oworld.org_staff, enterprise=oworld.ent_a, topic="股权质押",
                                             category="financing", lawyer=lawyer, consulted_on=days(-1),
                                             channel="phone").pk,
        lambda: services.lawyer_update(acting_user=oworld.org_staff, lawyer=lawyer, name="秦雅琴",
                                       law_firm="星湖众诚律师事务所", resident_since=D(2025, 1, 1),
                                       resident_until=days(-3)).pk,
    ])
    # then exactly one of them went through, and the other was told why
    assert sorted(r[0] for r in results) == ["ok", "refused"], results
    lawyer.refresh_from_db()
    for c in Consultation.objects.filter(lawyer=lawyer):
        assert lawyer.resident_until is None or c.consulted_on <= lawyer.resident_until
