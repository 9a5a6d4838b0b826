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
    """Every text value in the database: names of organizations, enterprises, regions, rubric items and
    the like are data, and stay as entered whatever the UI language."""
    values = []
    for model in apps.get_models():
        if model._meta.app_label not in ("portal", "ratings"):
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
