"""Login lockout, idle timeout, production settings, health check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from tests.factories import TEST_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3!v9#pQ2@xZ7$wL5%mN8^rT1&yU4*oI6(aS0)dF_gH+jK=lB-cV[eR]tY{uW}"


def _production_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({"DJANGO_SETTINGS_MODULE": "portal.settings.production", "DJANGO_ALLOWED_HOSTS": "portal.example.cn",
                "PORTAL_PUBLIC_URL": "https://portal.example.cn"})
    env.update(extra)
    return env


def test_production_settings_pass_check_deploy_at_warning_level():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=_production_env(DJANGO_SECRET_KEY=STRONG_KEY), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("key", "message"),
    [("", "DJANGO_SECRET_KEY 未设置"), ("short", "DJANGO_SECRET_KEY 太短或太简单")],
)
def test_production_settings_refuse_to_start_without_a_real_secret_key(key, message):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=_production_env(DJANGO_SECRET_KEY=key),
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_login_locks_the_account_after_five_failures(world, client):
    url = reverse("login")
    for _ in range(5):
        response = client.post(url, {"username": "t_orgstaff", "password": "wrong-password"})
        assert response.status_code in (200, 429)
    # the right password no longer works for 15 minutes
    response = client.post(url, {"username": "t_orgstaff", "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "账号已临时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_with_the_right_password_succeeds_and_lands_home(world, client):
    response = client.post(reverse("login"), {"username": "t_orgstaff", "password": TEST_PASSWORD})
    assert (response.status_code, response["Location"]) == (302, reverse("home"))


def test_a_wrong_password_is_told_in_chinese(world, client):
    response = client.post(reverse("login"), {"username": "t_orgstaff", "password": "nope-nope-nope"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_sessions_expire_after_thirty_idle_minutes_and_are_renewed_by_activity():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_idle_session_is_logged_out(world, client):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.force_login(world.org_staff)
    assert client.get(reverse("enterprise_list")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("enterprise_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_password_validators_refuse_weak_passwords(world):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("12345678901", "password123", "t_orgstaff1"):
        with pytest.raises(ValidationError):
            validate_password(weak, user=world.org_staff)


def test_healthz_reports_database_and_redis(db, client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "down": [], "checks": {"database": "ok", "redis": "ok"}}


def test_healthz_names_redis_when_it_does_not_answer(db, client):
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0", CELERY_BROKER_URL="redis://127.0.0.1:1/0"):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "redis": "error: ConnectionError"}
    assert response.json()["down"] == ["redis"]


def test_admin_site_is_for_administrators_only(world, client):
    client.force_login(world.org_staff)
    assert client.get("/admin/").status_code == 302
    world.admin.is_staff = True
    world.admin.save()
    client.force_login(world.admin)
    assert client.get("/admin/").status_code == 200


def test_admin_cannot_change_or_delete_audit_rows(world, client):
    from django.contrib.auth.models import Permission

    from portal.audit import audit_record

    log = audit_record(actor=world.org_staff, action="test.event", obj=world.ent_a)
    world.admin.is_staff = True
    world.admin.save()
    world.admin.user_permissions.add(*Permission.objects.filter(codename__endswith="auditlog"))
    client.force_login(world.admin)
    assert client.get(f"/admin/portal/auditlog/{log.pk}/change/").status_code == 200
    assert client.post(f"/admin/portal/auditlog/{log.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"/admin/portal/auditlog/{log.pk}/change/", {"note": "x"}).status_code == 403
