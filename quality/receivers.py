"""The listener of workflow.signals.case_changed: a case that ended asks its enterprise (services
.survey_on_step). Runs after the step committed (the layer sends on commit, `send_robust`), so a
failure here is logged and can neither undo nor fail the step."""

from __future__ import annotations

import logging

from django.dispatch import receiver

from workflow.signals import case_changed

from . import services

logger = logging.getLogger(__name__)


@receiver(case_changed, dispatch_uid="quality.case_changed")
def on_case_changed(sender, *, workflow, pk, action, from_status="", to_status="", actor_id=None, **kwargs):
    try:
        services.survey_on_step(workflow=workflow, pk=pk, action=action, from_status=from_status or "",
                                to_status=to_status or "")
    except Exception:
        logger.exception("satisfaction survey for %s #%s %s not written", workflow, pk, action)
