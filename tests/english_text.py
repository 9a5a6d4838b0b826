"""What an English page shows a person, and which of it is data: the visible text of a page (text
nodes, the attributes that are read or heard, button captions, data- attributes, json_script blocks),
the Chinese texts stored in the database (which stay as entered in any language), and what is left
over: an offence, a Chinese string someone forgot to translate. Used by tests/test_english_crawl.py."""

from __future__ import annotations

import bisect
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.apps import apps
from django.db import models
from django.utils.translation import get_language_info

from portal.imports.files import TEMPLATE_COLUMNS
from portal.imports.parsing import COLUMNS

# Chinese characters, and the full-width punctuation that only Chinese text uses (（），：。、“”).
CHINESE = re.compile(r"[\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff1f\uff5b-\uff5e]")
CHINESE_RUN = re.compile(rf"(?:{CHINESE.pattern})+")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Chinese on purpose: the language switcher names Chinese in Chinese.
ON_PURPOSE = {get_language_info("zh-hans")["name_local"]}

APPS_WITH_DATA = ("auth", "portal", "ratings", "finance", "insurance", "talent", "liaison", "reports", "quality")

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
