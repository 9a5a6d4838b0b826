"""No template served to a browser carries inline script or style: a content-security policy with
`script-src 'self'` and `style-src 'self'` would silently break the page. PDF templates are read by
WeasyPrint only and keep their <style> blocks."""

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIP_PARTS = {".venv", "node_modules", "var", "pdf"}
TEMPLATES = sorted(p for p in ROOT.rglob("*.html")
                   if "templates" in p.parts and not SKIP_PARTS.intersection(p.relative_to(ROOT).parts))

INLINE = {
    "style attribute": re.compile(r"\sstyle=[\"']"),
    "event handler attribute": re.compile(r"\son[a-z]+=[\"']"),
    "<style> block": re.compile(r"<style[\s>]"),
    "inline <script>": re.compile(r"<script(?![^>]*\ssrc=)[^>]*>"),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def test_the_scan_sees_the_templates():
    names = {p.name for p in TEMPLATES}
    assert {"base.html", "500.html", "rating_detail.html", "publish_due.html"} <= names


@pytest.mark.parametrize("pattern", INLINE.values(), ids=INLINE.keys())
def test_the_patterns_catch_what_they_name(pattern):
    samples = ['<div style="x">', '<a onclick="x()">', "<style>a{}</style>", "<script>alert(1)</script>",
               '<a href="javascript:void(0)">']
    assert sum(bool(pattern.search(s)) for s in samples) == 1
    assert not pattern.search('<script src="/static/portal/forms.js"></script><div class="x" data-confirm="y">')


def test_no_template_carries_inline_script_or_style():
    found = []
    for path in TEMPLATES:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for what, pattern in INLINE.items():
                if pattern.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {what}")
    assert found == [], "\n".join(found)
