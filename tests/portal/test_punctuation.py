"""Punctuation between translated words and data follows the language: full-width marks in Chinese,
their English forms in English."""

import pytest
from django.template import Context, Template
from django.utils import translation

from portal import punctuation


@pytest.mark.parametrize(("language", "expected"), [
    ("zh-hans", ("甲、乙、丙", "原因一；原因二", "名称：", "张三（律师）", "年度：2025　星级：5")),
    ("en", ("甲, 乙, 丙", "原因一; 原因二", "名称: ", "张三 (律师)", "年度: 2025 · 星级: 5")),
])
def test_marks_follow_the_language(language, expected):
    with translation.override(language):
        got = (punctuation.series(["甲", "乙", "丙"]), punctuation.clauses(["原因一", "原因二"]),
               "名称" + punctuation.mark("："), "张三" + punctuation.parens("律师"),
               f"年度{punctuation.mark('：')}2025{punctuation.mark('　')}星级{punctuation.mark('：')}5")
    assert got == expected


@pytest.mark.parametrize(("language", "expected"), [
    ("zh-hans", "名单：A&amp;B、&lt;C&gt;（备注）"),
    ("en", "名单: A&amp;B, &lt;C&gt; (备注)"),
])
def test_the_template_side_escapes_the_data(language, expected):
    template = Template('{% load punctuation %}名单{% mark "：" %}{{ names|series }}{{ note|parens }}')
    with translation.override(language):
        html = template.render(Context({"names": ["A&B", "<C>"], "note": "备注"}))
    assert html == expected


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_an_unknown_mark_is_refused_in_either_language(language):
    with translation.override(language), pytest.raises(KeyError):
        punctuation.mark("!")
