"""Two officers issuing a policy from the same quote at the same moment, with real threads and real
PostgreSQL transactions: exactly one policy, and the other officer is told it was already issued."""

import datetime

import pytest
from django.db import connection

from insurance import services
from insurance.choices import QuoteStatus
from insurance.models import Policy, Quote
from portal.choices import Role
from portal.models import AuditLog
from tests.threads import race

from ..factories import user_with_role

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")]


def test_two_officers_issuing_one_quote_make_one_policy(iworld):
    # given an open quote of the insurer, and two of its officers who both have it open
    w = iworld
    colleague = user_with_role("t_insurer_colleague", Role.INSURER_OFFICER, institution=w.insurer)
    quote = w.quote_a

    # when both press "出具保单" at the same moment, each with a number of their own
    results = race([
        lambda: services.policy_issue(acting_user=w.insurer_officer, quote=quote, policy_number="I01-2026-90000011"),
        lambda: services.policy_issue(acting_user=colleague, quote=quote, policy_number="I01-2026-90000012"),
    ])

    # then exactly one policy exists, and the other officer was told the quote is already issued
    assert sorted(r[0] for r in results) == ["ok", "refused"], results
    assert [r[1] for r in results if r[0] == "refused"] == ["already_issued"]
    policy = Policy.objects.get(quote=quote)
    winner = next(r[1] for r in results if r[0] == "ok")
    assert policy.policy_number == winner.policy_number
    assert Quote.objects.get(pk=quote.pk).status == QuoteStatus.ISSUED
    assert AuditLog.objects.filter(action="policy.issue", object_id=str(policy.pk)).count() == 1
    assert AuditLog.objects.filter(action="quote.issue", object_id=str(quote.pk)).count() == 1


def test_many_officers_racing_on_one_quote_leave_one_policy(iworld):
    w = iworld
    officers = [w.insurer_officer] + [user_with_role(f"t_insurer_{n}", Role.INSURER_OFFICER, institution=w.insurer)
                                      for n in range(5)]

    results = race([lambda u=u: services.policy_issue(acting_user=u, quote=w.quote_a) for u in officers])

    assert [r[0] for r in results].count("ok") == 1, results
    assert {r[1] for r in results if r[0] == "refused"} == {"already_issued"}
    assert Policy.objects.filter(quote=w.quote_a).count() == 1


def test_the_nightly_expiry_and_an_issue_never_both_land(iworld):
    # given a quote on its last valid day being issued while the expiry runs as of the next day
    w = iworld
    quote = w.quote_a
    last_day = quote.valid_until

    results = race([
        lambda: services.policy_issue(acting_user=w.insurer_officer, quote=quote, today=last_day),
        lambda: services.quotes_expire(today=last_day + datetime.timedelta(days=1)),
    ])

    # then the quote is either issued with its policy, or expired without one
    quote.refresh_from_db()
    assert results[1][0] == "ok"
    if quote.status == QuoteStatus.ISSUED:
        assert results[0][0] == "ok"
        assert Policy.objects.filter(quote=quote).count() == 1
    else:
        assert quote.status == QuoteStatus.EXPIRED
        assert results[0] == ("refused", "expired")
        assert not Policy.objects.filter(quote=quote).exists()
