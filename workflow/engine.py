"""The mechanics every case's step shares, written once: lock the case's row, refuse a user who may
not see it, refuse a form made from an older version ("stale"), refuse a step the state does not
allow, then move the state, bump the version, write the history row (who, when, from, to, note) and
the audit row, and tell whoever listens once the transaction has committed (workflow.signals).

Each app declares its workflow (`Workflow(...)` in its `workflows` module) over its pure graph
(workflow.graph, in the app's rules) and keeps its own rules: who may act over which cases, what a
step requires and what it changes. The apps' services call `Workflow.transition` for an ordinary
step, or the parts (`lock`, `check_version`, `next_status`, `record`) where a step does more."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from portal.access import VIEW
from portal.accounts import display_name
from portal.audit import audit_record, snapshot
from portal.errors import AccessDenied, DomainError
from portal.rules import RuleError

from . import limits, steps
from .graph import Graph
from .signals import case_changed


@dataclass(frozen=True)
class Workflow:
    """One kind of case bound to its model. `event_model` is its history table, `event_parent` the
    history row's foreign key to the case, `note_field`/`note_max` where the note goes. `stale`: the
    refusal of a stale form, with `%(s)s` for the case's state now. `system_name`: the history's
    name for a step nobody took (a nightly task). `waiting`: the states in which the case waits on a
    person, and on whom (the service-time limits count there)."""

    key: str
    label: Any
    graph: Graph
    model: type
    event_model: type
    event_parent: str
    audit_prefix: str
    stale: Any
    note_field: str = "note"
    note_max: int = 300
    system_name: str = "system"
    waiting: Mapping[str, Any] = field(default_factory=dict)

    # --- the parts ---------------------------------------------------------------------------------

    def lock(self, acting_user, case, *, related: tuple[str, ...] = (), of: tuple[str, ...] = ()):
        """The case's row, locked until the transaction ends (two people acting at once take turns);
        AccessDenied when it is gone or the user may not see it."""
        rows = self.model.objects.select_for_update(of=of) if of else self.model.objects.select_for_update()
        locked = (rows.select_related(*related) if related else rows).filter(pk=case.pk).first()
        if locked is None or not self.model.objects.restrict(acting_user, VIEW).filter(pk=locked.pk).exists():
            raise AccessDenied()
        return locked

    def check_version(self, locked, expected, *, required: bool = False) -> None:
        """Refuse a step taken on a form made from an older version of the case: someone else acted
        in between, and applying it would overwrite what they did without either knowing."""
        if expected is None or expected == "":
            if required:
                raise DomainError(_("缺少版本号，请刷新页面后重试。"), field="version", code="stale")
            return
        try:
            seen = int(expected)
        except (TypeError, ValueError):
            raise DomainError(_("缺少版本号，请刷新页面后重试。"), field="version", code="stale") from None
        if seen != locked.version:
            raise DomainError(self.stale % {"s": locked.get_status_display()}, code="stale")

    def next_status(self, locked, action: str, *, field: str | None = None) -> str:
        """The state the step leads to; a step the state does not allow is refused ("not_allowed")."""
        try:
            return self.graph.next_status(locked.status, action)
        except RuleError as error:
            raise DomainError(error.message, field=field, code="not_allowed") from None

    def record(self, locked, *, actor, action: str, from_status: str | None = None, note: str = "",
               before: dict | None = None, audit_note: str | None = None, audit_after: bool = True, bump: bool = True,
               save: bool = True, history: dict | None = None, **event_fields):
        """After a step: set the due date (`set_due`), bump the version and save (unless told not to: a
        case just created, a note that changes nothing others have open), write the history row and the audit row (with the
        case as it is now, unless `audit_after` is false), and announce the step once the transaction
        commits. `history`: fields of the history row whose names `record` uses itself (a rating's
        history keeps its own `before`, the result before the step). Returns the history row."""
        from_status = locked.status if from_status is None else from_status
        clocked = self.set_due(locked, from_status=from_status, action=action)
        if bump:
            locked.version += 1
        if save:
            locked.save()
        elif clocked:
            self.model.objects.filter(pk=locked.pk).update(due_on=locked.due_on, clock_days_left=locked.clock_days_left)
        steps.track(self, locked, from_status=from_status, due_changed=clocked)
        actor_user = actor if getattr(actor, "is_authenticated", False) else None
        note = note or ""
        event = self.event_model.objects.create(**{
            self.event_parent: locked, "action": action, "from_status": from_status, "to_status": locked.status,
            self.note_field: note[:self.note_max], "actor": actor_user,
            "actor_name": display_name(actor_user) if actor_user else self.system_name, **event_fields, **(history or {})})
        audit_record(actor=actor_user, action=f"{self.audit_prefix}.{action}", obj=locked,
                     before=before, after=snapshot(locked) if audit_after else None,
                     note=(note if audit_note is None else audit_note)[:500])
        self.announce(locked, action=action, from_status=from_status, actor=actor_user)
        return event

    def set_due(self, locked, *, from_status: str, action: str) -> bool:
        """Give the case the due date of the state it is in now (workflow.limits: the step's limit in
        force, a paused clock resumed, none where nobody is waiting), when its state changed or a
        hand-set deadline may have; whether anything changed. A model without `due_on` has no clock."""
        if not hasattr(locked, "due_on"):
            return False
        if from_status == locked.status and self.key not in limits.HAND_DEADLINE:
            return False
        before = (locked.due_on, dict(locked.clock_days_left or {}))
        limits.step_clock(self, locked, from_status=from_status, action=action)
        return (locked.due_on, locked.clock_days_left) != before

    def announce(self, case, *, action: str, from_status: str, actor=None) -> None:
        """Send `case_changed` after the commit: a listener (a notification, a recount) never sees a
        step that was rolled back, and its failure cannot undo the step."""
        key, pk, to_status, actor_id = self.key, case.pk, case.status, getattr(actor, "pk", None)
        transaction.on_commit(lambda: case_changed.send_robust(
            sender=self.model, workflow=key, pk=pk, action=action, from_status=from_status, to_status=to_status,
            actor_id=actor_id))

    # --- an ordinary step, whole ---------------------------------------------------------------

    def transition(self, *, acting_user, case, action: str, expected_version=None, version_required: bool = False,
                   may_act: Callable[[Any, Any, str], bool], refused: Callable[[str], Any],
                   apply: Callable[[Any, str], dict] | None = None, note: str = "",
                   related: tuple[str, ...] = (), reason_field: str | None = None):
        """Lock; refuse what the user may not see, an unknown step, a user who may not take it
        (`may_act(user, locked, action)`; the message `refused(action)`), a stale form, a step the state
        does not allow. Then `apply(locked, to_status)` checks what the step needs and changes the
        case (raising DomainError leaves nothing written; it returns the history row's extra fields,
        with "note" and "audit_note" if it rewords them), and the step is recorded."""
        locked = self.lock(acting_user, case, related=related)
        if not self.graph.is_step(action):
            raise DomainError(_("未知的操作“%(a)s”。") % {"a": action}, code="unknown_action")
        if not may_act(acting_user, locked, action):
            raise AccessDenied(refused(action))
        self.check_version(locked, expected_version, required=version_required)
        from_status = locked.status
        to_status = self.next_status(locked, action, field=reason_field)
        before = snapshot(locked)
        extra = dict(apply(locked, to_status) or {}) if apply is not None else {}
        event_note = extra.pop("note", note)
        audit_note = extra.pop("audit_note", None)
        locked.status = to_status
        self.record(locked, actor=acting_user, action=action, from_status=from_status, note=event_note,
                    before=before, audit_note=audit_note, **extra)
        return locked
