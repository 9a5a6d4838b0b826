"""A policy's dates that make no sense are refused at the field, with the reason, and nothing is
written: a start in 2099, after its quote has run out, or after the rating its discount rests on."""

import datetime
import re

import pytest
from django.urls import reverse

from insurance.models import Policy
from ratings.models import Rating

from .conftest import today

pytestmark = pytest.mark.django_db


def issue(client, w, **data):
    client.force_login(w.insurer_officer)
    return client.post(reverse("insurance:policy_issue", args=[w.quote_a.pk]), data)


def starts_on_error(response) -> str:
    found = re.search(r'data-field="starts_on">([^<]*)<', response.content.decode())
    return found.group(1) if found else ""


def test_a_policy_starting_in_2099_is_refused_at_its_start(client, iworld):
    response = issue(client, iworld, starts_on="2099-01-01")
    assert response.status_code == 400
    assert starts_on_error(response) == (f"保险起期 2099-01-01 晚于报价有效期（至 {iworld.quote_a.valid_until.isoformat()}）："
                                         "请在有效期内起保，或重新报价。")
    assert not Policy.objects.filter(quote=iworld.quote_a).exists()


def test_a_policy_starting_after_the_rating_runs_out_is_refused_at_its_start(client, iworld):
    # given the rating of ent_a running out in five days, well within the quote's thirty
    last_day = today() + datetime.timedelta(days=5)
    Rating.objects.filter(pk=iworld.rating_a.pk).update(valid_to=last_day)
    late = last_day + datetime.timedelta(days=1)
    response = issue(client, iworld, starts_on=late.isoformat())
    assert response.status_code == 400
    assert starts_on_error(response) == (f"保险起期 {late.isoformat()} 晚于企业星级的有效期（至 {last_day.isoformat()}）："
                                         "优惠须在星级有效时起保。")
    assert not Policy.objects.filter(quote=iworld.quote_a).exists()
    # and on its last day it is still issued
    response = issue(client, iworld, starts_on=last_day.isoformat())
    assert response.status_code == 302
    assert Policy.objects.get(quote=iworld.quote_a).starts_on == last_day


def test_a_discount_table_for_2099_is_refused_at_its_date(world):
    from insurance import rules, services
    from insurance.models import DiscountTable
    from portal.errors import DomainError

    with pytest.raises(DomainError) as caught:
        services.discount_table_create(acting_user=world.org_staff, effective_from=datetime.date(2099, 1, 1),
                                       rates=rules.DEFAULT_DISCOUNTS, today=datetime.date(2026, 5, 10))
    assert caught.value.errors == {"effective_from": ["生效日期 2099-01-01 过远：新标准最多提前 5 年确定（至 2031-05-10）。"]}
    assert not DiscountTable.objects.exists()
