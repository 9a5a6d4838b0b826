"""The demo data seeded once for a test module (its tests read it, none writes), flushed after it; and
the demo's users by name."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from portal.demo import seed_demo


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ctx = seed_demo(log=lambda message: None)
    yield ctx
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


def user(name):
    return get_user_model().objects.get(username=name)
