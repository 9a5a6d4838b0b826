"""A workflow's states and steps drawn as SVG from its graph (workflow.graph), in plain Python: the
staff pages and the documentation draw the declaration itself, so the picture cannot drift from the
code. No layout tool, no script: the page runs under the content-security policy, and the same file
is committed to the documentation.

The layout: one row per level (`Graph.levels()`, the initial state on top), the states of a row placed
on columns so that the main line runs straight down the middle. Every box of a row has the row's
height, and a step between neighbouring rows runs from a box's bottom to the next box's top, so it
stays in the space between the rows and never crosses a box. A step back to an earlier state is drawn
dashed; a pair of steps back and forth between two states as two parallel arrows. A step between
states of one row joins their sides (neighbours) or runs below the row; a step across two rows or
more runs round the right of the picture. A step that keeps the state ("save") is listed in its box.

Colours, lines and type are SVG presentation attributes, never `style`: the file reads the same
alone (an image in the documentation) and on a page whose policy forbids inline styles; the page's
stylesheet adds only the sizing (classes `wf-*`). The output depends only on the graph and the active
language: the same declaration gives the same bytes."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape

from django.utils.translation import gettext as _

from portal.punctuation import mark

from .diagram_text import FONT, INK, MUTED, STATE_SIZE, TEXT_SIZE, Label, coord, svg_text, text_width, wrap
from .graph import Graph

PAD_X, PAD_Y = 14, 10
MARGIN = 24
ROW_GAP = 72  # at least, between two rows; more when the labels need it
COLUMN_GAP = 56  # at least, between two boxes of a row
TRACK = 9  # between two steps routed side by side
ENTRY = 34  # room above the initial state for its entry mark
PAIR = 9  # half the distance between two parallel arrows

LINE, BACK = "#495057", "#9a4d00"
FILL, FILL_INITIAL, FILL_FINAL = "#ffffff", "#e7f1ff", "#eef0f2"
STROKE, STROKE_INITIAL, STROKE_FINAL = "#6c757d", "#0b5ed7", "#343a40"


# --- layout ----------------------------------------------------------------------------------------

@dataclass
class _Box:
    state: str
    title: list[str]
    notes: list[str]  # whom the case waits on
    loops: list[str]  # steps that keep the state
    kind: str  # "initial", "final" or ""
    column: float = 0.0
    x: float = 0.0  # left
    y: float = 0.0  # top
    w: float = 0.0
    h: float = 0.0

    def natural_height(self) -> float:
        height = 2 * PAD_Y + len(self.title) * STATE_SIZE * 1.3 + len(self.notes) * TEXT_SIZE * 1.35
        if self.loops:
            height += 10 + len(self.loops) * TEXT_SIZE * 1.35
        return height

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def bottom(self) -> float:
        return self.y + self.h


@dataclass
class _Edge:
    source: str
    target: str
    steps: list[str]
    kind: str = ""  # "down", "up", "side", "row" (same row, not neighbours), "lane"
    back: bool = False
    label: Label = field(default_factory=lambda: Label([]))
    points: list[tuple[float, float]] = field(default_factory=list)


def _place_row(states: list[str], placed: dict[str, float], edges: list[_Edge], final: frozenset[str],
               ) -> dict[str, float]:
    """Columns for one row's states: short steps to the rows above, neighbours for the steps within the
    row, the states that go on (not final) nearest the middle; ties by the states' own order."""
    n = len(states)
    if n > 5:  # too many to try every placement: side by side, centred
        return {s: i - (n - 1) / 2 for i, s in enumerate(states)}
    wide = max(n, 3)
    columns = range(-wide, wide + 1)
    mine = set(states)
    best, best_cost = None, None
    for chosen in itertools.permutations(columns, n):
        at = dict(zip(states, chosen, strict=True))
        cost = 0.0
        for edge in edges:
            if edge.source in mine and edge.target in mine:
                gap = abs(at[edge.source] - at[edge.target])
                cost += 0 if gap == 1 else 20 * gap
            elif edge.source in mine and edge.target in placed:
                cost += abs(at[edge.source] - placed[edge.target])
            elif edge.target in mine and edge.source in placed:
                cost += abs(at[edge.target] - placed[edge.source])
        cost += sum(0.01 * abs(at[s]) for s in states if s not in final)
        cost += sum(0.001 * abs(at[s]) for s in states)
        if best_cost is None or cost < best_cost - 1e-9:
            best, best_cost = at, cost
    return best


def _classify(edge: _Edge, level: Mapping[str, int]) -> None:
    span = level[edge.target] - level[edge.source]
    edge.back = span < 0
    edge.kind = {1: "down", -1: "up", 0: "row"}.get(span, "lane")


def _port(box: _Box, toward: float, shift: float = 0.0) -> float:
    """Where on the box's top or bottom a step toward column-distance `toward` attaches."""
    reach = box.w / 2 - 14
    return box.cx + max(-reach, min(reach, toward * box.w * 0.22 + shift))


def draw(graph: Graph, *, title: str = "", waiting: Mapping[str, object] | None = None, prefix: str = "wf") -> str:
    """The SVG document of `graph`'s states and steps. `waiting`: whom the case waits on in a state (a
    line in its box); `prefix`: the start of the ids in the document (unique on a page)."""
    layout = _Layout(graph, waiting or {})
    layout.place_columns()
    layout.place_rows()
    layout.route_between_rows()
    layout.route_round()
    return layout.svg(title or _("流程图"), prefix)


class _Layout:
    """The drawing's geometry, worked out in steps: columns, rows, then the steps' lines."""

    def __init__(self, graph: Graph, waiting: Mapping[str, object]):
        self.graph = graph
        self.level = graph.levels()
        self.order = graph.states()
        self.edges: list[_Edge] = []
        self.loops: dict[str, list[str]] = {}
        for source, target, steps in graph.edges():
            texts = [graph.action_text(step) for step in steps]
            if source == target:
                self.loops.setdefault(source, []).extend(texts)
            else:
                edge = _Edge(source, target, texts)
                _classify(edge, self.level)
                edge.label = Label([line for text in texts for line in wrap(text, TEXT_SIZE, 140)])
                self.edges.append(edge)
        self.boxes: dict[str, _Box] = {}
        for state in self.order:
            kind = "initial" if state == graph.initial else "final" if state in graph.final else ""
            notes = wrap(_("等待") + mark("：") + str(waiting[state]), TEXT_SIZE) if state in waiting else []
            loop_lines = [line for text in self.loops.get(state, []) for line in wrap("↻ " + text, TEXT_SIZE)]
            self.boxes[state] = _Box(state, wrap(graph.status_label(state), STATE_SIZE), notes, loop_lines, kind)
        self.box_w = max(120.0, max(text_width(line, size) for b in self.boxes.values()
                                    for line, size in [*((t, STATE_SIZE) for t in b.title),
                                                       *((t, TEXT_SIZE) for t in b.notes + b.loops)]) + 2 * PAD_X)
        self.rows: dict[int, list[str]] = {}
        for state in self.order:
            self.rows.setdefault(self.level[state], []).append(state)
        self.row_top: dict[int, float] = {}
        self.row_height: dict[int, float] = {}
        self.reserved_below: dict[int, float] = {}
        self.reserved_above: dict[int, float] = {}
        self.used_below: dict[int, int] = {}
        self.used_above: dict[int, int] = {}
        self.bottom = 0.0  # below the last row
        self.width = 0.0

    def place_columns(self) -> None:
        """Each state's column, row by row from the top; the distance between two columns (`pitch`)
        wide enough for the labels between them."""
        placed: dict[str, float] = {}
        for row in sorted(self.rows):
            placed.update(_place_row(self.rows[row], placed, self.edges, self.graph.final))
        least = min(placed.values())
        side_edges = [e for e in self.edges if e.kind == "row" and abs(placed[e.source] - placed[e.target]) == 1]
        for edge in side_edges:
            edge.kind = "side"
        widest_side = max((e.label.width for e in side_edges), default=0)
        pitch = self.box_w + max(COLUMN_GAP, widest_side + 28)
        between = [e for e in self.edges if e.kind in ("down", "up")]
        # Two labels of one gap sit half a column apart at the least.
        pitch = max(pitch, 2 * max((e.label.width for e in between), default=0) + 28)
        for state, box in self.boxes.items():
            box.column = placed[state]
            box.w = self.box_w
            box.x = MARGIN + (placed[state] - least) * pitch

    def place_rows(self) -> None:
        """Rows from the top: each row as tall as its tallest box, each gap as tall as its labels and the
        routed steps' tracks."""
        level = self.level
        tracks_below: dict[int, int] = {}
        tracks_above: dict[int, int] = {}
        for edge in self.edges:
            if edge.kind == "row":
                tracks_below[level[edge.source]] = tracks_below.get(level[edge.source], 0) + 1
            elif edge.kind == "lane":
                leaving, reaching = (tracks_above, tracks_below) if edge.back else (tracks_below, tracks_above)
                leaving[level[edge.source]] = leaving.get(level[edge.source], 0) + 1
                reaching[level[edge.target]] = reaching.get(level[edge.target], 0) + 1
        between = [e for e in self.edges if e.kind in ("down", "up")]
        top = MARGIN + ENTRY
        levels_in_order = sorted(self.rows)
        for i, row in enumerate(levels_in_order):
            self.row_top[row] = top
            self.row_height[row] = max(self.boxes[s].natural_height() for s in self.rows[row])
            labels = [e.label.height for e in between if {level[e.source], level[e.target]} == {row, row + 1}]
            below_labels = [e.label.height for e in self.edges if e.kind == "row" and level[e.source] == row]
            # Room for the tracks that leave or reach the rows on either side, then for the labels between.
            self.reserved_below[row] = (TRACK * tracks_below[row] + max(below_labels, default=0) + 6
                                        if row in tracks_below else 0)
            self.reserved_above[row + 1] = TRACK * tracks_above[row + 1] + 6 if row + 1 in tracks_above else 0
            gap = max(ROW_GAP, (max(labels, default=0) + 28)) + self.reserved_below[row] + self.reserved_above[row + 1]
            if i == len(levels_in_order) - 1:
                gap = TRACK * tracks_below.get(row, 0) + max(below_labels, default=0) + 8
            top += self.row_height[row] + gap
        for state, box in self.boxes.items():
            box.h = self.row_height[level[state]]
            box.y = self.row_top[level[state]]
        self.bottom = top

    def route_between_rows(self) -> None:
        """Steps between neighbouring rows, box bottom to box top; a pair back and forth as two parallel
        arrows. Steps between neighbours in a row, side to side."""
        pairs = {(e.source, e.target) for e in self.edges}
        for edge in self.edges:
            source, target = self.boxes[edge.source], self.boxes[edge.target]
            paired = (edge.target, edge.source) in pairs
            toward = target.column - source.column
            if edge.kind in ("down", "up"):
                shift = (PAIR if edge.back else -PAIR) if paired else 0.0
                x1, x2 = _port(source, toward, shift), _port(target, -toward, shift)
                y1, y2 = (source.bottom, target.y) if edge.kind == "down" else (source.y, target.bottom)
                edge.points = [(x1, y1), (x2, y2)]
                # The label halfway down the room the routed tracks leave free, on the line.
                upper = min(self.level[edge.source], self.level[edge.target])
                free_top = self.row_top[upper] + self.row_height[upper] + self.reserved_below[upper]
                my = (free_top + self.row_top[upper + 1] - self.reserved_above.get(upper + 1, 0)) / 2
                mx = x1 + (x2 - x1) * (my - y1) / (y2 - y1)
                if paired:
                    edge.label.x, edge.label.anchor = (mx + 8, "start") if edge.back else (mx - 8, "end")
                else:
                    edge.label.x = mx
                edge.label.y = my
            elif edge.kind == "side":
                # A pair within a row: the step to the right above, the step to the left below.
                forward = toward > 0
                below = paired and not forward
                y = source.y + source.h / 2 + ((PAIR if below else -PAIR) if paired else 0.0)
                x1 = source.x + source.w if forward else source.x
                x2 = target.x if forward else target.x + target.w
                edge.points = [(x1, y), (x2, y)]
                edge.label.x = (x1 + x2) / 2
                edge.label.y = y + (edge.label.height / 2 + 4) * (1 if below else -1)

    def _track_below(self, row: int) -> float:
        self.used_below[row] = self.used_below.get(row, 0) + 1
        return self.row_top[row] + self.row_height[row] + 6 + TRACK * self.used_below[row]

    def _track_above(self, row: int) -> float:
        self.used_above[row] = self.used_above.get(row, 0) + 1
        return self.row_top[row] - 6 - TRACK * self.used_above[row]

    def route_round(self) -> None:
        """Steps that cannot run straight, each on a track of its own through the gaps between rows: a
        step between two states of one row that are not neighbours runs below the row; a step across
        two rows or more goes round the right of the picture, its label beside its lane."""
        for edge in (e for e in self.edges if e.kind == "row"):
            source, target = self.boxes[edge.source], self.boxes[edge.target]
            toward = target.column - source.column
            y = self._track_below(self.level[edge.source])
            x1, x2 = _port(source, toward), _port(target, -toward)
            edge.points = [(x1, source.bottom), (x1, y), (x2, y), (x2, target.bottom)]
            edge.label.x, edge.label.y = (x1 + x2) / 2, y + edge.label.height / 2 + 3
        right_of_boxes = max(b.x + b.w for b in self.boxes.values())
        lane_x = right_of_boxes + 22
        for edge in (e for e in self.edges if e.kind == "lane"):
            source, target = self.boxes[edge.source], self.boxes[edge.target]
            x1, x2 = _port(source, 2), _port(target, 2)
            if edge.back:
                y1, y2 = self._track_above(self.level[edge.source]), self._track_below(self.level[edge.target])
                start, end = (x1, source.y), (x2, target.bottom)
            else:
                y1, y2 = self._track_below(self.level[edge.source]), self._track_above(self.level[edge.target])
                start, end = (x1, source.bottom), (x2, target.y)
            edge.points = [start, (x1, y1), (lane_x, y1), (lane_x, y2), (x2, y2), end]
            edge.label.x, edge.label.y, edge.label.anchor = lane_x + 6, (y1 + y2) / 2, "start"
            lane_x += edge.label.width + 22
        self.width = max(lane_x - 22, right_of_boxes) + MARGIN

    def svg(self, title: str, prefix: str) -> str:
        edges, boxes = self.edges, self.boxes
        legend_top = self.bottom + 12
        shown = {"entry"} | ({"final"} if self.graph.final else set())
        shown |= ({"back"} if any(e.back for e in edges) else set()) | ({"loop"} if self.loops else set())
        legend, legend_height, legend_width = _legend(prefix, MARGIN, legend_top, self.width - 2 * MARGIN, shown)
        height = legend_top + legend_height + MARGIN
        width = max(self.width, MARGIN * 2 + legend_width)

        out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="wf-diagram" width="{coord(width)}" '
               f'height="{coord(height)}" viewBox="0 0 {coord(width)} {coord(height)}" role="img" '
               f'aria-labelledby="{prefix}-title" font-family="{FONT}">',
               f'<title id="{prefix}-title">{escape(title)}</title>',
               "<defs>",
               _marker(f"{prefix}-arrow", LINE), _marker(f"{prefix}-arrow-back", BACK),
               "</defs>",
               f'<rect class="wf-canvas" x="0" y="0" width="{coord(width)}" height="{coord(height)}" fill="#ffffff"/>']
        initial = boxes[self.graph.initial]
        out.append(f'<g class="wf-entry"><circle cx="{coord(initial.cx)}" cy="{coord(initial.y - ENTRY + 6)}" r="6" '
                   f'fill="{STROKE_INITIAL}"/><path d="M{coord(initial.cx)} {coord(initial.y - ENTRY + 12)}'
                   f'V{coord(initial.y - 1)}" fill="none" stroke="{STROKE_INITIAL}" stroke-width="1.5" '
                   f'marker-end="url(#{prefix}-arrow)"/></g>')
        out += [_box_svg(boxes[state]) for state in self.order]
        for edge in edges:
            colour = BACK if edge.back else LINE
            path = "M" + " L".join(f"{coord(x)} {coord(y)}" for x, y in edge.points)
            dash = ' stroke-dasharray="6 4"' if edge.back else ""
            arrow = f"{prefix}-arrow-back" if edge.back else f"{prefix}-arrow"
            out.append(f'<g class="wf-edge{" wf-back" if edge.back else ""}" data-from="{escape(edge.source)}" '
                       f'data-to="{escape(edge.target)}"><path d="{path}" fill="none" stroke="{colour}" '
                       f'stroke-width="1.5"{dash} marker-end="url(#{arrow})"/></g>')
        # The labels last, above every line.
        out += [f'<g class="wf-label">{edge.label.svg(BACK if edge.back else INK)}</g>' for edge in edges]
        out.append(legend)
        out.append("</svg>")
        return "\n".join(out) + "\n"


def _marker(marker_id: str, colour: str) -> str:
    return (f'<marker id="{marker_id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" '
            f'orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="{colour}"/></marker>')


def _box_svg(box: _Box) -> str:
    fill, stroke = {"initial": (FILL_INITIAL, STROKE_INITIAL), "final": (FILL_FINAL, STROKE_FINAL)}.get(
        box.kind, (FILL, STROKE))
    width = "2" if box.kind == "initial" else "1.5"
    parts = [f'<g class="wf-state{" wf-" + box.kind if box.kind else ""}" data-state="{escape(box.state)}">',
             f'<rect x="{coord(box.x)}" y="{coord(box.y)}" width="{coord(box.w)}" height="{coord(box.h)}" rx="8" '
             f'fill="{fill}" stroke="{stroke}" stroke-width="{width}"/>']
    if box.kind == "final":  # a double border: nothing leads on from here
        parts.append(f'<rect x="{coord(box.x + 4)}" y="{coord(box.y + 4)}" width="{coord(box.w - 8)}" '
                     f'height="{coord(box.h - 8)}" rx="5" fill="none" stroke="{stroke}" stroke-width="1"/>')
    content = (len(box.title) * STATE_SIZE * 1.3 + len(box.notes) * TEXT_SIZE * 1.35
               + ((10 + len(box.loops) * TEXT_SIZE * 1.35) if box.loops else 0))
    y = box.y + (box.h - content) / 2
    parts.append(svg_text(box.cx, y + STATE_SIZE, box.title, size=STATE_SIZE, weight="bold", cls="wf-name"))
    y += len(box.title) * STATE_SIZE * 1.3
    if box.notes:
        parts.append(svg_text(box.cx, y + TEXT_SIZE, box.notes, size=TEXT_SIZE, fill=MUTED, cls="wf-waiting"))
        y += len(box.notes) * TEXT_SIZE * 1.35
    if box.loops:
        parts.append(f'<path d="M{coord(box.x + 10)} {coord(y + 5)}H{coord(box.x + box.w - 10)}" stroke="{STROKE}" '
                     f'stroke-width="0.75" fill="none"/>')
        parts.append(svg_text(box.cx, y + 10 + TEXT_SIZE, box.loops, size=TEXT_SIZE, fill=INK, cls="wf-loop"))
    parts.append("</g>")
    return "".join(parts)


def _legend(prefix: str, left: float, top: float, room: float, shown: set[str]) -> tuple[str, float, float]:
    """The key to the marks the picture uses (`shown`), wrapped to `room`: (its SVG, its height, its
    widest line)."""
    items = [
        ("entry", _("起始状态")),
        ("final", _("办结状态（不再流转）")),
        ("back", _("退回到之前的状态")),
        ("loop", "↻ " + _("不改变状态的操作")),
    ]
    glyph = 30
    parts, x, y, widest = ['<g class="wf-legend">'], left, top, 0.0
    for kind, text in (item for item in items if item[0] in shown):
        item_w = glyph + 6 + text_width(text, TEXT_SIZE) + 20
        if x > left and x + item_w > left + max(room, 0):
            x, y = left, y + 24
        mid = y + 9
        if kind == "entry":
            parts.append(f'<circle cx="{coord(x + 6)}" cy="{coord(mid)}" r="5" fill="{STROKE_INITIAL}"/>'
                         f'<path d="M{coord(x + 12)} {coord(mid)}H{coord(x + glyph - 2)}" stroke="{STROKE_INITIAL}" '
                         f'stroke-width="1.5" marker-end="url(#{prefix}-arrow)"/>')
        elif kind == "final":
            parts.append(f'<rect x="{coord(x)}" y="{coord(mid - 8)}" width="{glyph}" height="16" rx="4" fill="{FILL_FINAL}" '
                         f'stroke="{STROKE_FINAL}" stroke-width="1.5"/><rect x="{coord(x + 3)}" y="{coord(mid - 5)}" '
                         f'width="{glyph - 6}" height="10" rx="2" fill="none" stroke="{STROKE_FINAL}" stroke-width="1"/>')
        elif kind == "back":
            parts.append(f'<path d="M{coord(x)} {coord(mid)}H{coord(x + glyph - 2)}" stroke="{BACK}" stroke-width="1.5" '
                         f'stroke-dasharray="6 4" marker-end="url(#{prefix}-arrow-back)"/>')
        if kind == "loop":
            parts.append(svg_text(x, mid + 4, [text], size=TEXT_SIZE, anchor="start", fill=MUTED))
            item_w = text_width(text, TEXT_SIZE) + 20
        else:
            parts.append(svg_text(x + glyph + 6, mid + 4, [text], size=TEXT_SIZE, anchor="start", fill=MUTED))
        widest = max(widest, x + item_w - 20 - left)
        x += item_w
    parts.append("</g>")
    return "".join(parts), y + 18 - top, widest
