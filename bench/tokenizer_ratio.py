"""How many more tokens other tokenizers count than cl100k on Crosstalk's prompts (the basis of
bot.llm.tokens.MARGIN). Two steps, because the other tokenizers are not dependencies:

1. In the project's venv, write sample texts with their cl100k counts:
       .venv/bin/python bench/tokenizer_ratio.py write /tmp/samples.json
2. In a scratch venv with `pip install mistral-common sentencepiece` (they ship Mistral's
   tokenizer files: the 32k sentencepiece vocabularies of Mistral 7B v0.x and tekken, 131k):
       /tmp/tokvenv/bin/python bench/tokenizer_ratio.py measure /tmp/samples.json

Samples: a map prompt over a 1,000-comment generated thread's first chunk, a maximal map answer
for it, and the comment lines of the Reddit and WordPress fixtures.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def write(path: str) -> None:
    sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]
    from llm_synthetic import discussion

    from bot.core.thread import build_thread
    from bot.engines.llm.engine import nonce
    from bot.engines.llm.packing import pack
    from bot.engines.llm.reading import MAP_ARGUMENTS
    from bot.llm.prompts import load_prompt
    from bot.llm.tokens import count_tokens

    d = discussion(1000)
    chunk = pack(build_thread(d), 5800)[0][0]
    messages = load_prompt("map").render(
        language="English",
        title=d.article.title,
        nonce=nonce(chunk.text),
        comments=chunk.text,
        max_arguments=str(MAP_ARGUMENTS),
    )
    by_id = d.by_id()
    numbers = [by_id[i].index for i in chunk.comment_ids]
    words = chunk.text.split()
    answer = {
        "stances": [{"label": " ".join(words[:8]), "comments": numbers[60:]}],
        "arguments": [
            {
                "point": " ".join(words[k * 15 : k * 15 + 15]),
                "stance": 0,
                "comments": numbers[k * 10 : k * 10 + 10],
                "quote": {
                    "comment": numbers[k * 10],
                    "author": "user12",
                    "text": " ".join(words[:20]),
                },
            }
            for k in range(MAP_ARGUMENTS)
        ],
    }
    samples = {
        "map prompt (generated)": "\n".join(m.content for m in messages),
        "map answer (maximal)": json.dumps(answer),
    }
    for name, pattern in [("reddit fixtures", "reddit_*.json")]:
        lines = []
        for f in sorted((ROOT / "tests/fixtures/links").glob(pattern)):
            for k, (author, body) in enumerate(_bodies(json.loads(f.read_text()))):
                lines.append(f"{k + 1} {author}>{max(1, k)}: " + " ".join(body.split()))
        samples[name] = "\n".join(lines)
    wp = ROOT / "tests/fixtures/links/wordpress_lemire_java_comments.md"
    samples["wordpress fixture (raw md)"] = wp.read_text()
    out = {k: {"text": v, "cl100k": count_tokens(v)} for k, v in samples.items()}
    Path(path).write_text(json.dumps(out))
    print(f"wrote {len(out)} samples to {path}")


def _bodies(x: Any) -> Any:
    if isinstance(x, dict):
        if isinstance(x.get("body"), str) and isinstance(x.get("author"), str):
            yield x["author"], x["body"]
        for v in x.values():
            yield from _bodies(v)
    elif isinstance(x, list):
        for v in x:
            yield from _bodies(v)


def measure(path: str) -> None:
    import mistral_common
    import sentencepiece as spm
    from mistral_common.tokens.tokenizers.tekken import Tekkenizer

    data = Path(mistral_common.__file__).parent / "data"
    sp = spm.SentencePieceProcessor(
        model_file=str(data / "mistral_instruct_tokenizer_240323.model.v3")
    )
    counters = {"mistral 32k (v0.1-v0.3)": lambda s: len(sp.encode(s))}
    tekken = Tekkenizer.from_file(str(next(data.glob("tekken_*.json"))))
    counters["tekken 131k (Nemo)"] = lambda s: len(tekken.encode(s, bos=False, eos=False))
    samples = json.loads(Path(path).read_text())
    print(f"{'sample':26} {'cl100k':>7}  " + "  ".join(f"{n:>24}" for n in counters))
    for name, s in samples.items():
        ratios = "  ".join(f"{f(s['text']) / s['cl100k']:>24.3f}" for f in counters.values())
        print(f"{name:26} {s['cl100k']:>7}  {ratios}")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("write", "measure"):
        sys.exit(__doc__)
    (write if sys.argv[1] == "write" else measure)(sys.argv[2])
