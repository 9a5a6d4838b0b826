"""No personal number in a notification's text, and a link only to a page its recipient may open."""

import pytest

from finance.models import LoanApplication
from notifications import rules
from notifications.models import Notification
from notifications.recipients import link_for
from portal.models import Enterprise
from tests.notifications.conftest import approve

ID_NUMBER, MOBILE = "510112198505174047", "13812345678"


@pytest.mark.parametrize(("text", "expected"), [
    (f"身份证 {ID_NUMBER} 已核验", "身份证 ****************** 已核验"),
    ("旧证 510112850517404", "旧证 ***************"),
    ("身份证51011219850517404x", "身份证******************"),
    (f"请回电 {MOBILE}", "请回电 ***********"),
    ("请回电 138 1234 5678", "请回电 *************"),
    ("请回电 +86 13812345678", "请回电 ***************"),
    ("座机 0838-6212345", "座机 ************"),
    # What must stay: amounts, case numbers, dates, a credit code's digits inside it
    ("批准金额 1,000,000.00 元（编号 123）", "批准金额 1,000,000.00 元（编号 123）"),
    ("编号 RC2026-000123，期限 2026-12-08", "编号 RC2026-000123，期限 2026-12-08"),
    ("代码 91510100MA61R2XQ1K", "代码 91510100MA61R2XQ1K"),
    ("金额 1500000 元", "金额 1500000 元"),
])
def test_scrub_stars_out_personal_numbers_only(text, expected):
    assert rules.scrub(text) == expected
    assert not rules.has_personal_number(rules.scrub(text))


@pytest.mark.django_db
def test_texts_carry_no_personal_number_even_when_one_was_typed_into_a_name(world, loan, committed):
    # given an enterprise whose name someone typed a mobile and an ID number into
    Enterprise.objects.filter(pk=world.ent_a.pk).update(name=f"东湖精密机械有限公司{MOBILE}法人{ID_NUMBER}")
    Notification.objects.all().delete()
    # when its application is approved
    approve(world, LoanApplication.objects.get(pk=loan.pk), committed)
    # then nothing anybody reads holds either number
    rows = list(Notification.objects.all())
    assert rows
    for row in rows:
        for text in (row.title, row.body, row.url):
            assert MOBILE not in text
            assert ID_NUMBER not in text
            assert not rules.has_personal_number(text)
    assert "东湖精密机械有限公司" in Notification.objects.get(recipient=world.enterprise_user, workflow="loan").body


@pytest.mark.django_db
def test_a_link_only_for_who_may_open_the_page(world, loan, committed):
    # given the application's station is one whose area no longer holds the enterprise
    LoanApplication.objects.filter(pk=loan.pk).update(station=world.station_b)
    Notification.objects.all().delete()
    # when the bank approves
    approve(world, LoanApplication.objects.get(pk=loan.pk), committed)
    # then the enterprise's user, who may open the application, has the link; the other station's operator,
    # who may not, hears of it without one
    page = f"/finance/applications/{loan.pk}/"
    assert Notification.objects.get(recipient=world.enterprise_user, workflow="loan").url == page
    assert Notification.objects.get(recipient=world.station_b_user, workflow="loan").url == ""
    # and the link is what the page itself lets through
    assert link_for(LoanApplication, page, loan.pk, world.bank_officer) == page
    assert link_for(LoanApplication, page, loan.pk, world.bank2_officer) == ""


@pytest.mark.django_db
def test_every_link_written_opens_for_its_recipient(world, loan, committed, client):
    Notification.objects.all().delete()
    approve(world, LoanApplication.objects.get(pk=loan.pk), committed)
    for row in Notification.objects.exclude(url=""):
        client.force_login(row.recipient)
        assert client.get(row.url).status_code == 200, row.recipient.username
