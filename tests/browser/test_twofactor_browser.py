"""In the browser: a new org staff member enrols on the first sign-in (reading the secret from the page
and computing the code as the phone app would), sees and downloads the recovery codes, signs out, signs
in again with a code from the app, and once more with a recovery code."""

import time
from base64 import b32decode

import pytest
from django_otp.oath import totp

from portal.choices import Role
from portal.models import AuditLog
from tests.factories import TEST_PASSWORD, user_with_role
from tests.twofactor.conftest import required  # noqa: F401  (fixture: the production requirement)

from .conftest import sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def password_step(page, live_server, username):  # noqa: F811
    if "/accounts/login/" not in page.url:
        page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("main form:has(#id_password) button")


def app_code(secret: str, steps: int = 0) -> str:
    """What the authenticator app shows, `steps` periods from now (a code works once: the sign-in after
    the enrolment, in the same half minute, takes the next one, which django-otp accepts)."""
    return f"{totp(b32decode(secret.replace(' ', '')), t0=-30 * steps):06d}"


def test_enrol_then_sign_in_with_a_code_and_with_a_recovery_code(live_server, page, required, tmp_path):  # noqa: F811
    user = user_with_role("t_new_org", Role.ORG_STAFF)
    # given a new org staff member signing in for the first time, on the way to the enterprises
    page.goto(f"{live_server.url}/enterprises/")
    page.wait_for_url("**/accounts/login/**")
    password_step(page, live_server, "t_new_org")
    # then the enrolment page asks for an authenticator, with a QR code drawn by the portal
    page.wait_for_url("**/accounts/two-factor/setup/?next=%2Fenterprises%2F")
    assert page.locator(".twofactor-qr svg").is_visible()
    assert page.locator("nav a.nav-link", has_text="市场主体").count() == 0  # nothing else offered yet
    secret = page.inner_text("#twofactor-secret")

    # when a wrong code is typed, the field says so
    page.fill("#id_code", f"{(int(app_code(secret)) + 1) % 1_000_000:06d}")
    page.click("button:has-text('确认绑定')")
    assert "验证码不正确" in page.inner_text("#id_code_error")
    # and with the app's code the authenticator is bound and the recovery codes are shown
    page.fill("#id_code", app_code(secret))
    page.click("button:has-text('确认绑定')")
    page.wait_for_url("**/accounts/two-factor/recovery-codes/**")
    codes = [c.strip() for c in page.locator("#recovery-codes li").all_inner_texts()]
    assert len(codes) == 10
    assert page.locator("button:has-text('打印')").is_visible()
    with page.expect_download() as download:
        page.click("a:has-text('下载文本文件')")
    saved = tmp_path / "codes.txt"
    download.value.save_as(saved)
    assert all(code in saved.read_text(encoding="utf-8") for code in codes)
    page.click("button:has-text('我已保存好恢复码，继续')")
    page.wait_for_url(f"{live_server.url}/enterprises/")

    # when the user signs out and in again, the code page asks for the app's code
    sign_out(page)
    password_step(page, live_server, "t_new_org")
    page.wait_for_url("**/accounts/two-factor/verify/**")
    page.fill("#id_code", app_code(secret, steps=1))
    page.click("main form:has(#id_code) button")
    page.wait_for_url(f"{live_server.url}/")

    # and once more with a recovery code, typed as printed
    sign_out(page)
    password_step(page, live_server, "t_new_org")
    page.wait_for_url("**/accounts/two-factor/verify/**")
    page.fill("#id_code", codes[0])
    page.click("main form:has(#id_code) button")
    page.wait_for_url(f"{live_server.url}/")
    assert "已使用一个恢复码，还剩 9 个。" in page.inner_text("main .alert")

    # the same recovery code does not open a third session
    sign_out(page)
    password_step(page, live_server, "t_new_org")
    page.wait_for_url("**/accounts/two-factor/verify/**")
    page.fill("#id_code", codes[0])
    page.click("main form:has(#id_code) button")
    assert "恢复码不正确，或已经用过" in page.inner_text("#id_code_error")
    time.sleep(1.1)  # django-otp's throttle after one wrong code
    page.fill("#id_code", codes[1])
    page.click("main form:has(#id_code) button")
    page.wait_for_url(f"{live_server.url}/")

    actions = list(AuditLog.objects.filter(object_id=str(user.pk), action__startswith="twofactor.")
                   .order_by("pk").values_list("action", flat=True))
    assert actions == ["twofactor.fail", "twofactor.enrol", "twofactor.verify", "twofactor.recovery_use",
                       "twofactor.fail", "twofactor.recovery_use"]
