"""The reply graph as a PNG: commenters as nodes coloured by side, edges weighted by replies.

CPU work (layout and drawing take a few hundred milliseconds): call it through
`asyncio.to_thread`. matplotlib is imported lazily, with the Agg canvas and no pyplot, so
nothing touches a display or global figure state. The layout is deterministic (a spectral
start refined by Kamada-Kawai, nodes in a fixed order): the same report gives the same picture,
byte for byte.
"""

from __future__ import annotations

import io
import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from bot.core.model import Report
from bot.render.palette import OTHERS_COLOUR, author_sides, hex_colour, side_colour

if TYPE_CHECKING:
    import numpy as np

FILENAME = "reply-graph.png"
"""Attachment name to send the picture under; pass it to `render_report(graph_filename=...)`."""
MAX_NODES = 40
"""Commenters drawn individually; the rest become one "others (n)" node."""
WIDTH, HEIGHT, DPI = 12.0, 8.0, 100
LABEL_CHARS = 16
FONT = "DejaVu Sans"


@dataclass(frozen=True, slots=True)
class GraphData:
    """What the picture shows, decided before any drawing (and testable without it)."""

    nodes: tuple[str, ...]
    comments: dict[str, int]
    side: dict[str, int | None]
    edges: dict[tuple[str, str], int]
    """Unordered pair (sorted) -> replies between the two, both directions."""
    others: str | None
    """Name of the grouped node, if any."""
    hidden: int
    """Commenters who neither replied nor were replied to (not drawn)."""


def graph_data(report: Report, max_nodes: int = MAX_NODES) -> GraphData | None:
    """Choose nodes and edges: commenters in at least one reply, the `max_nodes` most involved
    kept, the rest grouped. None when nobody replied to anybody."""
    interactions = report.thread.interactions
    if not interactions:
        return None
    comments = Counter(c.author for c in report.discussion.comments)
    involvement: Counter[str] = Counter()
    for i in interactions:
        involvement[i.source] += i.count
        involvement[i.target] += i.count
    ranked = sorted(involvement, key=lambda a: (-involvement[a], -comments[a], a))
    keep = ranked if len(ranked) <= max_nodes else ranked[: max_nodes - 1]
    grouped = ranked[len(keep) :]
    others = f"others ({len(grouped)})"
    while others in comments:  # a commenter really named like that
        others += " "
    node_of = {a: a for a in keep} | dict.fromkeys(grouped, others)
    edges: Counter[tuple[str, str]] = Counter()
    for i in interactions:
        a, b = node_of[i.source], node_of[i.target]
        if a != b:
            edges[(min(a, b), max(a, b))] += i.count
    sides = author_sides(report)
    counts = {a: comments[a] for a in keep}
    side: dict[str, int | None] = {a: sides.get(a) for a in keep}
    if grouped:
        counts[others] = sum(comments[a] for a in grouped)
        side[others] = None
    return GraphData(
        nodes=tuple(counts),
        comments=counts,
        side=side,
        edges=dict(edges),
        others=others if grouped else None,
        hidden=len(comments) - len(ranked),
    )


@lru_cache(maxsize=1)
def _glyphs() -> frozenset[int]:
    from matplotlib.font_manager import FontProperties, findfont, get_font

    return frozenset(get_font(findfont(FontProperties(family=FONT))).get_charmap())


def _label(text: str, limit: int = LABEL_CHARS) -> str:
    """Text the font can draw (missing glyphs dropped), `$` kept literal, long names cut."""
    glyphs = _glyphs()
    text = "".join(ch for ch in " ".join(text.split()) if ord(ch) in glyphs)
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text.replace("$", r"\$") or "?"


def _component_layout(g: object, nodes: list[str]) -> dict[str, tuple[float, float]]:
    """One connected component, edges about one unit long, centred on the origin."""
    import networkx as nx
    import numpy as np

    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    if len(nodes) == 2:
        return {nodes[0]: (-0.9, 0.0), nodes[1]: (0.9, 0.0)}
    sub: nx.Graph[str] = nx.Graph()
    sub.add_nodes_from(nodes)  # a fixed order: the layout must not depend on set order
    sub.add_edges_from(sorted(e for e in g.subgraph(nodes).edges()))  # type: ignore[attr-defined]
    # Starting from the spectral layout converges in a few dozen steps instead of hundreds.
    # Coincident spectral positions (symmetric leaves) are nudged apart first: KK divides by
    # the distance between nodes.
    start = nx.spectral_layout(sub)
    nudged = _spread(np.array([start[n] for n in nodes]), 1e-3, rounds=3)
    pos = nx.kamada_kawai_layout(sub, weight=None, pos=dict(zip(nodes, nudged, strict=True)))
    xy = np.array([pos[n] for n in nodes], dtype=float)
    xy -= xy.mean(axis=0)
    edges = [(nodes.index(a), nodes.index(b)) for a, b in sub.edges()]
    typical = float(np.median([np.linalg.norm(xy[i] - xy[j]) for i, j in edges]))
    xy *= 1.6 / max(typical, 1e-9)
    # Labels are wide: side-by-side nodes need more room than stacked ones.
    stretch = np.array([LABEL_ROOM, 1.0])
    xy = _spread(xy / stretch, MIN_SPACING) * stretch
    return {n: (float(x), float(y)) for n, (x, y) in zip(nodes, xy, strict=True)}


MIN_SPACING = 1.15
"""Closest two node centres may come, in layout units: room for the circles and a label."""
LABEL_ROOM = 2.4
"""How much further apart side-by-side nodes must be than stacked ones."""


def _spread(xy: np.ndarray, spacing: float, rounds: int = 60) -> np.ndarray:
    """Push apart nodes closer than `spacing` (a few rounds of pairwise repulsion), keeping
    the shape of the layout; deterministic."""
    import numpy as np

    xy = np.array(xy, dtype=float)
    n = len(xy)
    # A fixed, tiny offset per node, so that coincident points have a direction to part in.
    angles = np.arange(n) * 2.399963
    xy += 1e-6 * np.column_stack((np.cos(angles), np.sin(angles)))
    for _ in range(rounds):
        delta = xy[:, None, :] - xy[None, :, :]
        dist = np.sqrt((delta**2).sum(axis=2)) + np.eye(n) * 1e9
        close = dist < spacing
        if not close.any():
            break
        push = np.where(close, (spacing - dist) / (2 * np.maximum(dist, 1e-9)), 0.0)
        xy += (delta * push[:, :, None]).sum(axis=1)
    return xy


def _layout(data: GraphData) -> dict[str, tuple[float, float]]:
    """Each connected component laid out on its own (Kamada–Kawai, deterministic), then the
    components packed in rows, largest first, so small ones do not drift to the edges."""
    import networkx as nx

    g: nx.Graph[str] = nx.Graph()
    g.add_nodes_from(data.nodes)
    g.add_edges_from(data.edges)
    order = {n: i for i, n in enumerate(data.nodes)}
    parts = sorted(
        (sorted(c, key=order.__getitem__) for c in nx.connected_components(g)),
        key=lambda c: (-len(c), order[c[0]]),
    )
    laid = [_component_layout(g, c) for c in parts]
    # Try a few row widths and keep the packing that fills the picture's shape best.
    widths = [_box(p)[1] - _box(p)[0] + GAP for p in laid]
    best: dict[str, tuple[float, float]] = {}
    best_scale = -1.0
    for row_width in sorted({sum(widths[:k]) for k in range(1, len(laid) + 1)}):
        packed = _pack(laid, row_width)
        x_min, x_max, y_min, y_max = _box(packed)
        scale = min(WIDTH / (x_max - x_min + GAP), HEIGHT / (y_max - y_min + GAP))
        if scale > best_scale + 1e-9:
            best, best_scale = packed, scale
    return best


GAP = 2.0
"""Space between components, and around the picture, in layout units (an edge is ~1.6)."""


def _box(pos: dict[str, tuple[float, float]]) -> tuple[float, float, float, float]:
    xs = [x for x, _ in pos.values()]
    ys = [y for _, y in pos.values()]
    return min(xs), max(xs), min(ys), max(ys)


def _pack(
    laid: list[dict[str, tuple[float, float]]], row_width: float
) -> dict[str, tuple[float, float]]:
    """Components left to right in rows no wider than `row_width`, rows top to bottom."""
    out: dict[str, tuple[float, float]] = {}
    x0 = y0 = row_height = 0.0
    for p in laid:
        x_min, x_max, y_min, y_max = _box(p)
        w, h = x_max - x_min + GAP, y_max - y_min + GAP
        if x0 > 0 and x0 + w > row_width + 1e-9:
            x0, y0, row_height = 0.0, y0 - row_height, 0.0
        for n, (x, y) in p.items():
            out[n] = (x0 + x - x_min, y0 - (y_max - y))
        x0 += w
        row_height = max(row_height, h)
    return out


def render_reply_graph(report: Report) -> bytes | None:
    """The author reply graph as PNG bytes, or None when there are no replies."""
    data = graph_data(report)
    if data is None:
        return None
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Circle
    from threadpoolctl import threadpool_limits

    # The layout solves tiny problems; a multi-threaded BLAS only adds contention (3-10x slower
    # on a busy machine).
    with threadpool_limits(limits=1):
        pos = _layout(data)
    fig = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    legend_room = 0.06 if report.sides else 0.0
    ax = fig.add_axes((0.01, 0.01 + legend_room, 0.98, 0.9 - legend_room))
    ax.set_axis_off()
    ax.set_aspect("equal")

    colour = {n: hex_colour(side_colour(data.side[n])) for n in data.nodes}
    most_edge = max(data.edges.values())
    for (a, b), count in sorted(data.edges.items(), key=lambda e: (e[1], e[0])):
        (xa, ya), (xb, yb) = pos[a], pos[b]
        same = data.side[a] is not None and data.side[a] == data.side[b]
        ax.plot(
            (xa, xb),
            (ya, yb),
            color=colour[a] if same else "#666666",
            alpha=0.45 + 0.4 * count / most_edge,
            linewidth=1.0 + 7.0 * math.sqrt(count / most_edge),
            solid_capstyle="round",
            zorder=1,
        )
    most = max(data.comments.values())
    op = report.discussion.article.author  # the article's author, ringed, when they comment
    for n in data.nodes:
        x, y = pos[n]
        r = 0.14 + 0.3 * math.sqrt(data.comments[n] / most)
        is_op = n == op
        ax.add_patch(
            Circle(
                (x, y),
                r,
                facecolor=colour[n],
                edgecolor="#222222" if is_op else "white",
                lw=2.5 if is_op else 1.5,
                zorder=2,
            )
        )
        ax.text(
            x,
            y - r - 0.06,
            _label(n, 24 if n == data.others else LABEL_CHARS) + (" (author)" if is_op else ""),
            ha="center",
            va="top",
            fontsize=9.5,
            fontfamily=FONT,
            zorder=3,
            bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.7},
        )
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    ax.set_xlim(min(xs) - 1.2, max(xs) + 1.2)
    ax.set_ylim(min(ys) - 1.1, max(ys) + 0.7)

    title = report.discussion.article.title or "Who replied to whom"
    fig.suptitle(_label(title, 90), fontsize=14, fontfamily=FONT, y=0.985)
    notes = ["circle size = comments", "line width = replies"]
    if data.others:
        notes.append(f"the {MAX_NODES - 1} most involved commenters shown")
    if data.hidden:
        notes.append(f"{data.hidden} commenters outside any exchange left out")
    fig.text(0.5, 0.93, " · ".join(notes), ha="center", fontsize=9, color="#555555")

    camps = [i for i, s in enumerate(report.sides) if not s.neutral]
    handles = [
        Line2D([], [], marker="o", linestyle="", markersize=9, color=hex_colour(side_colour(i)))
        for i in camps
    ]
    labels = [_label(report.sides[i].label, 40) for i in camps]
    if report.sides and any(v is None for v in data.side.values()):
        handles.append(
            Line2D([], [], marker="o", linestyle="", markersize=9, color=hex_colour(OTHERS_COLOUR))
        )
        neutral = [s.label for s in report.sides if s.neutral]
        labels.append(_label(neutral[0], 40) if neutral else "no side")
    if handles:
        fig.legend(
            handles,
            labels,
            loc="lower center",
            ncol=min(len(handles), 4),
            fontsize=9,
            frameon=False,
            borderaxespad=0.4,
        )

    out = io.BytesIO()
    # No metadata: no version or date in the file, so the bytes depend on the report alone.
    fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()
