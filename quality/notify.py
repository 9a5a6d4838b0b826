"""The one place this app tells people something: through the notification centre (notifications
.services.notification_create) when that app is installed, after the commit, so that a failure there
never undoes nor fails the survey or the follow-up. Titles and bodies are source texts (msgids)
filled in with `params`, so each reader sees them in its own language."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_noop

from portal.choices import Role

logger = logging.getLogger(__name__)

# The kinds of event, as the notification centre files them (each user chooses channels per kind).
SURVEY_ASKED = "survey_asked"
FOLLOWUP_OPENED = "followup_opened"
FOLLOWUP_CLOSED = "followup_closed"

# The demo writes past surveys and follow-ups; nobody is told of those (as no other app's demo tells).
_quiet: ContextVar[bool] = ContextVar("quality_notify_quiet", default=False)


@contextmanager
def quiet():
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def _users(**assignment) -> list:
    filters = {f"role_assignments__{k}": v for k, v in assignment.items()}
    return list(get_user_model().objects.filter(is_active=True, **filters).distinct().order_by("pk"))


def _send(*, recipients: list, kind: str, title: str, body: str, params: dict, url: str, case_pk: int) -> None:
    if not recipients or not apps.is_installed("notifications"):
        return
    from notifications.services import notification_create

    try:
        notification_create(recipients=recipients, kind=kind, title=title, body=body, params=params, url=url,
                            workflow="quality", case_pk=case_pk)
    except Exception:
        logger.exception("quality notification %s #%s not written", kind, case_pk)


def _after_commit(**message) -> None:
    if _quiet.get():
        return
    transaction.on_commit(lambda: _send(**message))


def survey_asked(survey) -> None:
    """The enterprise's users: a case has ended, how was the service?"""
    _after_commit(recipients=_users(role=Role.ENTERPRISE_USER, enterprise_id=survey.enterprise_id),
                  kind=SURVEY_ASKED, title=gettext_noop("请评价本次服务：%(case)s"),
                  body=gettext_noop("您的%(kind)s已办结，请在“待评价”中为服务打分（1 至 5 分）。"),
                  params={"case": survey.case_label, "kind": survey.get_workflow_display()},
                  url=reverse("quality:survey_detail", args=[survey.pk]), case_pk=survey.pk)


def followup_opened(followup) -> None:
    """The organization department: a low score waits for its follow-up."""
    survey = followup.survey
    _after_commit(recipients=_users(role=Role.ORG_STAFF), kind=FOLLOWUP_OPENED,
                  title=gettext_noop("新的回访整改：%(case)s（%(score)d 分）"),
                  body=gettext_noop("企业对%(kind)s的满意度为 %(score)d 分，请在期限内整改并答复。"),
                  params={"case": survey.case_label, "score": survey.score, "kind": survey.get_workflow_display()},
                  url=reverse("quality:followup_detail", args=[followup.pk]), case_pk=followup.pk)


def followup_closed(followup) -> None:
    """The enterprise's users: what was done about its complaint (the outcome is on its survey)."""
    survey = followup.survey
    _after_commit(recipients=_users(role=Role.ENTERPRISE_USER, enterprise_id=followup.enterprise_id),
                  kind=FOLLOWUP_CLOSED, title=gettext_noop("回访整改已办结：%(case)s"),
                  body=gettext_noop("组织部已就您的评价答复整改结果，请在满意度回访中查看。"),
                  params={"case": survey.case_label},
                  url=reverse("quality:survey_detail", args=[survey.pk]), case_pk=survey.pk)
