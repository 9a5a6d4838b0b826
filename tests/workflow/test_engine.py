"""The mechanics of the workflow layer, tried on loan applications (the first workflow on it): the
announcement after commit and never after a rollback, a listener that fails, the version check, a
record that changes nothing others have open, and the lock's view check."""

import pytest

from finance.choices import LoanAction as A
from finance.choices import LoanStatus as S
from finance.models import LoanApplication, LoanEvent
from finance.services import loan_application_act
from finance.workflows import LOAN
from portal.errors import AccessDenied, DomainError
from portal.models import AuditLog
from tests.finance.conftest import product, quota_table, rated_a, submit  # noqa: F401  (fixtures)
from tests.ratings.conftest import cycle, org_a, rubric  # noqa: F401  (fixtures)
from workflow.signals import case_changed

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    calls = []

    def listener(sender, **kwargs):
        calls.append(kwargs)

    case_changed.connect(listener)
    yield calls
    case_changed.disconnect(listener)


def test_a_step_is_announced_once_after_its_commit_with_what_changed(world, quota_table, product, rated_a, heard,  # noqa: F811
                                                                     django_capture_on_commit_callbacks):
    application = submit(world, world.station, product)
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        loan_application_act(acting_user=world.bank_officer, application=application, action=A.ACCEPT)
    assert heard == []  # nothing before the commit
    for callback in waiting:
        callback()
    assert heard == [{"signal": case_changed, "workflow": "loan", "pk": application.pk, "action": A.ACCEPT,
                      "from_status": S.SUBMITTED, "to_status": S.ACCEPTED, "actor_id": world.bank_officer.pk}]


def test_a_refused_step_announces_nothing_and_writes_nothing(world, quota_table, product, rated_a, heard,  # noqa: F811
                                                             django_capture_on_commit_callbacks):
    application = submit(world, world.station, product)
    events = LoanEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        loan_application_act(acting_user=world.bank_officer, application=application, action=A.APPROVE)
    assert heard == []
    assert LoanEvent.objects.count() == events
    assert LoanApplication.objects.get(pk=application.pk).version == application.version


def test_a_failing_listener_never_undoes_or_breaks_the_step(world, quota_table, product, rated_a,  # noqa: F811
                                                            django_capture_on_commit_callbacks):
    def broken(sender, **kwargs):
        raise RuntimeError("listener down")

    case_changed.connect(broken)
    try:
        application = submit(world, world.station, product)
        with django_capture_on_commit_callbacks(execute=True):
            loan_application_act(acting_user=world.bank_officer, application=application, action=A.ACCEPT)
    finally:
        case_changed.disconnect(broken)
    assert LoanApplication.objects.get(pk=application.pk).status == S.ACCEPTED


@pytest.mark.parametrize("seen", [None, "", "v3"])
def test_a_required_version_that_is_missing_or_not_a_number_is_refused_at_its_field(world, quota_table, product, rated_a,  # noqa: F811
                                                                                    seen):
    application = submit(world, world.station, product)
    with pytest.raises(DomainError) as caught:
        LOAN.check_version(application, seen, required=True)
    assert (caught.value.code, caught.value.field) == ("stale", "version")
    LOAN.check_version(application, application.version, required=True)  # the current one passes
    if seen is None:
        LOAN.check_version(application, seen)  # and none at all, where it is optional


def test_a_record_that_changes_nothing_keeps_the_version_and_names_the_system(world, quota_table, product, rated_a):  # noqa: F811
    application = submit(world, world.station, product)
    event = LOAN.record(application, actor=None, action=A.SUBMIT, note="x" * 400, bump=False, save=False,
                        audit_after=False)
    assert LoanApplication.objects.get(pk=application.pk).version == application.version
    assert (event.actor_id, event.actor_name, len(event.note)) == (None, "system", 300)
    audit = AuditLog.objects.filter(action="loan.submit", object_id=str(application.pk)).order_by("-pk").first()
    assert audit.actor_id is None
    assert audit.after is None
    assert len(audit.note) == 400


def test_the_lock_refuses_a_user_who_may_not_see_the_case(world, quota_table, product, rated_a):  # noqa: F811
    application = submit(world, world.station, product)
    with pytest.raises(AccessDenied):
        LOAN.lock(world.enterprise_b_user, application)
    assert LOAN.lock(world.bank_officer, application).pk == application.pk
