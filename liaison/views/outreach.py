"""Pages of outreach: the legal service centre (outreach_legal.py), policy notices (outreach_notices.py),
care activities and mentoring (outreach_care.py). This module holds what they share and what the
part plugs into the portal: menu entries, the enterprise tab "法律与关爱" and the home card."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from portal.access import VIEW, can
from portal.views.base import RoleRequiredMixin

TEMPLATES = "liaison/outreach/"


class OutreachMixin(RoleRequiredMixin):
    def render(self, template: str, context: dict, status: int = 200):
        return render(self.request, TEMPLATES + template, context, status=status)


def _can(model_name: str):
    def check(user):
        from django.apps import apps

        return can(user, apps.get_model("liaison", model_name), VIEW)

    return check


def enterprise_outreach_tab(request, enterprise) -> dict | None:
    """The enterprise page's "法律与关爱" tab: its consultations, the notices reaching it (read or
    not) and the care activities it benefited from; each part only for those who may see it."""
    from ..models import CareActivity, Consultation, PolicyNotice
    from ..selectors import outreach as selectors

    user = request.user
    see_consultations, see_notices, see_care = (can(user, m, VIEW) for m in (Consultation, PolicyNotice, CareActivity))
    if not (see_consultations or see_notices or see_care):
        return None
    return {
        "outreach_consultations": selectors.consultation_list(user=user).filter(enterprise=enterprise)[:20]
        if see_consultations else None,
        "outreach_notices": list(selectors.enterprise_notices(user=user, enterprise=enterprise)[:20])
        if see_notices else None,
        "outreach_care": selectors.enterprise_care(user=user, enterprise=enterprise)[:20] if see_care else None,
    }


def notice_home_card(request) -> dict | None:
    """For an enterprise user: the notices reaching its enterprise, unread first, with a "new" badge."""
    from ..selectors import outreach as selectors

    enterprises = selectors.own_enterprises(request.user)
    if not enterprises:
        return None
    enterprise = enterprises[0]
    notices = selectors.enterprise_notices(user=request.user, enterprise=enterprise)
    return {"notices": list(notices[:6]), "unread": notices.filter(is_read=False).count()}


def register() -> None:
    """Menu entries, enterprise tabs and home cards of this part (called from LiaisonConfig.ready).
    Calling it again adds nothing."""
    from portal.navigation import MENU, MenuEntry
    from portal.views.registry import ENTERPRISE_TABS, HOME_CARDS

    entries = [
        MenuEntry(_("法律服务"), "liaison:legal_overview", "briefcase", _can("Lawyer"), group="liaison"),
        MenuEntry(_("政策通知"), "liaison:notice_list", "megaphone", _can("PolicyNotice"), group="liaison"),
        MenuEntry(_("关心关爱"), "liaison:care_list", "heart", _can("CareActivity"), group="liaison"),
        MenuEntry(_("青蓝交接"), "liaison:mentoring_list", "person-hearts", _can("MentoringPair"), group="liaison"),
    ]
    known = {entry.url_name for entry in MENU}
    MENU.extend(entry for entry in entries if entry.url_name not in known)
    if not any(tab[0] == "outreach" for tab in ENTERPRISE_TABS):
        ENTERPRISE_TABS.append(("outreach", _("法律与关爱"), TEMPLATES + "enterprise_tab.html", enterprise_outreach_tab))
    if not any(card[0] == TEMPLATES + "home_card.html" for card in HOME_CARDS):
        HOME_CARDS.append((TEMPLATES + "home_card.html", notice_home_card))
