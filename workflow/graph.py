"""A workflow's states and steps as plain data: which step leads from which state to which, who may
take it, and the refusal a step out of place gets. Pure: no ORM, so each app's rules module declares
its graph and tests it without a database; workflow.engine binds a graph to a model.

Each of the four workflows (a rating, a loan application, a talent benefit application, an appeal)
declared these tables and wrote the same three functions over them; here they are written once."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from portal.rules import RuleError


@dataclass(frozen=True)
class Graph:
    """`transitions` maps (state, step) to the state after it. `actors` maps a step to the roles that
    may take it (the app still checks *over what*: its own scope rules). `refusal` is the message of
    a step not allowed in a state, with `%(s)s` for the state and `%(a)s` for the step; `verb` words
    the step for it (its label by default). `initial`: the state a new case starts in; `final`: the
    states a case ends in (nothing waits on anyone there)."""

    statuses: type
    actions: type
    transitions: Mapping[tuple[str, str], str]
    refusal: str
    initial: str
    final: frozenset[str] = frozenset()
    actors: Mapping[str, frozenset[str]] = field(default_factory=dict)
    verb: Callable[[str], str] | None = None

    def __post_init__(self):
        states = set(self.statuses.values)
        for (source, step), target in self.transitions.items():
            if source not in states or target not in states or step not in self.actions.values:
                raise ValueError(f"{self.statuses.__name__}: unknown state or step in {(source, step)} → {target}")
        if self.initial not in states or not self.final <= states:
            raise ValueError(f"{self.statuses.__name__}: unknown initial or final state")

    # --- the questions every workflow asks ------------------------------------------------------

    def next_status(self, status: str, action: str) -> str:
        """The state after `action` in `status`, or a RuleError naming the state and the step."""
        try:
            return self.transitions[(status, action)]
        except KeyError:
            raise RuleError(self.refusal % {"s": self.status_label(status), "a": self.action_text(action)}) from None

    def allowed_actions(self, status: str) -> list[str]:
        return [action for (source, action) in self.transitions if source == status]

    def may_act(self, role: str, action: str) -> bool:
        return role in self.actors.get(action, frozenset())

    def is_step(self, action: str) -> bool:
        return any(action == step for (_source, step) in self.transitions)

    # --- what the diagram and the documentation draw ---------------------------------------------

    def status_label(self, status: str) -> str:
        try:
            return str(self.statuses(status).label)
        except ValueError:
            return status

    def action_text(self, action: str) -> str:
        if self.verb is not None:
            return str(self.verb(action))
        try:
            return str(self.actions(action).label)
        except ValueError:
            return action

    def states(self) -> list[str]:
        """Every state, in the order a case meets them: breadth first from the initial state (a
        state reached by no step last, in the order of its choices)."""
        order, queue = [self.initial], [self.initial]
        while queue:
            source = queue.pop(0)
            for (state, _step), target in self.transitions.items():
                if state == source and target not in order:
                    order.append(target)
                    queue.append(target)
        return order + [s for s in self.statuses.values if s not in order]

    def levels(self) -> dict[str, int]:
        """Each state's distance in steps from the initial state (the diagram's rows)."""
        level = {self.initial: 0}
        queue = [self.initial]
        while queue:
            source = queue.pop(0)
            for (state, _step), target in self.transitions.items():
                if state == source and target not in level:
                    level[target] = level[source] + 1
                    queue.append(target)
        deepest = max(level.values(), default=0)
        return {s: level.get(s, deepest + 1) for s in self.states()}

    def edges(self) -> list[tuple[str, str, list[str]]]:
        """(from, to, steps) once per pair of states, the steps in their declared order."""
        grouped: dict[tuple[str, str], list[str]] = {}
        for (source, step), target in self.transitions.items():
            grouped.setdefault((source, target), []).append(step)
        return [(source, target, steps) for (source, target), steps in grouped.items()]

    def roles_of(self, action: str) -> Iterable[str]:
        return sorted(self.actors.get(action, frozenset()))
