"""The shipped word vectors: loaded from the package with the network refused, meaning-aware,
and quiet (importing wordllama must not reconfigure the application's logging)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np

from bot.engines.offline.embeddings import DIM, sentence_vectors

ROOT = Path(__file__).parents[2]

_NO_NETWORK = """
import socket

def refused(*args, **kwargs):
    raise OSError("network refused by the test")

socket.socket.connect = refused
socket.socket.connect_ex = refused
socket.create_connection = refused
socket.getaddrinfo = refused
"""


def _run(code: str, home: Path) -> subprocess.CompletedProcess[str]:
    """`code` in a fresh interpreter (nothing loaded or cached yet) with sockets refused and
    an empty home folder (no wordllama cache to fall back on)."""
    script = textwrap.dedent(_NO_NETWORK) + textwrap.dedent(code)
    return subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"HOME": str(home), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )


def test_vectors_load_with_the_network_refused(tmp_path: Path) -> None:
    done = _run(
        """
        from bot.engines.offline.embeddings import sentence_vectors
        print(sentence_vectors(["Agents cost too much.", "Fees are too high."]).shape)
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == f"(2, {DIM})"
    assert not any(tmp_path.iterdir())  # nothing downloaded into a cache


def test_loading_leaves_the_logging_alone(tmp_path: Path) -> None:
    """wordllama's import calls logging.basicConfig(level=INFO): the application's logging
    (none configured here) must stay as it was."""
    done = _run(
        """
        import logging
        from bot.engines.offline.embeddings import sentence_vectors
        root = logging.getLogger()
        before = (list(root.handlers), root.level)
        sentence_vectors(["Agents cost too much."])
        assert (list(root.handlers), root.level) == before, (root.handlers, root.level)
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "INFO" not in done.stderr


def test_paraphrases_are_closer_than_other_points() -> None:
    texts = [
        "Agents charge far too much for the little work they do.",
        "Realtors are overpaid for what amounts to a few hours of paperwork.",
        "Selling a house without help exposes you to legal risks.",
        "Without a professional you may miss problems with the contract and get sued.",
    ]
    v = sentence_vectors(texts)
    assert v.shape == (4, DIM)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    sim = v @ v.T
    assert sim[0, 1] > max(sim[0, 2], sim[0, 3])
    assert sim[2, 3] > max(sim[2, 0], sim[2, 1])


def test_empty_and_wordless_texts() -> None:
    assert sentence_vectors([]).shape == (0, DIM)
    v = sentence_vectors(["!!! ...", "the of and", "Fees are too high."])
    assert not v[0].any() and not v[1].any()  # nothing that counts: a zero row, no NaN
    assert abs(float(np.linalg.norm(v[2])) - 1.0) < 1e-5


def test_centring_takes_out_what_all_texts_share() -> None:
    texts = [
        "School uniforms reduce bullying between pupils.",
        "School uniforms stop bullying over clothes.",
        "School uniforms are cheaper for poor families.",
        "School uniforms save parents money on clothes.",
    ]
    raw, centred = sentence_vectors(texts), sentence_vectors(texts, centre=True)
    # Centred, the two bullying sentences stay together and move away from the cost ones.
    assert centred[0] @ centred[1] > centred[0] @ centred[2]
    assert centred[0] @ centred[2] < raw[0] @ raw[2]


def test_engine_runs_with_the_network_refused(tmp_path: Path) -> None:
    done = _run(
        """
        from bot.cli import main
        from bot.engines.offline import embeddings
        status = main(["analyze", "examples/real-estate-agents.txt", "--json"])
        assert status == 0, status
        assert embeddings.model.cache_info().currsize == 1  # the vectors were used
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert '"engine": "offline"' in done.stdout
    assert not any(tmp_path.iterdir())  # nothing downloaded into a cache
