"""The second factor's settings are checked at start: a mistyped role is an error (it would silently go
without the second factor), administrators and staff without it are a deployment warning."""

from django.core import checks

from twofactor.checks import check_administrators_required, check_required_roles


def _ids(messages):
    return [m.id for m in messages]


def test_a_mistyped_role_stops_the_start(settings):
    settings.PORTAL_SECOND_FACTOR_ROLES = ["admin", "bank_oficer"]
    messages = check_required_roles()
    assert _ids(messages) == ["twofactor.E001"]
    assert messages[0].level == checks.ERROR
    assert "bank_oficer" in messages[0].msg


def test_the_production_defaults_pass(settings):
    settings.PORTAL_SECOND_FACTOR_ROLES = ["admin", "bank_officer", "insurer_officer", "org_staff"]
    settings.PORTAL_SECOND_FACTOR_FOR_STAFF = True
    assert check_required_roles() == []
    assert check_administrators_required() == []


def test_administrators_or_staff_without_it_are_a_deployment_warning(settings):
    settings.PORTAL_SECOND_FACTOR_ROLES = ["org_staff"]
    settings.PORTAL_SECOND_FACTOR_FOR_STAFF = False
    assert _ids(check_administrators_required()) == ["twofactor.W001", "twofactor.W002"]


def test_the_environment_cannot_take_the_administrator_off_the_list(monkeypatch):
    # portal/settings/base.py reads the list from the environment and keeps "admin" in it
    import importlib

    import portal.settings.base as base

    monkeypatch.setenv("PORTAL_SECOND_FACTOR_ROLES", "org_staff,bank_officer")
    try:
        reloaded = importlib.reload(base)
        assert reloaded.PORTAL_SECOND_FACTOR_ROLES == ["admin", "bank_officer", "org_staff"]
    finally:
        monkeypatch.delenv("PORTAL_SECOND_FACTOR_ROLES")
        importlib.reload(base)
