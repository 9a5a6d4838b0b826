"""axe-core (from npm, node_modules/axe-core) run inside the page, and the pages of each role that the
accessibility test and scripts/a11y_report.py check. Plain Playwright: no Django here, so the report
script can use it against any running portal."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 level A and AA, the level GB/T 37668 asks of government service pages.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
IMPACTS = ("critical", "serious", "moderate", "minor")
BLOCKING = ("critical", "serious")

_RUN = """async tags => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                      targets: v.nodes.map(n => n.target.join(' '))}));
}"""


def axe_violations(page) -> list[dict]:
    """The WCAG 2.1 AA violations of the page as it stands: [{id, impact, help, targets}]."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(_RUN, AXE_TAGS)


def count_by_impact(violations: list[dict]) -> dict[str, int]:
    """Nodes per impact (a rule failing on three links counts three)."""
    counts = dict.fromkeys(IMPACTS, 0)
    for violation in violations:
        counts[violation["impact"] or "minor"] += len(violation["targets"])
    return counts


def describe(url: str, violations: list[dict]) -> str:
    """One line per violation: rule, impact, the elements (CSS selectors) and the page."""
    return "\n".join(f"{v['id']} ({v['impact']}) on {url}: {v['help']} — {', '.join(v['targets'][:8])}"
                     + (f" … and {len(v['targets']) - 8} more" if len(v["targets"]) > 8 else "")
                     for v in violations)


@dataclass(frozen=True)
class A11yPage:
    role: str  # the demo user's name ("" for a visitor who is not logged in)
    label: str
    path: str
    # a detail page is reached through the first link on `path` whose address matches this pattern
    follow: str = ""


PUBLIC = ""
PAGES = [
    A11yPage(PUBLIC, "公示", "/notice/"),
    A11yPage(PUBLIC, "公示详情", "/notice/", r"^/notice/\d+/$"),
    A11yPage(PUBLIC, "证明查验", "/verify/"),
    A11yPage("orgstaff", "首页", "/"),
    A11yPage("orgstaff", "市场主体", "/enterprises/"),
    A11yPage("orgstaff", "企业详情", "/enterprises/", r"^/enterprises/\d+/$"),
    A11yPage("orgstaff", "新增市场主体", "/enterprises/new/"),
    A11yPage("orgstaff", "星级评定", "/ratings/"),
    A11yPage("orgstaff", "评定列表", "/ratings/all/"),
    A11yPage("orgstaff", "联系领导", "/liaison/cadres/"),
    A11yPage("orgstaff", "问题诉求", "/liaison/appeals/"),
    A11yPage("orgstaff", "法律服务", "/liaison/legal/"),
    A11yPage("townstaff", "首页", "/"),
    A11yPage("townstaff", "镇街初评队列", "/ratings/queue/town/"),
    A11yPage("townstaff", "评定详情", "/ratings/all/", r"^/ratings/\d+/$"),
    A11yPage("townstaff", "增信查询", "/finance/eligibility/"),
    A11yPage("station", "首页", "/"),
    A11yPage("station", "服务台", "/finance/desk/"),
    A11yPage("station", "贷款申请", "/finance/applications/"),
    A11yPage("station", "新增贷款申请", "/finance/applications/new/"),
    A11yPage("station", "本站看板", "/reports/dashboard/station/"),
    A11yPage("bank", "首页", "/"),
    A11yPage("bank", "贷款申请", "/finance/applications/"),
    A11yPage("bank", "贷款申请详情", "/finance/applications/", r"^/finance/applications/\d+/$"),
    A11yPage("bank", "本行看板", "/reports/dashboard/bank/"),
    A11yPage("insurer", "首页", "/"),
    A11yPage("insurer", "保险优惠", "/insurance/"),
    A11yPage("insurer", "报价详情", "/insurance/", r"^/insurance/quotes/\d+/$"),
    A11yPage("insurer", "新增报价", "/insurance/quotes/new/"),
    A11yPage("enterprise", "首页", "/"),
    A11yPage("enterprise", "我的星级", "/ratings/mine/"),
    A11yPage("enterprise", "贷款申请", "/finance/applications/"),
    A11yPage("enterprise", "提出诉求", "/liaison/appeals/new/"),
    A11yPage("cadre", "首页", "/"),
    A11yPage("cadre", "我的联系企业", "/liaison/mine/"),
    A11yPage("cadre", "新增走访", "/liaison/visits/new/"),
    A11yPage("cadre", "诉求详情", "/liaison/appeals/", r"^/liaison/appeals/\d+/$"),
    A11yPage("leader", "首页", "/"),
    A11yPage("leader", "数据看板", "/reports/dashboard/"),
    A11yPage("leader", "结对覆盖", "/liaison/coverage/"),
    A11yPage("leader", "超期督办", "/liaison/appeals/queue/"),
    A11yPage("admin", "首页", "/"),
    A11yPage("admin", "审计日志", "/audit/"),
    A11yPage("admin", "金融服务站", "/stations/"),
]


def roles_in_order() -> list[str]:
    return list(dict.fromkeys(p.role for p in PAGES))


def open_page(page, base_url: str, entry: A11yPage) -> str:
    """Go to the entry's page (through its list for a detail page); the URL checked."""
    answered(page.goto(f"{base_url}{entry.path}"))
    if entry.follow:
        pattern = re.compile(entry.follow)
        hrefs = page.eval_on_selector_all("main a[href]", "links => links.map(a => a.getAttribute('href'))")
        target = next((h for h in hrefs if pattern.match(h)), None)
        if target is None:
            raise AssertionError(f"no link matching {entry.follow} on {base_url}{entry.path}")
        answered(page.goto(f"{base_url}{target}"))
    # the charts are drawn after load: check the page as the person sees it
    page.wait_for_function("() => [...document.querySelectorAll('[data-chart]')].every(c => c.querySelector('svg'))")
    return page.url


def answered(response) -> None:
    """A page that fails to answer is not checked silently: axe would pass an error page."""
    if response is None or not response.ok:
        raise AssertionError(f"{response.status if response else 'no answer'} on {response.url if response else ''}")


def sign_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main form:has(#id_password) button")
    page.wait_for_url(f"{base_url}/")
