"""The punctuation that goes between translated words and data: Chinese writes 、 between the items
of a list, ： after a label and （） around a note; English writes ", ", ": " and " ( )". The words are
translated through the catalogue; the marks follow the active language here, so that a template or a
message that joins data never leaves a full-width mark in an English page."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import get_language

# The ideographic space parts two label-value pairs on one line; English parts them with a dot.
ENGLISH_MARKS = {"、": ", ", "，": ", ", "；": "; ", "：": ": ", "。": ". ", "（": " (", "）": ")", "　": " · "}


def _chinese() -> bool:
    return (get_language() or "zh-hans").startswith("zh")


def mark(chinese: str) -> str:
    """A Chinese punctuation mark as the active language writes it: "：" or ": "."""
    english = ENGLISH_MARKS[chinese]  # a mark not listed is a typo in both languages
    return chinese if _chinese() else english


def series(items: Iterable[object]) -> str:
    """["甲", "乙"] → "甲、乙" in Chinese, "甲, 乙" in English."""
    return mark("、").join(str(item) for item in items)


def clauses(items: Iterable[object]) -> str:
    """Reasons or notes one after another: "；" in Chinese, "; " in English."""
    return mark("；").join(str(item) for item in items)


def parens(text: object) -> str:
    """"（text）" in Chinese, " (text)" in English."""
    return f"（{text}）" if _chinese() else f" ({text})"
