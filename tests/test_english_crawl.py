"""The whole portal in English: every page every role can reach, walked from its home page with the
language cookie set to English, shows no Chinese except the data (names, addresses, notes: whatever
is stored in the database stays as entered). Beside the walk, every string marked for translation in
the code and templates must have its English entry, and every choice, model, form and filter label
must come out in English, so that a page the walk does not reach is covered too.

One demo world, seeded once for the module (a small run of `seed_demo`: every app has rows in every
state), is walked by each demo account. A page's text is what a person sees or hears: text nodes,
the title/placeholder/aria-label/alt attributes, button captions, data- attributes and json_script
blocks (the texts the scripts show). The stored texts are cut out of it; any Chinese left is a
string someone forgot to translate, reported with the role, the URL and the text around it.

The walk follows links only (GET), one page per URL pattern and variant (a list, a detail page of
each kind, each tab, each queue), never logging out, switching language, exporting or downloading.
"""

from __future__ import annotations

import ast
import bisect
import importlib
import inspect
import io
import json
import pkgutil
import re
import time
import tokenize
from collections import defaultdict, deque
from dataclasses import dataclass, field
from functools import cache, cached_property
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit

import django_filters
import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models, transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import get_language_info
from django.utils.translation.template import templatize

from portal.imports.files import TEMPLATE_COLUMNS
from portal.imports.parsing import COLUMNS
from tests.test_translations import catalogue

pytestmark = pytest.mark.django_db

# Chinese characters, and the full-width punctuation that only Chinese text uses (（），：。、“”).
CHINESE = re.compile(r"[\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff1f\uff5b-\uff5e]")
CHINESE_RUN = re.compile(rf"(?:{CHINESE.pattern})+")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Chinese on purpose: the language switcher names Chinese in Chinese.
ON_PURPOSE = {get_language_info("zh-hans")["name_local"]}

APPS_WITH_DATA = ("auth", "portal", "ratings", "finance", "insurance", "talent", "liaison", "reports")
DEMO_ENTERPRISES = 150
ROLES = ("anonymous", "orgstaff", "townstaff", "station", "bank", "insurer", "enterprise", "cadre", "leader",
         "admin")
MAX_PAGES_PER_ROLE = 150
# The same route with other query parameters (a filter, a queue, a sort) is walked this many times.
VARIANTS_PER_ROUTE = 2

# Links that change the session, fetch a file or leave the HTML pages.
SKIPPED_URL_NAMES = {
    "logout", "set_language", "healthz", "import_template", "import_errors", "evidence_download",
    "appeal_attachment", "download", "person_unmask", "lawyer_unmask", "api_schema", "api_docs",
}
SKIPPED_QUERY = {"export", "download", "format"}
NO_SUCH_PAGE = "/no-such-page/"
# Forms not submitted wrongly on purpose: they start long jobs (a report, a certificate batch, an
# import), end the session, or confirm a deletion (the admin's asks no more than a click).
SKIPPED_FORMS = re.compile(r"/(reports/request|imports/upload|certificates|logout|i18n)/|/delete/$")


# --- what a page shows ---------------------------------------------------------------------------------

TEXT_ATTRIBUTES = {"title", "placeholder", "aria-label", "aria-description", "alt", "label", "summary"}
CAPTIONED_INPUTS = {"submit", "button", "reset"}


class VisibleText(HTMLParser):
    """The pieces of text a person meets on a page, each with where it was found."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.links: list[str] = []
        self.forms: list[tuple[str, dict]] = []  # (action, what a careless person would submit)
        self._form: dict | None = None
        self._select: str | None = None
        self._skip: str | None = None
        self._json: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and (attributes.get("type") or "").endswith("json"):
            self._json = []
            return
        if tag in ("script", "style"):
            self._skip = tag
            return
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        self._record_form(tag, attributes)
        for name, value in attrs:
            if not value:
                continue
            if name in TEXT_ATTRIBUTES or name.startswith("data-") or (
                    name == "value" and (tag == "button" or attributes.get("type") in CAPTIONED_INPUTS)):
                self.pieces.append(value)

    def _record_form(self, tag, attributes):
        """A POST form filled in wrongly: "x" in every text box (a bad date, amount or code, or a short
        text), nothing chosen in any list, hidden values (the version of the record) kept."""
        if tag == "form":
            self._form = None
            if (attributes.get("method") or "get").lower() == "post":
                self._form = {}
                self.forms.append((attributes.get("action") or "", self._form))
            return
        if self._form is None or not attributes.get("name"):
            return
        name, kind = attributes["name"], (attributes.get("type") or "text").lower()
        if tag == "input" and kind == "hidden":
            self._form[name] = attributes.get("value") or ""
        elif tag == "input" and kind in ("text", "number", "date", "email", "tel", "search", "url", "password"):
            self._form[name] = "x"
        elif tag == "textarea":
            self._form[name] = "x"
        elif tag == "select":
            self._form[name] = ""

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        if tag == "script" and self._json is not None:
            self.pieces.extend(json_strings(json.loads("".join(self._json) or "null")))
            self._json = None
        if tag == self._skip:
            self._skip = None

    def handle_data(self, data):
        if self._json is not None:
            self._json.append(data)
        elif self._skip is None and data.strip():
            self.pieces.append(data)


def json_strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in json_strings(k) + json_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in json_strings(v)]
    return []


def squeeze(text: str) -> str:
    return " ".join(text.split())


# The column headers of the enterprise import are Chinese in the file itself (that is what the city's
# spreadsheets carry), so the import pages in English name them as they must be written; elsewhere
# they are labels like any other.
FILE_FORMAT = {name for column in COLUMNS for name in (column.label, *column.synonyms)} | {
    header for _key, header, _text in TEMPLATE_COLUMNS} | {"注册资本（元）"}


# --- the data, which stays as entered ------------------------------------------------------------------

class StoredTexts:
    """Every Chinese text stored in the project's tables (char, text and JSON fields), indexed by its
    first two characters so that a page's text can be matched against thousands of them quickly."""

    def __init__(self, values: set[str]):
        self.values = values
        self.by_start: dict[str, list[str]] = defaultdict(list)
        for value in values:
            self.by_start[value[:2]].append(value)
        for bucket in self.by_start.values():
            bucket.sort(key=len, reverse=True)
        self._cache: dict[str, str] = {}

    @classmethod
    def from_database(cls) -> StoredTexts:
        values: set[str] = set()
        for model in apps.get_models():
            if model._meta.app_label not in APPS_WITH_DATA:
                continue
            text_fields = [f.attname for f in model._meta.concrete_fields
                           if isinstance(f, (models.CharField, models.TextField, models.JSONField))]
            if not text_fields:
                continue
            for row in model.objects.values_list(*text_fields).iterator(chunk_size=5000):
                for value in row:
                    for text in json_strings(value) if not isinstance(value, str) else [value]:
                        if CHINESE.search(text):
                            values.add(squeeze(text))
                            # A text kept with its line breaks is shown line by line.
                            values.update(squeeze(line) for line in text.splitlines() if CHINESE.search(line))
        values.discard("")
        return cls(values)

    @cached_property
    def with_file_format(self) -> StoredTexts:
        return StoredTexts(self.values | FILE_FORMAT)

    def for_page(self, url: str) -> StoredTexts:
        return self.with_file_format if urlsplit(url.removeprefix("POST ")).path.startswith("/imports/") else self

    @cached_property
    def _sorted(self) -> list[str]:
        return sorted(self.values)

    def cut_short(self, text: str, start: int, end: int) -> bool:
        """Whether text[start:end] ends a stored text cut short with "…" (truncatechars): the words
        before the ellipsis, back to the last blank, begin some stored text."""
        if not text.startswith(("…", "..."), end):
            return False
        head = text[:end].rsplit(" ", 1)[-1]
        at = bisect.bisect_left(self._sorted, head)
        return at < len(self._sorted) and self._sorted[at].startswith(head) and len(head) >= 2

    def leftover(self, text: str) -> str:
        """`text` with every stored text in it blanked out: the Chinese left is not data."""
        if text not in self._cache:
            kept = list(text)
            i = 0
            while i < len(text):
                longer = [v for v in self.by_start.get(text[i:i + 2], ()) if text.startswith(v, i)]
                value = longer[0] if longer else self.by_start.get(text[i], [""])[0]
                kept[i:i + len(value)] = " " * len(value)
                i += 1
            self._cache[text] = "".join(kept)
        return self._cache[text]


@dataclass
class Offence:
    role: str
    url: str
    chinese: str
    context: str


def offences_in(pieces: list[str], data: StoredTexts, *, role: str, url: str) -> list[Offence]:
    found = []
    for piece in pieces:
        text = squeeze(piece)
        if not CHINESE.search(text) or text in ON_PURPOSE:
            continue
        left = data.leftover(text)
        for match in CHINESE_RUN.finditer(left):
            run = match.group()
            if run in ON_PURPOSE or data.cut_short(text, match.start(), match.end()):
                continue
            start, end = max(0, match.start() - 30), min(len(text), match.end() + 30)
            found.append(Offence(role, url, run, text[start:end]))
    return found


# --- the walk ------------------------------------------------------------------------------------------

@dataclass
class Walk:
    role: str
    pages: list[str] = field(default_factory=list)
    offences: list[Offence] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    forms: dict[str, tuple[str, dict]] = field(default_factory=dict)  # route → (action URL, data)
    variants: dict[str, set] = field(default_factory=lambda: defaultdict(set))
    seconds: float = 0.0


def english_client(user=None) -> Client:
    client = Client(raise_request_exception=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


@cache
def page_key(path: str, query: str):
    """Which kind of page a URL shows: its route, its non-numeric arguments (a tab, a queue, an
    action) and the names of its query parameters. Two enterprises' detail pages are one kind."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.url_name in SKIPPED_URL_NAMES:
        return None
    keys = {k for k, _v in parse_qsl(query, keep_blank_values=True)}
    if keys & SKIPPED_QUERY:
        return None
    route = f"{match.namespace}:{match.route}"
    arguments = tuple(sorted((k, v) for k, v in match.kwargs.items() if not str(v).isdigit()))
    return route, arguments, frozenset(keys - {"page"})


def walk(role: str, user, data: StoredTexts, *, searches: tuple[str, ...] = ()) -> Walk:
    started = time.monotonic()
    client = english_client(user)
    result = Walk(role)
    seen: set = set()
    start = ["/"] if user is not None else ["/", reverse("public:notice"), reverse("verify_form"), reverse("login")]
    # A mistyped address and a certificate code that does not exist: the portal's own 404 and refusal.
    queue = deque([*start, NO_SUCH_PAGE, reverse("verify", args=["NOSUCHCODE00"]), *searches])
    queued = set(queue)

    def follow(link: str) -> None:
        if link not in queued:  # the menu's links are on every page
            queued.add(link)
            queue.append(link)

    while queue and len(result.pages) < MAX_PAGES_PER_ROLE:
        url = queue.popleft()
        parts = urlsplit(url)
        key = ("404", (), frozenset()) if url == NO_SUCH_PAGE else page_key(parts.path, parts.query)
        if key is None or key in seen:
            continue
        route = key[0]
        if len(result.variants[route]) >= VARIANTS_PER_ROUTE:
            continue
        seen.add(key)
        result.variants[route].add(key)
        response = client.get(url)
        result.pages.append(url)
        if response.status_code >= 500:
            result.errors.append(f"{role} {url}: {response.status_code}")
            continue
        if response.status_code in (301, 302, 303, 307, 308):
            target = urljoin(url, response["Location"])
            if urlsplit(target).netloc in ("", "testserver"):
                follow(urlsplit(target)._replace(scheme="", netloc="").geturl())
            continue
        content_type = response.get("Content-Type", "")
        if response.get("Content-Language") not in (None, "en"):
            result.errors.append(f"{role} {url}: Content-Language {response['Content-Language']}")
        if "json" in content_type:
            pieces = json_strings(json.loads(response.content or b"null"))
        elif "html" in content_type:
            parser = VisibleText()
            parser.feed(response.content.decode())
            pieces = parser.pieces
            for action, form in parser.forms:
                target = urlsplit(urljoin(url, action or url))
                form_key = page_key(target.path, "")
                if form_key and target.netloc in ("", "testserver") and not SKIPPED_FORMS.search(target.path):
                    result.forms.setdefault(form_key[0], (target._replace(scheme="", netloc="").geturl(), form))
            for href in parser.links:
                target = urlsplit(urljoin(url, href))
                if target.scheme in ("", "http") and target.netloc in ("", "testserver"):
                    follow(target._replace(scheme="", netloc="", fragment="").geturl())
        else:
            continue
        result.offences.extend(offences_in(pieces, data.for_page(url), role=role, url=url))
    result.seconds = time.monotonic() - started
    return result


def report_of(walks: list[Walk]) -> str:
    """Each untranslated string once, with the first page and role it was seen on and how often."""
    by_text: dict[str, list[Offence]] = defaultdict(list)
    for w in walks:
        for offence in w.offences:
            by_text[offence.chinese].append(offence)
    lines = []
    for chinese, offences in sorted(by_text.items(), key=lambda item: (item[1][0].url, item[0])):
        first = offences[0]
        roles = sorted({o.role for o in offences})
        lines.append(f"  {chinese!r} on {first.url} ({', '.join(roles)}; {len(offences)}x): …{first.context}…")
    return "\n".join(lines)


# --- the world -----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """A small demo city, seeded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", enterprises=DEMO_ENTERPRISES, stdout=StringIO())
        users = {u.username: u for u in get_user_model().objects.filter(username__in=ROLES)}
        yield users, StoredTexts.from_database()
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def walks(demo, django_db_blocker):
    users, data = demo
    with django_db_blocker.unblock():
        # Pages that answer a search rather than a link (the eligibility answer for a rated enterprise),
        # and pages no link leads to today (the password change, a new person, the talent progress).
        uscc = users["enterprise"].role_assignments.get().enterprise.uscc
        searches = (f"{reverse('finance:lookup')}?q={uscc}", reverse("password_change"), reverse("person_create"),
                    reverse("talent:progress"))
        return [walk(role, users.get(role), data, searches=searches if role != "anonymous" else ())
                for role in ROLES]


def test_every_role_reaches_its_pages(walks):
    counts = {w.role: len(w.pages) for w in walks}
    # A walk that stopped early would pass for want of pages. The floors are about two thirds of what
    # each role reached when this test was written (menus grow; a broken link or menu shrinks them).
    floors = {"anonymous": 5, "orgstaff": 80, "townstaff": 55, "station": 45, "bank": 9, "insurer": 10,
              "enterprise": 40, "cadre": 24, "leader": 50, "admin": 25}
    assert {role: count for role, count in counts.items() if count < floors[role]} == {}, counts
    assert [e for w in walks for e in w.errors] == []


def english_errors(client, url: str, data: dict) -> tuple[int, list[str], bool]:
    response = client.post(url, data)
    parser = VisibleText()
    parser.feed(response.content.decode())
    shown = b"invalid-feedback" in response.content or b"alert-danger" in response.content or b"errorlist" in response.content
    return response.status_code, parser.pieces, shown


def test_a_form_filled_in_wrongly_answers_in_english(demo, walks):
    """Every POST form the walk met, submitted by its role with "x" in each box and nothing chosen:
    the messages at the fields (required, not a date, not an amount, not a code) are English too."""
    users, data = demo
    found, refused, submitted = [], 0, 0
    for w in walks:
        client = english_client(users.get(w.role))
        for _route, (url, form) in sorted(w.forms.items()):
            status, pieces, shown = english_errors(client, url, form)
            submitted += 1
            refused += shown
            found += offences_in(pieces, data.for_page(url), role=w.role, url=f"POST {url}")
            assert status < 500, (w.role, url, status)
    assert not found, "Chinese outside the data after a wrong submission:\n" + report_of([Walk("forms", offences=found)])
    # The check above is empty unless the forms really answered with messages.
    assert submitted >= 40, submitted
    assert refused >= 30, (submitted, refused)


def test_the_login_page_refuses_in_english(demo):
    _users, data = demo
    status, pieces, shown = english_errors(english_client(), reverse("login"),
                                           {"username": "orgstaff", "password": "not-the-password"})
    assert (status, shown) == (200, True)
    assert offences_in(pieces, data, role="anonymous", url="login") == []


def api_get(client, url, language="en"):
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language)


def api_post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")


def test_the_api_answers_in_english_to_a_client_asking_for_it(demo):
    users, data = demo
    from finance.selectors import loan_application_list

    anonymous, station, bank = Client(), Client(), Client()
    station.force_login(users["station"])
    bank.force_login(users["bank"])
    application = loan_application_list(user=users["bank"]).order_by("pk").first()
    answers = {
        "anonymous": api_get(anonymous, "/api/v1/enterprises/"),
        "not found": api_get(bank, "/api/v1/loan-applications/999999999/"),
        "empty": api_post(station, "/api/v1/loan-applications/", {}),
        "bad code": api_post(station, "/api/v1/loan-applications/", {
            "enterprise": "91510799MA00000000", "bank": 1, "product": 1, "amount": "x", "purpose": "x"}),
        "bad amount": api_post(bank, f"/api/v1/loan-applications/{application.pk}/approve/", {"amount": "x"}),
        "bad step": api_post(bank, f"/api/v1/loan-applications/{application.pk}/reject/", {"reason": "x"}),
        "bad uscc": api_get(bank, "/api/v1/eligibility/123/"),
    }
    assert {name: r.status_code for name, r in answers.items()} == {
        "anonymous": 401, "not found": 404, "empty": 400, "bad code": 400, "bad amount": 400, "bad step": 400,
        "bad uscc": 400}
    assert {r["Content-Language"] for r in answers.values()} == {"en"}
    found = [o for name, r in answers.items() for o in offences_in(json_strings(r.json()), data, role=name,
                                                                    url=r.request["PATH_INFO"])]
    assert not found, report_of([Walk("api", offences=found)])
    # Without the header, or with a language the portal does not have, the API stays Chinese.
    assert "身份认证信息未提供" in api_get(anonymous, "/api/v1/enterprises/", "fr").json()["detail"]


def test_no_page_of_any_role_shows_untranslated_chinese(walks):
    found = report_of(walks)
    pages = {w.role: len(w.pages) for w in walks}
    assert not found, f"Chinese outside the data on English pages (pages walked per role: {pages}):\n{found}"



# --- every string marked for translation ---------------------------------------------------------------

PROJECT_APPS = ("portal", "ratings", "finance", "insurance", "talent", "liaison", "reports")
# gettext function: (position of the context, position of the message)
GETTEXT = {"_": (None, 0), "gettext": (None, 0), "gettext_lazy": (None, 0), "gettext_noop": (None, 0),
           "ngettext": (None, 0), "ngettext_lazy": (None, 0), "pgettext": (0, 1), "pgettext_lazy": (0, 1),
           "npgettext": (0, 1), "npgettext_lazy": (0, 1)}


def gettext_calls(tokens: list[tokenize.TokenInfo], where: str):
    """(context, msgid, where) of each gettext call with literal arguments among Python tokens."""
    tokens = [t for t in tokens if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT)]
    for i, token in enumerate(tokens[:-2]):
        if token.type != tokenize.NAME or token.string not in GETTEXT or tokens[i + 1].string != "(":
            continue
        if i and tokens[i - 1].string in ("def", "."):
            continue
        strings, j = [], i + 2
        while j < len(tokens) and tokens[j].type == tokenize.STRING:
            parts = []
            while j < len(tokens) and tokens[j].type == tokenize.STRING:  # "implicit" "concatenation"
                parts.append(ast.literal_eval(tokens[j].string))
                j += 1
            strings.append("".join(parts))
            if j < len(tokens) and tokens[j].string == ",":
                j += 1
        context_at, msgid_at = GETTEXT[token.string]
        if len(strings) > msgid_at and (context_at is None or len(strings) > context_at):
            yield (None if context_at is None else strings[context_at]), strings[msgid_at], f"{where}:{token.start[0]}"


def marked_strings():
    """Every (context, msgid) the code and templates ask gettext for, as makemessages would find them."""
    root = Path(settings.BASE_DIR)
    for folder in (*PROJECT_APPS, "templates"):
        for path in sorted((root / folder).rglob("*")):
            relative = path.relative_to(root)
            if "migrations" in relative.parts or "__pycache__" in relative.parts:
                continue
            if path.suffix == ".py":
                source = path.read_text(encoding="utf-8")
            elif path.suffix in (".html", ".txt"):
                # Django's own conversion for xgettext; its indentation means nothing to Python.
                source = "\n".join(line.lstrip() for line in templatize(path.read_text(encoding="utf-8")).splitlines())
            else:
                continue
            yield from gettext_calls(list(tokenize.generate_tokens(io.StringIO(source).readline)), str(relative))


def test_every_chinese_string_marked_for_translation_has_its_english():
    translated = {(e.msgctxt, e.msgid) for e in catalogue() if all(e.msgstr.values())}
    missing = {}
    for context, msgid, where in marked_strings():
        if HAN.search(msgid) and (context, msgid) not in translated:
            missing.setdefault((context, msgid), where)
    listing = "\n".join(f"  {where}: {msgid!r}" for (_context, msgid), where in sorted(missing.items(),
                                                                                       key=lambda item: item[1]))
    assert not missing, (f"{len(missing)} string(s) have no English entry in locale/en/LC_MESSAGES/django.po:\n"
                         f"{listing}")


def test_the_extraction_finds_template_and_code_strings():
    """The reader above must see what makemessages sees, or the test before it proves nothing."""
    found = {(context, msgid) for context, msgid, _where in marked_strings()}
    assert (None, "提出异议") in found  # {% translate %} in ratings/templates/ratings/public_notice.html
    assert (None, "登记与权限") in found  # gettext_lazy in portal/apps.py
    assert (None, "%(product)s（%(rate)s%%，%(months)s 个月）") in found  # {% blocktranslate with %}


BLOCKTRANSLATE = re.compile(r"(?s)\{%\s*blocktrans(?:late)?\b.*?%\}(.*?)\{%\s*endblocktrans(?:late)?\s*%\}")


def test_no_blocktranslate_filters_a_variable_inside():
    """`{{ n|intcomma }}` inside blocktranslate is not the variable n: it renders empty in every
    language and its msgid matches no entry. The filter goes in the `with` clause."""
    root = Path(settings.BASE_DIR)
    filtered = []
    for folder in (*PROJECT_APPS, "templates"):
        for path in sorted((root / folder).rglob("*.html")):
            text = path.read_text(encoding="utf-8")
            filtered += [f"{path.relative_to(root)}:{text.count(chr(10), 0, m.start()) + 1}"
                         for m in BLOCKTRANSLATE.finditer(text) if re.search(r"\{\{[^}]*\|", m.group(1))]
    assert filtered == []


# --- labels the walk may not show ----------------------------------------------------------------------

def project_classes():
    modules = []
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if any(part in info.name for part in (".migrations", ".management", ".settings", "demo")):
                continue
            modules.append(importlib.import_module(info.name))
    seen = set()
    for module in modules:
        for obj in vars(module).values():
            if inspect.isclass(obj) and obj not in seen and obj.__module__.startswith(PROJECT_APPS):
                seen.add(obj)
                yield obj


def field_texts(field) -> list:
    extra = getattr(field, "extra", None) or {}
    texts = [getattr(field, "label", None), getattr(field, "help_text", None), extra.get("empty_label"),
             extra.get("help_text"), *(getattr(field, "error_messages", None) or {}).values()]
    choices = extra.get("choices") if isinstance(field, django_filters.Filter) else getattr(field, "choices", None)
    if isinstance(choices, (list, tuple)):
        texts += [label for item in choices if isinstance(item, (list, tuple)) and len(item) == 2
                  for label in [item[1]] if not isinstance(label, (list, tuple))]
    return texts


def test_every_choice_model_form_and_filter_label_comes_out_in_english():
    chinese = []
    with translation.override("en"):
        for model in apps.get_models():
            if model._meta.app_label not in PROJECT_APPS:
                continue
            texts = [model._meta.verbose_name, model._meta.verbose_name_plural]
            for f in model._meta.concrete_fields + model._meta.many_to_many:
                texts += [f.verbose_name, f.help_text, *(label for _value, label in f.flatchoices)]
            chinese += [(model.__name__, str(t)) for t in texts if t and HAN.search(str(t))]
        for cls in project_classes():
            if issubclass(cls, models.Choices):
                texts = list(cls.labels)
            elif issubclass(cls, forms.BaseForm):
                texts = [t for f in cls.base_fields.values() for t in field_texts(f)]
            elif issubclass(cls, django_filters.FilterSet):
                texts = [t for f in cls.base_filters.values() for t in field_texts(f)]
            else:
                continue
            chinese += [(cls.__qualname__, str(t)) for t in texts if t and HAN.search(str(t))]
    assert chinese == [], "labels without English:\n" + "\n".join(f"  {where}: {text!r}" for where, text in chinese)


def test_the_scripts_carry_no_chinese_of_their_own():
    """A script's texts come from the page (data- attributes, json_script) in the page's language; a
    Chinese string or full-width mark written in a script would show in English pages too."""
    root = Path(settings.BASE_DIR)
    scripts = [p for folder in ("static", *PROJECT_APPS) for p in sorted((root / folder).rglob("*.js"))]
    assert len(scripts) >= 3, scripts
    chinese = [f"{p.relative_to(root)}:{n}: {line.strip()[:80]}" for p in scripts
               for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if CHINESE.search(line)]
    assert chinese == []


# --- the documents -------------------------------------------------------------------------------------

def test_the_documents_asked_in_english_carry_no_chinese_but_their_data(demo):
    """The rating certificate, the credit-enhancement certificate and the work report asked from an
    English page, read back from the PDF; and the pages that show them and verify them."""
    from django.core.files.storage import default_storage
    from django.utils import timezone
    from pypdf import PdfReader

    from ratings.choices import RatingStatus
    from ratings.models import Rating
    from reports import services
    from reports.choices import ReportKind, ReportState

    users, data = demo
    enterprise = users["enterprise"].role_assignments.get().enterprise
    today = timezone.localdate()
    rating = Rating.objects.filter(status=RatingStatus.PUBLISHED, valid_from__lte=today,
                                   valid_to__gte=today).order_by("pk").first()
    asked = [(ReportKind.RATING_CERTIFICATE, {"rating": rating.pk}, users["orgstaff"]),
             (ReportKind.CREDIT_CERTIFICATE, {"enterprise": enterprise.pk}, users["enterprise"]),
             (ReportKind.WORK_REPORT, {"as_of": today.isoformat()}, users["leader"])]
    # PDF text breaks lines inside a name: compare without any blank.
    compact_data = StoredTexts({"".join(v.split()) for v in data.values})
    found = []
    for kind, params, user in asked:
        with translation.override("en"):
            report = services.report_request(kind=kind, params=params, acting_user=user)
        assert services.report_generate(report_id=report.pk) == ReportState.DONE
        report.refresh_from_db()
        reader = PdfReader(default_storage.open(report.file.name))
        text = "".join("".join(page.extract_text().split()) for page in reader.pages)
        found += offences_in([text], compact_data, role=user.username, url=f"{kind}.pdf")
        client = english_client(user)
        pages = [reverse("reports:detail", args=[report.pk])]
        certificate = getattr(report, "certificate", None)
        if certificate is not None:
            pages.append(reverse("verify", args=[certificate.code]))
        for url in pages:
            parser = VisibleText()
            parser.feed(client.get(url).content.decode())
            found += offences_in(parser.pieces, data, role=user.username, url=url)
    assert not found, "Chinese outside the data in English documents:\n" + report_of([Walk("documents",
                                                                                          offences=found)])
