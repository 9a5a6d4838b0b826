"""The diagram is drawn from the graph alone: every state and every step is in it, a final state and
a step back are marked, no line crosses a box, and the same graph gives the same bytes. Pure: no
database."""

import xml.etree.ElementTree as ET

import pytest
from django.db import models
from django.utils import translation

from workflow.diagram import draw
from workflow.diagram_text import text_width, wrap
from workflow.docs import diagram
from workflow.graph import Graph
from workflow.registry import all_workflows

SVG = "{http://www.w3.org/2000/svg}"


class Door(models.TextChoices):
    DRAFT = "draft", "起草"
    FIRST = "first", "初审"
    SECOND = "second", "复审<二>"
    FINAL = "final", "终审 & 签发"
    DONE = "done", "完成"
    VOID = "void", "作废"
    FILED = "filed", "归档"


class Step(models.TextChoices):
    GO = "go", "提交"
    BACK = "back", "发回重拟"
    FAST = "fast", "快速通道"
    DROP = "drop", "作废"
    FILE = "file", "归档"
    KEEP = "keep", "保存"


D, S = Door, Step
# A step back across three rows and two into one row (round the right), steps within a row that cannot
# all be neighbours (one runs below the row), a pair back and forth, a step that keeps its state.
TOY = Graph(statuses=Door, actions=Step, refusal="%(s)s %(a)s", initial=D.DRAFT, final=frozenset({D.DONE}),
            transitions={
                (D.DRAFT, S.GO): D.FIRST, (D.FIRST, S.GO): D.SECOND, (D.SECOND, S.GO): D.FINAL,
                (D.FINAL, S.GO): D.DONE, (D.FINAL, S.BACK): D.DRAFT, (D.SECOND, S.BACK): D.FIRST,
                (D.FIRST, S.DROP): D.VOID, (D.FIRST, S.FILE): D.FILED, (D.VOID, S.FILE): D.FILED,
                (D.SECOND, S.FILE): D.FILED, (D.SECOND, S.DROP): D.VOID, (D.SECOND, S.KEEP): D.SECOND,
                (D.DONE, S.BACK): D.FIRST, (D.DONE, S.FAST): D.FIRST})


def graphs():
    return [pytest.param(w.graph, id=w.key) for w in all_workflows()] + [pytest.param(TOY, id="toy")]


def parse(svg: str):
    """The drawing as XML: parsing it is the check that it is well formed."""
    return ET.fromstring(svg)  # noqa: S314 - the portal's own drawing, not input from outside


def texts(element) -> list[str]:
    """The text of each <text> element, its lines joined."""
    return ["".join(t.itertext()) for t in element.iter(f"{SVG}text")]


def lines_of(element) -> list[str]:
    """Each line of text: a <text> of one line, or each <tspan> of one of several."""
    found = []
    for text in element.iter(f"{SVG}text"):
        spans = list(text.iter(f"{SVG}tspan"))
        found += ["".join(s.itertext()) for s in spans] if spans else ["".join(text.itertext())]
    return found


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.mark.parametrize("graph", graphs())
def test_every_state_and_every_step_is_drawn(graph):
    # given a workflow's graph, drawn
    root = parse(draw(graph, prefix="t"))
    # then each state has its box with its name, marked initial or final as it is
    boxes = {g.get("data-state"): g for g in root.iter(f"{SVG}g") if g.get("data-state")}
    assert list(boxes) == graph.states()
    for state, box in boxes.items():
        assert texts(box)[0] == graph.status_label(state)
        kinds = set(box.get("class").split())
        assert ("wf-initial" in kinds) == (state == graph.initial)
        assert ("wf-final" in kinds) == (state in graph.final)
    # and each step between two states is one arrow, a step that keeps its state a line in its box
    arrows = {(g.get("data-from"), g.get("data-to")) for g in root.iter(f"{SVG}g") if g.get("data-from")}
    assert arrows == {(s, t) for s, t, _steps in graph.edges() if s != t}
    labels = lines_of(root)
    for (source, step), target in graph.transitions.items():
        if source == target:
            assert "↻ " + graph.action_text(step) in lines_of(boxes[source])
        else:
            assert graph.action_text(step) in labels


def test_several_steps_between_the_same_two_states_share_one_arrow():
    root = parse(draw(TOY, prefix="t"))
    arrows = [g for g in root.iter(f"{SVG}g") if (g.get("data-from"), g.get("data-to")) == ("done", "first")]
    assert len(arrows) == 1
    assert ["发回重拟", "快速通道"] in [lines_of(g) for g in root.iter(f"{SVG}g") if g.get("class") == "wf-label"]


@pytest.mark.parametrize("graph", graphs())
def test_a_step_back_is_dashed_and_a_step_forward_is_not(graph):
    root = parse(draw(graph, prefix="t"))
    level = graph.levels()
    for g in (g for g in root.iter(f"{SVG}g") if g.get("data-from")):
        back = level[g.get("data-to")] < level[g.get("data-from")]
        path = g.find(f"{SVG}path")
        assert (path.get("stroke-dasharray") is not None) == back
        assert ("wf-back" in g.get("class")) == back


def _polyline(d: str) -> list[tuple[float, float]]:
    return [tuple(map(float, part.strip().split())) for part in d[1:].split("L")]


def _crosses(a, b, rect) -> bool:
    """Whether the segment a-b enters the rectangle's inside (Liang-Barsky)."""
    (x1, y1), (x2, y2) = a, b
    left, top, right, bottom = rect
    t0, t1 = 0.0, 1.0
    for p, q in ((-(x2 - x1), x1 - left), (x2 - x1, right - x1), (-(y2 - y1), y1 - top), (y2 - y1, bottom - y1)):
        if p == 0:
            if q <= 0:
                return False
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 >= t1:
            return False
    return True


@pytest.mark.parametrize("graph", graphs())
def test_no_arrow_crosses_a_box(graph):
    root = parse(draw(graph, prefix="t"))
    rects = {}
    for g in (g for g in root.iter(f"{SVG}g") if g.get("data-state")):
        r = g.find(f"{SVG}rect")
        x, y, w, h = (float(r.get(k)) for k in ("x", "y", "width", "height"))
        rects[g.get("data-state")] = (x + 1, y + 1, x + w - 1, y + h - 1)  # the inside, not the border
    assert len(rects) == len(graph.states())
    for g in (g for g in root.iter(f"{SVG}g") if g.get("data-from")):
        points = _polyline(g.find(f"{SVG}path").get("d"))
        for a, b in zip(points, points[1:], strict=False):
            for state, rect in rects.items():
                assert not _crosses(a, b, rect), (g.get("data-from"), g.get("data-to"), state, a, b)


@pytest.mark.parametrize("graph", graphs())
def test_the_same_graph_gives_the_same_bytes_valid_xml_and_no_inline_style(graph):
    first, second = draw(graph, title="甲", prefix="t"), draw(graph, title="甲", prefix="t")
    assert first == second
    root = parse(first)
    assert root.tag == f"{SVG}svg"
    # the page's content-security policy allows no inline style: presentation attributes only
    assert not list(root.iter(f"{SVG}style"))
    assert all("style" not in element.attrib for element in root.iter())
    assert "Noto Sans CJK SC" in root.get("font-family")
    assert root.find(f"{SVG}title").text == "甲"
    # every id is the caller's prefix, so two drawings can share a page
    assert all(e.get("id").startswith("t-") for e in root.iter() if e.get("id"))


def test_text_is_escaped():
    # given states named with < and &
    svg = draw(TOY, title="<script>", prefix="t")
    # then they are text, not markup
    assert "<script>" not in svg
    assert "复审&lt;二&gt;" in svg
    assert "终审 &amp; 签发" in svg
    assert "复审<二>" in texts(parse(svg))


@pytest.mark.parametrize(("text", "width", "expected"), [
    ("保存评分", 168, ["保存评分"]),
    ("一二三四五六七八", 4 * 12, ["一二三四", "五六七八"]),
    ("Awaiting town review", 70, ["Awaiting", "town", "review"]),
    ("Awaiting town review", 200, ["Awaiting town review"]),
    ("", 100, [""]),
])
def test_long_labels_wrap_between_words_or_characters(text, width, expected):
    assert wrap(text, 12, width) == expected


def test_a_cjk_character_is_counted_one_em_and_latin_narrower():
    assert text_width("办结", 12) == 24
    assert text_width("ab", 12) < 24


def test_a_workflows_diagram_names_it_and_says_on_whom_it_waits():
    # given the loan application's workflow (waits on the bank when submitted and accepted)
    loan = next(w for w in all_workflows() if w.key == "loan")
    root = parse(diagram(loan))
    # then its title names it, and the waiting states say whom they wait on
    assert root.find(f"{SVG}title").text == "贷款申请：状态与办理步骤"
    boxes = {g.get("data-state"): g for g in root.iter(f"{SVG}g") if g.get("data-state")}
    for state, who in loan.waiting.items():
        assert f"等待：{who}" in texts(boxes[state])
    assert not [t for t in texts(boxes["repaid"]) if t.startswith("等待")]


def test_the_crossing_check_sees_a_line_through_a_box_and_not_one_along_or_beside_it():
    box = (5, 0, 10, 10)
    assert _crosses((0, 5), (20, 5), box)
    assert _crosses((7, -5), (7, 3), box)
    assert not _crosses((0, -1), (20, -1), box)
    assert not _crosses((0, 5), (4, 5), box)
