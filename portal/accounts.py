"""How a portal user is named to others: the person's name in Chinese order (family name first, no
space: 黄海涛), and in histories with the role they act in (王晓燕（组织部工作人员）), never the
account's username when the account has a name."""

from __future__ import annotations

import re

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .choices import Role
from .punctuation import parens, series

# The role as a history line names it: shorter than the role's full title in the account list.
ROLE_SHORT = {
    Role.ORG_STAFF: _("组织部工作人员"),
    Role.TOWN_STAFF: _("镇街工作人员"),
    Role.STATION_OPERATOR: _("服务站工作人员"),
    Role.BANK_OFFICER: _("银行客户经理"),
    Role.INSURER_OFFICER: _("保险公司业务员"),
    Role.ENTERPRISE_USER: _("企业用户"),
    Role.CADRE: _("联系领导"),
    Role.LEADER: _("市领导"),
    Role.ADMIN: _("系统管理员"),
}

_LATIN = re.compile(r"^[\x00-\x7f]*$")

# Actor names written by the system rather than a person (a public objection, a periodic task).
_SYSTEM_NAMES = {"system": _("系统"), "系统": _("系统"), "公众": _("公众")}


def display_name(user) -> str:
    """`黄海涛`: family name, then given name, no space. A name written in Latin letters keeps its
    own order (`Wei Zhang`); an account with no name shows its username."""
    if user is None:
        return ""
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    if first and last and _LATIN.match(first + last):
        return f"{first} {last}"
    return f"{last}{first}" or user.get_username()


def _assignments(user) -> list:
    from .access import _CACHE_ATTR

    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    # `prefetch_related("actor__role_assignments")` makes this free for a list of history rows.
    return list(user.role_assignments.all())


def role_names(user) -> list[str]:
    seen, names = set(), []
    for assignment in _assignments(user):
        if assignment.role not in seen:
            seen.add(assignment.role)
            names.append(str(ROLE_SHORT.get(assignment.role, assignment.get_role_display())))
    return names


def actor_label(user, fallback: str = "") -> str:
    """`王晓燕（镇街工作人员）`: who acted in a history, by name and role. Without an account (a
    public objection, a scheduled task) the name stored with the row, translated when it is the
    system's own."""
    if user is None:
        return str(_SYSTEM_NAMES.get(fallback, fallback)) if fallback else gettext("系统")
    roles = role_names(user)
    name = display_name(user)
    return f"{name}{parens(series(roles))}" if roles else name
