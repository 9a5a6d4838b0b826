"""Fixtures of the service-quality tests: cases of each kind brought to their end through their own
services (the loan and benefit worlds of the finance and talent tests, the appeals of the liaison
tests), and `ended`, which runs a step with the after-commit listeners as a request would."""

import pytest

from finance import services as finance
from quality.models import Survey
from talent import services as talent
from tests.finance.conftest import fworld, product, product2, quota_table, rated_a, rated_b  # noqa: F401
from tests.liaison.conftest import lworld  # noqa: F401
from tests.liaison.fixtures_appeals import aworld  # noqa: F401
from tests.ratings.conftest import cycle, org_a, org_b, rubric  # noqa: F401
from tests.talent.conftest import items, tw  # noqa: F401


@pytest.fixture
def ended(django_capture_on_commit_callbacks):
    """`ended(call, *args, **kwargs)`: the call, then what runs after its commit (the case_changed
    listeners); its result."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


def loan_step(w, application, action, **kwargs):
    application.refresh_from_db()
    return finance.loan_application_act(acting_user=w.bank_officer, application=application, action=action, **kwargs)


def benefit_step(w, application, action, **kwargs):
    application.refresh_from_db()
    return talent.benefit_application_act(acting_user=w.org_staff, application=application, action=action, **kwargs)


@pytest.fixture
def loan_survey(fworld, ended):  # noqa: F811
    """ent_a's application to the bank (registered by the station of 东湖镇), approved: its survey."""
    w = fworld
    loan_step(w, w.app_a, "accept")
    ended(loan_step, w, w.app_a, "approve", amount="1200000")
    w.survey = Survey.objects.get(workflow="loan", case_pk=w.app_a.pk)
    return w
