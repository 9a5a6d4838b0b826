"""The pure part of the workflow layer: a graph's steps, refusals and the order it draws its states in,
on each of the portal's declared graphs and on a small one of the test's own."""

import pytest
from django.db import models

from finance import rules as loan_rules
from finance.choices import LoanAction, LoanStatus
from portal.choices import Role
from portal.rules import RuleError
from workflow.graph import Graph


class Door(models.TextChoices):
    SHUT = "shut", "关"
    OPEN = "open", "开"
    GONE = "gone", "拆除"


class Move(models.TextChoices):
    PUSH = "push", "推开"
    PULL = "pull", "拉上"
    OIL = "oil", "上油"
    TEAR = "tear", "拆"


DOOR = Graph(statuses=Door, actions=Move, refusal="门现在“%(s)s”，不能“%(a)s”。", initial=Door.SHUT,
             final=frozenset({Door.GONE}),
             transitions={(Door.SHUT, Move.PUSH): Door.OPEN, (Door.OPEN, Move.PULL): Door.SHUT,
                          (Door.SHUT, Move.OIL): Door.SHUT, (Door.OPEN, Move.TEAR): Door.GONE},
             actors={Move.TEAR: frozenset({Role.ORG_STAFF})})


def test_a_step_leads_where_it_is_declared_and_elsewhere_is_refused_naming_the_state_and_the_step():
    assert DOOR.next_status(Door.SHUT, Move.PUSH) == Door.OPEN
    with pytest.raises(RuleError) as caught:
        DOOR.next_status(Door.GONE, Move.PUSH)
    assert caught.value.message == "门现在“拆除”，不能“推开”。"


def test_the_steps_of_a_state_in_their_declared_order_and_who_may_take_them():
    assert DOOR.allowed_actions(Door.SHUT) == [Move.PUSH, Move.OIL]
    assert DOOR.allowed_actions(Door.GONE) == []
    assert DOOR.may_act(Role.ORG_STAFF, Move.TEAR)
    assert not DOOR.may_act(Role.TOWN_STAFF, Move.TEAR)
    assert DOOR.is_step(Move.OIL)
    assert not DOOR.is_step("kick")


def test_states_are_drawn_breadth_first_from_the_initial_one_and_edges_grouped_by_pair():
    assert DOOR.states() == [Door.SHUT, Door.OPEN, Door.GONE]
    assert DOOR.levels() == {Door.SHUT: 0, Door.OPEN: 1, Door.GONE: 2}
    assert (Door.SHUT, Door.SHUT, [Move.OIL]) in DOOR.edges()
    assert len(DOOR.edges()) == 4


def test_a_declaration_naming_an_unknown_state_or_step_fails_at_import_not_at_the_first_case():
    with pytest.raises(ValueError, match="unknown state or step"):
        Graph(statuses=Door, actions=Move, refusal="", initial=Door.SHUT, transitions={(Door.SHUT, "kick"): Door.OPEN})
    with pytest.raises(ValueError, match="initial or final"):
        Graph(statuses=Door, actions=Move, refusal="", initial="ajar", transitions={})


def test_the_loan_graph_keeps_its_rules_and_words():
    assert loan_rules.next_status(LoanStatus.SUBMITTED, LoanAction.ACCEPT) == LoanStatus.ACCEPTED
    assert loan_rules.allowed_actions(LoanStatus.APPROVED) == [LoanAction.DISBURSE]
    with pytest.raises(RuleError) as caught:
        loan_rules.next_status(LoanStatus.REPAID, LoanAction.APPROVE)
    assert caught.value.message == "申请当前为“已结清”，不能“审批通过”。"
    # every state a case can be in is reached from the first, or is where a case starts
    assert set(loan_rules.GRAPH.states()) == set(LoanStatus.values)
