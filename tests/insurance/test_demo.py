"""The insurance demo data (insurance/demo.py): products of every insurer, the default table since
2019, about 150 quotes priced exactly as the service prices them for enterprises whose rating held
that day, about 60 % issued, and open quotes the demo accounts can act on.

One city-scale run for the module, made twice (seeded, snapshot, rolled back, seeded again) so the
determinism test compares two real runs; the second stays for the other tests, each in a savepoint.
"""

from collections import Counter
from decimal import Decimal
from io import StringIO
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from insurance import rules, selectors, services
from insurance.choices import QuoteChannel, QuoteStatus
from insurance.models import DiscountTable, InsuranceProduct, Policy, Quote
from portal.demo import DEMO_TODAY
from portal.models import RoleAssignment
from ratings.selectors import enterprise_rating

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    """The insurance data by natural keys (ids differ between runs, the data must not)."""
    return {
        "products": list(InsuranceProduct.objects.order_by("insurer__code", "name").values_list(
            "insurer__code", "name", "category", "is_active")),
        "tables": list(DiscountTable.objects.values_list("effective_from", "rows__stars", "rows__rate_percent")
                       .order_by("effective_from", "rows__stars")),
        "quotes": list(Quote.objects.order_by("quoted_on", "enterprise__uscc", "created_at").values_list(
            "enterprise__uscc", "insurer__code", "product__name", "base_premium", "stars", "rating__cycle__year",
            "discount_percent", "discount_amount", "net_premium", "channel", "station__code", "status", "quoted_on",
            "valid_until", "created_by__username", "created_by_name", "created_at")),
        "policies": list(Policy.objects.order_by("issued_at", "policy_number").values_list(
            "quote__enterprise__uscc", "policy_number", "starts_on", "ends_on", "issued_by_name", "issued_at")),
    }


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker):
    def seed():
        out = StringIO()
        call_command("seed_demo", stdout=out)
        return out.getvalue()

    with django_db_blocker.unblock(), transaction.atomic():
        with transaction.atomic():
            seed()
            first = snapshot()
            transaction.set_rollback(True)
        out = seed()
        connection.check_constraints()
        yield SimpleNamespace(first=first, second=snapshot(), out=out)
        transaction.set_rollback(True)


def user(username):
    return get_user_model().objects.get(username=username)


def test_two_runs_make_the_same_insurance_data(city):
    assert city.first == city.second
    assert len(city.second["quotes"]) > 100


def test_every_insurer_has_two_to_four_products_under_the_default_table(city):
    per_insurer = Counter(InsuranceProduct.objects.values_list("insurer__code", flat=True))
    assert sorted(per_insurer) == ["I01", "I02", "I03", "I04", "I05"]
    assert all(2 <= n <= 4 for n in per_insurer.values())
    table = DiscountTable.objects.get()
    assert table.effective_from.isoformat() == "2019-01-01"
    assert table.rates() == rules.DEFAULT_DISCOUNTS


def test_about_150_quotes_and_60_percent_issued(city):
    historic = Quote.objects.filter(quoted_on__lt=DEMO_TODAY)
    assert historic.count() == 150
    issued = historic.filter(status=QuoteStatus.ISSUED).count()
    assert 0.5 <= issued / 150 <= 0.7
    assert set(historic.values_list("status", flat=True)) == {QuoteStatus.ISSUED, QuoteStatus.EXPIRED}
    assert Policy.objects.count() == Quote.objects.filter(status=QuoteStatus.ISSUED).count()
    assert not Quote.objects.filter(status=QuoteStatus.ISSUED, policy__isnull=True).exists()
    assert not Policy.objects.exclude(quote__status=QuoteStatus.ISSUED).exists()
    channels = Counter(Quote.objects.values_list("channel", flat=True))
    assert channels[QuoteChannel.STATION] > 20
    assert channels[QuoteChannel.INSURER] > 80
    lines = [line.split() for line in city.out.splitlines()]
    assert ["保险报价", str(Quote.objects.count())] in lines


def test_every_quote_is_priced_as_the_service_prices_it(city):
    rates = DiscountTable.objects.get().rates()
    for q in Quote.objects.select_related("enterprise", "rating"):
        answer = enterprise_rating(q.enterprise, on=q.quoted_on)
        assert answer.is_valid, q
        assert (answer.stars, answer.rating) == (q.stars, q.rating)
        premium = rules.net_premium(q.base_premium, rates[q.stars])
        assert (q.discount_percent, q.discount_amount, q.net_premium) == (
            premium.rate_percent, premium.discount, premium.net)
        assert q.valid_until == rules.quote_valid_until(q.quoted_on)


def test_every_policy_rests_on_a_rating_that_held_when_it_was_issued(city):
    for policy in Policy.objects.select_related("quote__enterprise"):
        quote = policy.quote
        issued_on = timezone.localtime(policy.issued_at).date()
        assert quote.quoted_on <= issued_on <= quote.valid_until
        answer = enterprise_rating(quote.enterprise, on=issued_on)
        assert (answer.is_valid, answer.stars) == (True, quote.stars)
        assert policy.ends_on == rules.policy_ends_on(policy.starts_on)
        assert policy.issued_at > quote.created_at


def test_the_demo_insurer_has_open_quotes_it_can_issue(city):
    insurer = user("insurer")
    open_quotes = selectors.quote_list(user=insurer).filter(status=QuoteStatus.QUOTED, channel=QuoteChannel.INSURER)
    assert open_quotes.count() >= 5
    assert set(open_quotes.values_list("created_by__username", flat=True)) == {"insurer"}
    policy = services.policy_issue(acting_user=insurer, quote=open_quotes.first())
    assert policy.insurer.code == "I01"
    # and sees nothing of the other insurers
    assert set(selectors.quote_list(user=insurer).values_list("insurer__code", flat=True)) == {"I01"}


def test_the_demo_enterprise_and_station_see_their_own(city):
    enterprise = RoleAssignment.objects.get(user__username="enterprise").enterprise
    mine = selectors.quote_list(user=user("enterprise"))
    assert mine.filter(status=QuoteStatus.ISSUED).exists()
    assert mine.filter(status=QuoteStatus.QUOTED).exists()
    assert set(mine.values_list("enterprise", flat=True)) == {enterprise.pk}
    made = selectors.quote_list(user=user("station")).filter(created_by__username="station")
    assert made.filter(status=QuoteStatus.QUOTED, channel=QuoteChannel.STATION).exists()
    assert sum((q.discount_amount for q in mine), start=Decimal("0")) > 0


def test_the_demo_policies_are_numbered_in_the_one_format_of_the_service(city):
    numbers = list(Policy.objects.values_list("insurer__code", "issued_at", "policy_number"))
    assert numbers
    for code, issued_at, number in numbers:
        assert rules.check_policy_number(number, code, issued_at.year) == number
        assert number.startswith(f"{code}-{timezone.localtime(issued_at).year}-")
