"""The English catalogue, read from the code itself: every Chinese string marked for translation in
the project's Python and templates has its English entry, every choice, model, form and filter label
comes out in English, no blocktranslate hides a filtered variable (it renders empty in every
language), and no static script carries Chinese of its own. These checks need no database; the walk
of every page in English is tests/test_english_crawl.py."""

from __future__ import annotations

import ast
import importlib
import inspect
import io
import pkgutil
import re
import tokenize
from pathlib import Path

import django_filters
from django import forms
from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation.template import templatize

from tests.english_text import CHINESE, HAN
from tests.test_translations import catalogue

# --- every string marked for translation ---------------------------------------------------------------

PROJECT_APPS = ("portal", "ratings", "finance", "insurance", "talent", "liaison", "reports", "twofactor", "apikeys",
                "logins")
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
