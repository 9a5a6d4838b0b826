"""Claims about the same moment, shown with real threads on PostgreSQL: two org staff deciding one
application, and two submissions of one talent for one item."""

import pytest
from django.db import IntegrityError, connection, transaction

from portal.models import AuditLog
from talent import services
from talent.models import BenefitApplication, BenefitEvent
from tests.factories import user_with_role
from tests.threads import race

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")]


def test_two_staff_deciding_at_once_exactly_one_wins(tw):
    # given a second member of the organization department and the same form (version 1) on both screens
    second = user_with_role("t_orgstaff2", "org_staff")
    app = tw.app_a

    # when one approves and the other rejects at the same moment
    results = race([
        lambda: services.benefit_application_act(acting_user=tw.org_staff, application=app, action="approve",
                                                 expected_version=1, amount="150000"),
        lambda: services.benefit_application_act(acting_user=second, application=app, action="reject",
                                                 expected_version=1, note="材料不全，不予支持"),
    ])

    # then one decision stands, the other is told the form is stale, and one decision is on the record
    assert sorted(r[0] for r in results) == ["ok", "refused"], results
    assert [r[1] for r in results if r[0] == "refused"] == ["stale"]
    app.refresh_from_db()
    assert app.version == 2
    assert app.status in ("approved", "rejected")
    assert BenefitEvent.objects.filter(application=app).exclude(action="submit").count() == 1
    assert AuditLog.objects.filter(action__in=["talent.benefit.approve", "talent.benefit.reject"]).count() == 1


def test_two_submissions_of_one_talent_for_one_item_leave_one_open_application(tw):
    # given talent_b (D类) with no housing application yet
    def submit(user, amount):
        return services.benefit_application_submit(acting_user=user, talent=tw.talent_b, item=tw.items.housing,
                                                   amount_requested=amount, reason="已在本市购买首套住房")

    # when its enterprise user and its station submit at the same moment
    results = race([lambda: submit(tw.enterprise_b_user, "100000"), lambda: submit(tw.station_b_user, "120000")])

    # then one is accepted and the other refused as a duplicate
    assert sorted(r[0] for r in results) == ["ok", "refused"], results
    assert [r[1] for r in results if r[0] == "refused"] == ["duplicate"]
    assert BenefitApplication.objects.filter(talent=tw.talent_b, item=tw.items.housing, status="pending").count() == 1


def test_the_database_refuses_a_second_open_application_even_without_the_service(tw):
    app = tw.app_a
    with pytest.raises(IntegrityError), transaction.atomic():
        BenefitApplication.objects.create(talent=app.talent, item=app.item, enterprise=app.enterprise, level="C",
                                          item_amount=app.item_amount, amount_requested=None, reason="绕过服务直接写入")
    # a closed one does not count
    BenefitApplication.objects.create(talent=app.talent, item=app.item, enterprise=app.enterprise, level="C",
                                      item_amount=app.item_amount, reason="历史记录", status="withdrawn")


def test_the_database_refuses_an_approval_above_the_request(tw):
    with pytest.raises(IntegrityError), transaction.atomic():
        BenefitApplication.objects.filter(pk=tw.app_a.pk).update(status="approved", amount_approved="150000.01")
