"""Who may open each page of the second factor (tests/access.py runs the table)."""

import pytest

from tests.access import OWN_ACCOUNT, AccessCase, case_id, everyone, run_access_case, url_of, users

# Every signed-in user manages their own second factor; the pages act on the signed-in account only.
OPEN_TO_EVERY_ROLE = {
    "twofactor:security": OWN_ACCOUNT,
    "twofactor:setup": OWN_ACCOUNT,
    "twofactor:verify": OWN_ACCOUNT,
    "twofactor:recovery_codes": OWN_ACCOUNT,
    "twofactor:recovery_codes_download": OWN_ACCOUNT,
    "twofactor:recovery_regenerate": OWN_ACCOUNT,
    "twofactor:turn_off": OWN_ACCOUNT,
    "admin_login": "the admin site's login page leads everyone to the portal's login",
}

# Every page but the administrator's acts on the signed-in account alone: no other scope to try.
OWN = {"why_no_other_scope": OWN_ACCOUNT}

ALL_BUT_ADMIN = users("org_staff", "town_staff", "station", "bank_officer", "insurer_officer", "enterprise_user",
                      "cadre", "leader")

ACCESS_CASES = [
    AccessCase("twofactor:security", url_of("twofactor:security"), right=everyone, **OWN),
    AccessCase("twofactor:setup", url_of("twofactor:setup"), right=everyone, **OWN),
    # A wrong first code: the page again, with the message at the field.
    AccessCase("twofactor:setup", url_of("twofactor:setup"), right=everyone, method="post",
               data=lambda w: {"code": "000000"}, **OWN),
    # Without an authenticator the code page leads on to where the user was going.
    AccessCase("twofactor:verify", url_of("twofactor:verify"), right=everyone, ok=(200, 302),
               **OWN),
    AccessCase("twofactor:verify", url_of("twofactor:verify"), right=everyone, method="post", ok=(200, 302),
               data=lambda w: {"code": "000000"}, **OWN),
    # Without fresh recovery codes in the session, both lead to the account security page.
    AccessCase("twofactor:recovery_codes", url_of("twofactor:recovery_codes"), right=everyone, ok=(302,),
               **OWN),
    AccessCase("twofactor:recovery_codes", url_of("twofactor:recovery_codes"), right=everyone, method="post",
               ok=(302,), **OWN),
    AccessCase("twofactor:recovery_codes_download", url_of("twofactor:recovery_codes_download"), right=everyone,
               ok=(302,), **OWN),
    AccessCase("twofactor:recovery_regenerate", url_of("twofactor:recovery_regenerate"), right=everyone,
               ok=(302,), **OWN),
    AccessCase("twofactor:recovery_regenerate", url_of("twofactor:recovery_regenerate"), right=everyone,
               method="post", data=lambda w: {"regenerate-code": "000000"}, ok=(302,),
               **OWN),
    AccessCase("twofactor:turn_off", url_of("twofactor:turn_off"), right=everyone, ok=(302,),
               **OWN),
    AccessCase("twofactor:turn_off", url_of("twofactor:turn_off"), right=everyone, method="post",
               data=lambda w: {"turn_off-code": "000000"}, ok=(302,), **OWN),
    # The administrator's list and reset: the administrator role only.
    AccessCase("twofactor:account_list", url_of("twofactor:account_list"), right=users("admin"),
               wrong=ALL_BUT_ADMIN, marker=lambda w: "t_insurer2"),
    AccessCase("twofactor:reset", url_of("twofactor:reset", "bank_officer.pk"), right=users("admin"),
               wrong=ALL_BUT_ADMIN, refused=(403,)),
    AccessCase("twofactor:reset", url_of("twofactor:reset", "bank_officer.pk"), right=users("admin"),
               wrong=ALL_BUT_ADMIN, method="post", data=lambda w: {"reason": "手机丢失"}, ok=(302,),
               refused=(403,)),
    AccessCase("admin_login", lambda w: "/admin/login/?next=/admin/", right=everyone, ok=(302,),
               **OWN),
]


@pytest.mark.parametrize("case", ACCESS_CASES, ids=case_id)
def test_access(case, world):
    run_access_case(case, world)
