"""The demo accounts, one per role, all with the same published password, and the table of them."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db.models import Prefetch

from portal.choices import Role, StationLevel
from portal.models import RoleAssignment

from .context import SeedContext
from .enterprises import ensure_key_enterprise

DEMO_PASSWORD = "Demo-2026-portal"  # noqa: S105 - published on purpose: it is the demo's login
# The authenticator secret of every demo account whose role must pass the second factor (base32, as an
# authenticator app takes it): published on purpose, so that a reviewer can add it to an app, or read the
# current code with `manage.py demo_otp_code`. Never a real account's.
DEMO_TOTP_SECRET = "XINGHUPORTALDEMOTOTPSECRET234567"  # noqa: S105


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    last_name: str  # 姓
    first_name: str  # 名
    scope: str = ""  # how to find the scope on the context; see `account_scope`


DEMO_ACCOUNTS = (
    DemoAccount("admin", Role.ADMIN, "孙", "立伟"),
    DemoAccount("orgstaff", Role.ORG_STAFF, "王", "晓燕"),
    DemoAccount("townstaff", Role.TOWN_STAFF, "李", "明辉", "first_town"),
    DemoAccount("station", Role.STATION_OPERATOR, "陈", "静", "first_town_station"),
    DemoAccount("bank", Role.BANK_OFFICER, "张", "志强", "bank"),
    DemoAccount("bank2", Role.BANK_OFFICER, "刘", "洋", "bank2"),
    DemoAccount("insurer", Role.INSURER_OFFICER, "赵", "敏", "insurer"),
    DemoAccount("enterprise", Role.ENTERPRISE_USER, "黄", "海涛", "first_town_key_enterprise"),
    DemoAccount("cadre", Role.CADRE, "吴", "国平"),
    DemoAccount("leader", Role.LEADER, "杨", "建华"),
)
DEMO_USERNAMES = tuple(a.username for a in DEMO_ACCOUNTS)

# The administrator manages accounts and roles and reads the audit log through Django's admin site;
# model permissions, not superuser, so the admin sees nothing of the registry's business data.
ADMIN_PERMISSIONS = (
    ("auth", "user", ("add", "change", "view", "delete")),
    ("portal", "roleassignment", ("add", "change", "view", "delete")),
    ("portal", "auditlog", ("view",)),
    ("portal", "auditarchive", ("view",)),
    # Sign-in lockouts (django-axes): the home page counts the locked accounts, the admin unlocks one by
    # deleting its attempt record.
    ("axes", "accessattempt", ("view", "delete")),
)

# What an account with no scope object reaches, in words.
UNSCOPED = {
    Role.ORG_STAFF: "全市（全部登记数据）",
    Role.CADRE: "结对企业",
    Role.LEADER: "全市（看板只读）",
    Role.ADMIN: "账号、角色与审计日志",
}


def account_scope(ctx: SeedContext, name: str) -> dict:
    """The RoleAssignment scope field for a demo account."""
    if not name:
        return {}
    if name == "first_town":
        return {"region": ctx.first_town}
    if name == "first_town_station":
        station = next(s for s in ctx.stations if s.region_id == ctx.first_town.pk and s.level == StationLevel.TOWN)
        return {"station": station}
    if name == "bank":
        return {"institution": ctx.banks[0]}
    if name == "bank2":
        return {"institution": ctx.banks[-1]}
    if name == "insurer":
        return {"institution": ctx.insurers[0]}
    if name == "first_town_key_enterprise":
        enterprise = ensure_key_enterprise(ctx, ctx.first_town) or ctx.enterprises[0]
        return {"enterprise": enterprise}
    raise ValueError(f"unknown demo scope {name!r}")


def admin_permissions() -> list[Permission]:
    perms = []
    for app_label, model, actions in ADMIN_PERMISSIONS:
        for action in actions:
            perms.append(Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}"))
    return perms


def seed_accounts(ctx: SeedContext) -> None:
    user_model = get_user_model()
    # One hash for all ten: the password is published anyway, and hashing it ten times with the
    # production hasher costs seconds for nothing.
    password = make_password(DEMO_PASSWORD)
    for account in DEMO_ACCOUNTS:
        user = user_model.objects.create(
            username=account.username, password=password, first_name=account.first_name,
            last_name=account.last_name, is_staff=account.role == Role.ADMIN,
        )
        assignment = RoleAssignment(user=user, role=account.role, **account_scope(ctx, account.scope))
        assignment.full_clean()
        assignment.save()
        if account.role == Role.ADMIN:
            user.user_permissions.set(admin_permissions())
        ctx.users[account.username] = user
    ctx.count("演示账号", len(DEMO_ACCOUNTS))


# The table -------------------------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def scope_text(assignment: RoleAssignment) -> str:
    scope = assignment.scope
    if scope is None:
        return UNSCOPED.get(assignment.role, "—")
    if hasattr(scope, "full_name"):  # a region: 星湖市东湖镇
        return scope.full_name()
    return scope.name


def text_table(rows: list[tuple[str, ...]], *, header: bool = True) -> str:
    """Rows of text in aligned columns, counting a CJK character as two columns wide."""
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    if header:
        lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def summary_table(summary: list[tuple[str, int]]) -> str:
    """The counts the steps reported, one a line, numbers right-aligned."""
    rows = [(f"  {label}", f"{count:,}") for label, count in summary]
    width = max(_width(label) for label, _n in rows)
    number = max(len(n) for _label, n in rows)
    return "\n".join(f"{_pad(label, width)}  {n.rjust(number)}" for label, n in rows)


def demo_accounts_table() -> str:
    """The demo accounts that exist in the database, as a text table: username, name, role (in
    Chinese), scope, password. Reads the database, so it shows what is really there."""
    user_model = get_user_model()
    assignments = RoleAssignment.objects.select_related(
        "region__parent", "station", "institution", "enterprise"
    ).order_by("pk")
    users = {
        u.username: u
        for u in user_model.objects.filter(username__in=DEMO_USERNAMES).prefetch_related(
            Prefetch("role_assignments", queryset=assignments)
        )
    }
    codes = {username: second_factor_word(user) for username, user in users.items()}
    # The column of the second factor only where some account asks for a code (not where the settings
    # require it of nobody, as in the test suite).
    with_code = any(word != "—" for word in codes.values())
    rows = [("用户名", "姓名", "角色", "范围", "密码", *(("验证码",) if with_code else ()))]
    for account in DEMO_ACCOUNTS:
        user = users.get(account.username)
        if user is None:
            continue
        for assignment in user.role_assignments.all():
            rows.append((
                user.username, f"{user.last_name}{user.first_name}", str(assignment.get_role_display()),
                scope_text(assignment), DEMO_PASSWORD, *((codes[user.username],) if with_code else ()),
            ))
    if len(rows) == 1:
        return "（数据库中没有演示账号）"
    return text_table(rows)


def second_factor_word(user) -> str:
    """Whether the account's sign-in asks for a code after the password: "需要" (it has the demo
    authenticator), "首次登录时绑定" (its role requires one and it has none yet), or "—"."""
    from twofactor.selectors import authenticator_get, second_factor_required

    if authenticator_get(user) is not None:
        return "需要"
    if second_factor_required(user):
        return "首次登录时绑定"
    return "—"


def demo_second_factor_note() -> str:
    """The lines under the accounts table that tell how to pass the second factor, or "" when no demo
    account asks for a code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not TOTPDevice.objects.filter(user__username__in=DEMO_USERNAMES, confirmed=True).exists():
        return ""
    return "\n".join([
        "标为“需要”的账号登录时，密码之后还要输入 6 位验证码（第二重验证）：",
        f"  - 在手机验证器应用中手动添加密钥 {DEMO_TOTP_SECRET}（基于时间，6 位，30 秒），或",
        "  - 在命令行读取当前验证码：.venv/bin/python manage.py demo_otp_code",
    ])
