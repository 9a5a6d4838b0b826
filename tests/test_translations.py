"""The English catalogue: every Chinese string of the UI has an English translation, and the pages
really come out in English once a user picks it.

When a catalogue test fails after you added or changed a Chinese string:

    .venv/bin/python manage.py makemessages -l en --ignore=.venv --ignore=node_modules --ignore=var --no-obsolete
    # translate the entries listed by the test in locale/en/LC_MESSAGES/django.po;
    # remove "#, fuzzy" from an entry only once you have checked its translation
    .venv/bin/python manage.py compilemessages --ignore=.venv --ignore=node_modules

polib is not a dependency of the project, so the .po file is read by the small reader below."""

from __future__ import annotations

import ast
import datetime
import gettext
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from ratings.choices import RatingStatus
from tests.finance.conftest import fworld, product, product2, quota_table, rated_a, rated_b  # noqa: F401
from tests.insurance.conftest import iworld, products, rated, table  # noqa: F401  (fixtures, as above)
from tests.ratings.conftest import advance, cycle, org_a, org_b, rubric, rworld  # noqa: F401  (fixtures)

PO_FILE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")
FIX = ("translate it in locale/en/LC_MESSAGES/django.po (after makemessages, see this file's docstring), "
       "then run compilemessages")


# --- a small .po reader --------------------------------------------------------------------------------

@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)
    line: int = 0

    @property
    def where(self) -> str:
        return self.references[0] if self.references else f"django.po:{self.line}"


def read_po(path: Path) -> list[Entry]:
    """The live entries of a .po file (obsolete "#~" entries are left out), the header included."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int | None] | None = None

    def close():
        nonlocal entry, target
        if entry is not None and (entry.msgid or entry.msgstr):
            entries.append(entry)
        entry, target = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            close()
            continue
        if line.startswith("#~"):
            continue
        if entry is None or (target and target[0] == "msgstr" and line.startswith(("#", "msgctxt", "msgid"))):
            close()
            entry = Entry(line=number)
        if line.startswith("#,"):
            entry.flags.update(f.strip() for f in line[2:].split(",") if f.strip())
            continue
        if line.startswith("#:"):
            entry.references.extend(line[2:].split())
            continue
        if line.startswith("#"):
            continue
        keyword, _space, rest = line.partition(" ")
        if line.startswith('"'):
            keyword, rest = None, line
        if keyword is not None:
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if match:
                target = ("msgstr", int(match.group(1)))
            elif keyword in ("msgid", "msgid_plural", "msgctxt", "msgstr"):
                target = (keyword, 0 if keyword == "msgstr" else None)
            else:
                raise ValueError(f"django.po:{number}: unexpected line {raw!r}")
        if target is None:
            raise ValueError(f"django.po:{number}: text outside an entry {raw!r}")
        text = ast.literal_eval(rest)  # a C-style string literal: Python reads its escapes the same way
        name, index = target
        if name == "msgstr":
            entry.msgstr[index] = entry.msgstr.get(index, "") + text
        else:
            setattr(entry, name, (getattr(entry, name) or "") + text)
    close()
    return entries


def catalogue() -> list[Entry]:
    return [e for e in read_po(PO_FILE) if e.msgid]


def listing(entries: list[Entry]) -> str:
    return "\n".join(f"  {e.where}: {e.msgid!r}" for e in entries)


# --- the catalogue -------------------------------------------------------------------------------------

def test_the_reader_understands_the_catalogue():
    entries = read_po(PO_FILE)
    header = entries[0]
    assert header.msgid == ""
    assert "Language: en\n" in header.msgstr[0]
    assert "charset=UTF-8" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstr[0]
    assert len(entries) > 100


def test_no_entry_is_untranslated():
    missing = [e for e in catalogue() if not e.msgstr or not all(e.msgstr.values())]
    assert not missing, f"{len(missing)} string(s) have no English translation; {FIX}:\n{listing(missing)}"


def test_no_entry_is_fuzzy():
    fuzzy = [e for e in catalogue() if "fuzzy" in e.flags]
    assert not fuzzy, (f"{len(fuzzy)} translation(s) are marked fuzzy (a guess from a similar string, not used "
                       f"by Django); check and fix each, then remove its '#, fuzzy' line, and run compilemessages:\n"
                       f"{listing(fuzzy)}")


PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")


def test_translations_keep_the_placeholders():
    wrong = []
    for e in catalogue():
        if "python-format" not in e.flags:
            continue
        expected = sorted(PLACEHOLDER.findall(e.msgid))
        for text in e.msgstr.values():
            # A plural's singular form may leave the count out ("One branch"), never add a name.
            found = sorted(PLACEHOLDER.findall(text))
            if found != expected and not (e.msgid_plural and set(found) <= set(expected)):
                wrong.append(e)
    assert not wrong, f"translations whose %(name)s placeholders differ from the Chinese:\n{listing(wrong)}"


def test_the_compiled_catalogue_is_up_to_date():
    assert MO_FILE.exists(), "locale/en/LC_MESSAGES/django.mo is missing: run compilemessages (needs gettext)"
    with MO_FILE.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    stale = []
    for e in catalogue():
        if "fuzzy" in e.flags or not all(e.msgstr.values()):
            continue  # reported by the tests above; msgfmt leaves them out
        key = f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt is not None else e.msgid
        if e.msgid_plural is None:
            ok = compiled.get(key) == e.msgstr[0]
        else:
            ok = all(compiled.get((key, n)) == text for n, text in e.msgstr.items())
        if not ok:
            stale.append(e)
    assert not stale, f"django.mo does not match django.po: run compilemessages. Differing:\n{listing(stale)}"


# --- the pages in English ------------------------------------------------------------------------------

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
# Chinese that is meant to stay: the language switcher names Chinese in Chinese.
CHINESE_ON_PURPOSE = {"简体中文"}


def stored_texts() -> list[str]:
    """Every text value in the database: names of organizations, enterprises, regions, rubric items,
    products, pairings and the like are data, and stay as entered whatever the UI language."""
    values = []
    for model in apps.get_models():
        if model._meta.app_label not in ("portal", "ratings", "finance", "insurance"):
            continue
        names = [f.attname for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField))]
        if names:
            for row in model.objects.values_list(*names):
                values.extend(v for v in row if v)
    return values


def is_data(run: str, data: list[str]) -> bool:
    """Part of one stored value, or stored values side by side (a region's full name joins its
    ancestors' names)."""
    if any(run in value for value in data):
        return True
    whole = {w for value in data for w in HAN.findall(value)}
    reachable = {0}  # positions of `run` reached by whole stored values laid end to end
    for start in range(len(run)):
        if start in reachable:
            reachable.update(start + len(w) for w in whole if run.startswith(w, start))
    return len(run) in reachable


def untranslated_chinese(page: str, data: list[str]) -> set[str]:
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    runs = set(HAN.findall(page)) - CHINESE_ON_PURPOSE
    return {run for run in runs if not is_data(run, data)}


def get_in_english(client, url: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Language"] == "en", url
    return html.unescape(response.content.decode())


@pytest.fixture
def under_notice(rworld):  # noqa: F811
    """rworld's rating waiting for the town, walked on to a public notice that runs today."""
    w = rworld
    w.rating_t = advance(w, w.rating_t, RatingStatus.NOTICE, self_user=w.ent_t_user,
                         today_=timezone.localdate() + datetime.timedelta(days=10))
    return w


def test_the_public_notice_is_in_english_with_the_language_cookie(client, under_notice):
    w = under_notice
    page = get_in_english(client, reverse("public:notice"))
    assert "Public notice: star ratings of Party organizations in private enterprises" in page
    assert "非公企业党组织星级评定结果公示" not in page
    assert "Lodge an objection" in page
    assert "提出异议" not in page
    assert w.rating_t.organization.name in page  # the data stays as entered
    assert not untranslated_chinese(page, stored_texts())

    page = get_in_english(client, reverse("public:notice_detail", args=[w.rating_t.pk]))
    assert "Proposed stars" in page
    assert "拟定星级" not in page
    assert "Grounds for objection" in page
    assert "异议理由" not in page
    assert not untranslated_chinese(page, stored_texts())


def test_without_the_cookie_the_public_notice_stays_chinese(client, under_notice):
    page = client.get(reverse("public:notice")).content.decode()
    assert "非公企业党组织星级评定结果公示" in page
    assert "Public notice: star ratings" not in page


def test_the_staff_rating_pages_are_in_english(client, under_notice):
    w = under_notice
    client.force_login(w.org_staff)
    expected = {
        reverse("ratings:home"): [("Overdue reviews", "审核逾期"), ("The two coverages", "两个覆盖")],
        reverse("ratings:list"): [("All ratings", "全部评定"), ("Awaiting town review", "待镇街初评")],
        reverse("ratings:detail", args=[w.rating_n.pk]): [("Score breakdown", "评分明细"),
                                                         ("Organization department review", "组织部复核"),
                                                         ("Objection upheld; return for review", "异议成立")],
        reverse("ratings:organization_list"): [("New Party organization", "新建党组织")],
        reverse("ratings:organization_detail", args=[w.org_a.pk]): [("Covered enterprises (incl. history)",
                                                                    "覆盖企业")],
        reverse("ratings:coverage"): [("Organizational coverage rate", "组织覆盖率")],
        reverse("ratings:cycle_detail", args=[w.cycle.pk]): [("Count by stage", "各环节数量")],
        reverse("ratings:rubric_detail", args=[w.rubric.pk]): [("Thresholds", "分数线"), ("Veto items", "一票否决项")],
        reverse("ratings:publish_due"): [("Notice ended, awaiting publication", "公示期满待命名")],
        reverse("home"): [("Star rating", "星级评定")],
    }
    data = stored_texts()
    for url, pairs in expected.items():
        page = get_in_english(client, url)
        for english, chinese in pairs:
            assert english in page, (url, english)
            assert chinese not in page, (url, chinese)
        assert not untranslated_chinese(page, data), url


def test_the_enterprise_rating_pages_are_in_english(client, rworld):  # noqa: F811
    w = rworld
    client.force_login(w.enterprise_b_user)
    data = stored_texts()
    page = get_in_english(client, reverse("ratings:mine"))
    assert "My star rating" in page
    assert "我的星级" not in page
    assert "In self-assessment" in page
    assert "自评中" not in page
    assert not untranslated_chinese(page, data)
    page = get_in_english(client, reverse("ratings:score", args=[w.rating_b.pk]))
    assert "Submit self-assessment" in page
    assert "提交自评" not in page
    assert "Deduction note" in page
    assert "扣分说明" not in page
    assert not untranslated_chinese(page, data)


def check_pages_in_english(client, expected: dict[str, tuple[object, list[tuple[str, str]]]]):
    """Each page, fetched by its user with the language cookie, has the English and not the Chinese."""
    data = stored_texts()
    for url, (user, pairs) in expected.items():
        client.force_login(user)
        page = get_in_english(client, url)
        for english, chinese in pairs:
            assert english in page, (url, english)
            assert chinese not in page, (url, chinese)
        assert not untranslated_chinese(page, data), (url, untranslated_chinese(page, data))


def test_the_finance_pages_are_in_english(client, fworld):  # noqa: F811
    w = fworld
    lookup = reverse("finance:lookup")
    check_pages_in_english(client, {
        f"{lookup}?q={w.ent_a.uscc}": (w.bank_officer, [
            ("Party-building credit enhancement lookup", "党建增信查询"),
            ("Party-building credit enhancement loan quota (yuan)", "党建增信贷款额度"), ("Available", "可用")]),
        f"{lookup}?q={w.ent_park.uscc}": (w.bank_officer, [("Not eligible at present", "暂不符合条件")]),
        reverse("finance:application_list"): (w.org_staff, [
            ("Loan applications", "贷款申请"), ("Amount applied for", "申请金额"), ("Accepted by bank", "银行已受理")]),
        reverse("finance:application_detail", args=[w.app_b.pk]): (w.bank2_officer, [
            ("Approve", "审批通过"), ("Reason for rejection", "不予批准原因"), ("Processing history", "办理记录")]),
        reverse("finance:desk"): (w.station, [("One-stop desk", "一站式服务台"), ("Actionable first", "可办理的优先"),
                                              ("Not yet applied", "尚未申请")]),
        reverse("finance:policies"): (w.org_staff, [
            ("Credit quota tables (by stars)", "授信额度标准"), ("New loan product", "新增贷款产品")]),
    })


@pytest.fixture
def paired(world):
    """`world` with a village and a park paired with banks, an activity, and a cadre exchange under way."""
    from finance.choices import ExchangeDirection
    from finance.services import cobuilding

    w = world
    day = datetime.date
    w.pair = cobuilding.pair_create(acting_user=w.org_staff, bank=w.bank, region=w.village_a,
                                    started_on=day(2021, 3, 1), note="支部联建、整村授信")
    cobuilding.activity_add(acting_user=w.org_staff, pair=w.pair, held_on=day(2022, 6, 18), title="金融知识进村",
                            participants=40)
    cobuilding.pair_create(acting_user=w.org_staff, bank=w.bank2, park=w.park, started_on=day(2020, 5, 1))
    today = timezone.localdate()
    cobuilding.exchange_create(acting_user=w.org_staff, person_name="周明远", direction=ExchangeDirection.TO_BANK,
                               organ="星湖市财政局", bank=w.bank, post="普惠金融部副经理",
                               started_on=today - datetime.timedelta(days=100),
                               ended_on=today + datetime.timedelta(days=265))
    return w


def test_the_cobuilding_pages_are_in_english(client, paired):
    from finance.views.cobuilding import url_name

    w = paired
    check_pages_in_english(client, {
        reverse(url_name("cobuilding_overview")): (w.org_staff, [
            ("Co-building pairings", "结对共建"), ("Cadre exchanges", "干部互派互挂"),
            ("Government cadre seconded to a bank", "机关干部到银行挂职")]),
        reverse(url_name("cobuilding_pair_detail"), args=[w.pair.pk]): (w.org_staff, [
            ("Co-building activities", "共建活动"), ("End pairing", "结束结对")]),
    })


def test_the_insurance_pages_are_in_english(client, iworld):  # noqa: F811
    w = iworld
    check_pages_in_english(client, {
        reverse("insurance:quote_list"): (w.org_staff, [("Net premium", "优惠后保费"), ("Quote channel", "报价渠道")]),
        reverse("insurance:quote_detail", args=[w.quote_a.pk]): (w.insurer_officer, [
            ("Issue policy", "出具保单"), ("Stars when quoted", "报价时星级")]),
        reverse("insurance:policy_list"): (w.org_staff, [("Total premiums collected (yuan)", "实收保费合计")]),
        reverse("insurance:product_list"): (w.org_staff, [("Group accident insurance", "团体意外险")]),
        reverse("insurance:discount_table_list"): (w.org_staff, [("Premium discount tables", "保费优惠标准")]),
    })
