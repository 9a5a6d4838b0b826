"""The rating on the workflow layer: its graph agrees with who reviews at each step, a step is
announced once its transaction commits, and a public objection is written as the public's. (And a
score typed past all reason is refused by name, not written out in full.)"""

from decimal import Decimal

import pytest

from portal.errors import DomainError
from portal.models import AuditLog
from ratings import rules, services
from ratings.choices import RatingAction as A
from ratings.choices import RatingStatus as S
from ratings.workflows import RATING
from workflow.signals import case_changed

from .conftest import advance, sheet, today


@pytest.mark.parametrize("level", ["town", "city"])
def test_every_step_names_the_role_that_reviews_in_its_state(level):
    for (status, action) in rules.TRANSITIONS:
        if action != A.OBJECTION:  # anyone may object, with no account
            assert rules.GRAPH.may_act(rules.reviewer_role(status, level), action), (status, action)
    assert rules.GRAPH.roles_of(A.OBJECTION) == []


def test_the_graph_starts_at_the_self_assessment_and_ends_in_refusal_or_revocation():
    assert rules.GRAPH.states()[0] == S.SELF
    for status in rules.GRAPH.final:
        assert rules.allowed_actions(status) == []
    assert rules.allowed_actions(S.TOWN) == [A.SAVE, A.APPROVE, A.RETURN, A.REJECT]
    assert set(RATING.waiting) == {S.TOWN, S.DEPT}


def test_points_past_all_reason_are_named_as_typed():
    with pytest.raises(rules.RuleError) as caught:
        rules.parse_points("1e1000000", Decimal("10"))
    assert caught.value.message == "得分 1e1000000 超过该项满分 10 分。"


@pytest.fixture
def heard():
    calls = []

    def listener(sender, **kwargs):
        calls.append({k: kwargs[k] for k in ("workflow", "action", "from_status", "to_status", "actor_id")})

    case_changed.connect(listener)
    yield calls
    case_changed.disconnect(listener)


@pytest.mark.django_db
def test_a_step_is_announced_after_its_commit_and_a_refused_one_never(world, rating_a, heard,
                                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.rating_transition(acting_user=world.enterprise_user, rating=rating_a, action=A.SUBMIT,
                                   expected_version=rating_a.version, scores=sheet(), today=today())
    assert heard == [{"workflow": "rating", "action": A.SUBMIT, "from_status": S.SELF, "to_status": S.TOWN,
                      "actor_id": world.enterprise_user.pk}]
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError) as caught:
        services.rating_transition(acting_user=world.town_staff, rating=rating_a, action=A.APPROVE,
                                   expected_version=rating_a.version, scores=sheet(), today=today())
    assert caught.value.code == "stale"
    assert len(heard) == 1


@pytest.mark.django_db
def test_a_public_objection_is_the_publics_in_the_history_and_nobodys_in_the_audit(world, rating_a, heard,
                                                                                  django_capture_on_commit_callbacks):
    rating = advance(world, rating_a, S.NOTICE)
    with django_capture_on_commit_callbacks(execute=True):
        services.objection_lodge(rating=rating, name="李四", contact="0817-1234567",
                                 reason="党组织近半年没有开展任何活动，材料不实。", ip=None,
                                 today=rating.notice_starts_on)
    event = rating.events.last()
    assert (event.action, event.actor, event.actor_name, event.comment, event.before) == (
        A.OBJECTION, None, "公众", "党组织近半年没有开展任何活动，材料不实。", None)
    audit = AuditLog.objects.filter(action="rating.objection", object_id=str(rating.pk)).get()
    assert (audit.actor, audit.note, audit.before, audit.after) == (None, "收到公示异议", None, None)
    assert heard[-1] == {"workflow": "rating", "action": A.OBJECTION, "from_status": S.NOTICE,
                         "to_status": S.NOTICE, "actor_id": None}
