import hashlib
import os
import struct
import subprocess
import sys
from pathlib import Path

from reports import ODD_NAMES, make_report

from bot.core.model import Article, Comment, Discussion, Report, Side
from bot.core.thread import build_thread
from bot.render.graph import MAX_NODES, graph_data, render_reply_graph

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def chat(*rows: tuple[str, int | None]) -> Report:
    comments = tuple(
        Comment(id=f"c{i}", index=i, author=a, text="t", parent_id=f"c{p}" if p else None)
        for i, (a, p) in enumerate(rows, start=1)
    )
    thread = build_thread(Discussion(article=Article(title="T"), comments=comments))
    return Report(engine="test", thread=thread)


def test_png_of_a_real_sized_discussion(tmp_path: Path):
    report = make_report(commenters=30, comments=120, names=ODD_NAMES)
    png = render_reply_graph(report)
    assert png is not None
    assert png_size(png) == (1200, 800)
    assert 10_000 < len(png) < 1_500_000
    (tmp_path / "g.png").write_bytes(png)


def test_no_replies_no_picture():
    assert render_reply_graph(chat(("ann", None), ("bob", None), ("ann", 1))) is None
    assert graph_data(chat(("ann", None))) is None


def test_nodes_sizes_sides_and_edges():
    report = chat(("ann", None), ("bob", 1), ("ann", 2), ("cat", 1), ("dan", None), ("ann", 4))
    report = Report(
        engine="t",
        thread=report.thread,
        sides=(Side("A", "", ("ann",), (), ""), Side("B", "", ("bob", "cat"), (), "")),
    )
    data = graph_data(report)
    assert data is not None
    assert set(data.nodes) == {"ann", "bob", "cat"}
    assert data.comments == {"ann": 3, "bob": 1, "cat": 1}
    assert data.side == {"ann": 0, "bob": 1, "cat": 1}
    assert data.edges == {("ann", "bob"): 2, ("ann", "cat"): 2}
    assert data.hidden == 1  # dan: no replies either way
    assert data.others is None


def test_more_than_forty_commenters_are_grouped():
    # A star: 59 users reply to hub once; hub answers user n 60 - n times.
    rows: list[tuple[str, int | None]] = [("hub", None)]
    for n in range(1, 60):
        rows.append((f"user{n:02d}", 1))
        mine = len(rows)  # 1-based index of user n's comment
        rows += [("hub", mine)] * (60 - n)
    report = chat(*rows)
    data = graph_data(report)
    assert data is not None
    assert len(data.nodes) == MAX_NODES
    # 60 commenters in replies: the 39 most involved drawn, 21 grouped.
    assert data.others == "others (21)"
    assert data.nodes[-1] == "others (21)"
    assert "user38" in data.nodes and "user39" not in data.nodes
    total = sum(i.count for i in report.thread.interactions)
    assert sum(data.edges.values()) == total  # nothing lost: grouped replies go to "others"
    # Each grouped user replied to hub once and hub replied to them 60 - n times.
    assert data.edges[("hub", "others (21)")] == sum(1 + 60 - n for n in range(39, 60))
    assert data.comments["others (21)"] == 21
    png = render_reply_graph(report)
    assert png is not None and png_size(png) == (1200, 800)


def test_same_report_same_bytes_even_in_another_process():
    report = make_report(commenters=25, comments=90, seed=3)
    first = render_reply_graph(report)
    assert first is not None
    assert render_reply_graph(report) == first
    # Set iteration order changes with the hash seed; the picture must not.
    code = (
        "import hashlib, sys; sys.path.insert(0, 'tests/render');"
        "from reports import make_report; from bot.render.graph import render_reply_graph;"
        "print(hashlib.sha256(render_reply_graph("
        "make_report(commenters=25, comments=90, seed=3))).hexdigest())"
    )
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONHASHSEED="12345")
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == hashlib.sha256(first).hexdigest()
