"""Fixtures of the notification tests: the finance world (policies, ent_a rated five stars), and a
step of a case run with its after-commit work (the signal, the outbox, the eager tasks) carried out."""

import pytest

from finance import services as loans
from tests.finance.conftest import product, quota_table, rated_a, submit  # noqa: F401  (fixtures)
from tests.ratings.conftest import cycle, org_a, rubric  # noqa: F401  (fixtures)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a callable as if its transaction committed: the callbacks it leaves (case_changed, the
    outbox's dispatch, and those they leave in turn) run before this returns."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


@pytest.fixture
def loan(world, quota_table, product, rated_a, committed):  # noqa: F811
    """ent_a's application to the bank, submitted by its station and accepted by the bank."""
    app = committed(submit, world, world.station, product, amount="1200000")
    return committed(loans.loan_application_act, acting_user=world.bank_officer, application=app, action="accept")


def approve(world, app, committed, amount="1000000"):
    return committed(loans.loan_application_act, acting_user=world.bank_officer, application=app, action="approve",
                     amount=amount)
