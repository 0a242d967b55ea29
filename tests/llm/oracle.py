"""An oracle model for the LLM engine's pipeline (test infrastructure, not shipped).

It knows the labelled stance of each comment's author and answers as a perfect reader would:
map calls with each comment under its stance ("pro", "anti", "other"; one argument per stance,
quoting the first words of its first comment), merge calls by folding stance groups and
arguments of the same label, reduce calls with one side per label. Whatever the report then
gets wrong was lost by the engine's own work: chunking, merging, ids, assembling sides.

`corrupt` answers on purpose, decided per map answer by a seeded random draw:
- "swap": the answer's pro and anti labels are exchanged (a model that names the camps the
  wrong way round in one part of the discussion);
- "flip": each comment's pro/anti label is flipped with the given probability.

Use it as a FakeLLMServer responder: `FakeLLMServer(responder=Oracle(discussion, gold))`.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Mapping
from typing import Any, Literal

from bot.core.model import Discussion, Report
from bot.eval.sides import Prediction, score
from tests.llm.fake_server import blocks, first_words

_NUMBER = re.compile(r"^(\d+) ")
_DIGEST = re.compile(r"^([SA]\d+)(?: \((S\d+)\))? \[[^\]]*\] (.*)$")
_SWAP = {"pro": "anti", "anti": "pro", "other": "other"}


class Oracle:
    def __init__(
        self,
        discussion: Discussion,
        stance: Mapping[str, str],
        *,
        corrupt: float = 0.0,
        how: Literal["swap", "flip"] = "swap",
        seed: int = 0,
    ) -> None:
        self.by_index = {c.index: c for c in discussion.comments}
        self.stance = stance
        self.corrupt = corrupt
        self.how = how
        self.seed = seed
        self.map_answers = 0
        self.corrupted = 0
        """Map answers swapped, or labels flipped."""

    def __call__(self, body: dict[str, Any]) -> str:
        user = next(m["content"] for m in body["messages"] if m["role"] == "user")
        if "<<<COMMENTS" in user:
            return json.dumps(self.map(blocks(user, "COMMENTS")[0]))
        digest = [
            m.groups() for x in blocks(user, "DIGEST")[0].splitlines() if (m := _DIGEST.match(x))
        ]
        return json.dumps(self.reduce(digest) if "<<<ARTICLE" in user else self.merge(digest))

    def draw(self, numbers: list[int]) -> float:
        return random.Random(f"{self.seed}:{numbers}").random()

    def label(self, number: int) -> str:
        return self.stance.get(self.by_index[number].author, "other")

    def map(self, comments: str) -> dict[str, Any]:
        numbers = [int(m.group(1)) for x in comments.splitlines() if (m := _NUMBER.match(x))]
        labels = {n: self.label(n) for n in numbers}
        self.map_answers += 1
        # Drawn from the part's own numbers, so the calls' order (they run in parallel) does
        # not change which answers are corrupted.
        if self.how == "swap" and self.draw(numbers) < self.corrupt:
            self.corrupted += 1
            labels = {n: _SWAP[lab] for n, lab in labels.items()}
        elif self.how == "flip":
            for n in numbers:
                if self.draw([n]) < self.corrupt and labels[n] != "other":
                    self.corrupted += 1
                    labels[n] = _SWAP[labels[n]]
        order = list(dict.fromkeys(labels.values()))
        stances, arguments = [], []
        for k, lab in enumerate(order):
            mine = [n for n in numbers if labels[n] == lab]
            first = self.by_index[mine[0]]
            quote = {
                "comment": first.index,
                "author": first.author,
                "text": first_words(first.text),
            }
            arguments.append(
                {"point": f"The {lab} case", "stance": k, "comments": mine[:1], "quote": quote}
            )
            stances.append({"label": lab, "comments": mine[1:]})
        return {"stances": stances, "arguments": arguments}

    @staticmethod
    def _by_label(
        digest: list[tuple[str, str | None, str]],
    ) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """Stance ids by label, and argument ids by the label of their stance."""
        label_of = {i: text for i, _s, text in digest if i.startswith("S")}
        stances: dict[str, list[str]] = {}
        for i, text in label_of.items():
            stances.setdefault(text, []).append(i)
        arguments: dict[str, list[str]] = {}
        for i, s, _text in digest:
            if i.startswith("A") and s in label_of:
                arguments.setdefault(label_of[s], []).append(i)
        return stances, arguments

    def merge(self, digest: list[tuple[str, str | None, str]]) -> dict[str, Any]:
        stances, arguments = self._by_label(digest)
        labels = list(stances)
        return {
            "stances": [{"label": lab, "from": stances[lab]} for lab in labels],
            "arguments": [
                {"point": f"The {lab} case", "stance": k, "from": arguments[lab]}
                for k, lab in enumerate(labels)
                if arguments.get(lab)
            ],
        }

    def reduce(self, digest: list[tuple[str, str | None, str]]) -> dict[str, Any]:
        stances, arguments = self._by_label(digest)
        sides = [
            {
                "label": lab,
                "stance": lab,
                "summary": f"Commenters whose stance is {lab}.",
                "stances": ids,
                "key_arguments": [
                    {"point": f"The {lab} case", "arguments": arguments.get(lab, [])}
                ],
            }
            for lab, ids in stances.items()
        ]
        return {"headline": "What the commenters say.", "sides": sides}


def prediction(report: Report) -> Prediction:
    """The report's sides as `crosstalk eval sides` scores them: each side a group; the oracle
    says which oppose which by its labels, the side "pro" is bloc 0 and "anti" bloc 1, its
    "other" side in neither."""
    blocs = {"pro": 0, "anti": 1}
    groups = {a: k for k, side in enumerate(report.sides) for a in side.authors}
    return Prediction(
        groups=groups,
        blocs={k: blocs[s.label] for k, s in enumerate(report.sides) if s.label in blocs},
    )


def strict_two_bloc(report: Report, stance: Mapping[str, str]) -> float:
    """`crosstalk eval sides`' strict two-bloc score of the report (an author in no bloc is
    wrong; chance is about 0.5)."""
    return score(prediction(report), dict(stance)).strict
