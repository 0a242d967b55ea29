"""The command line: `crosstalk analyze`, `crosstalk run`, `crosstalk worker`, `crosstalk eval`.

Errors a user can fix print as one line on stderr with exit status 2; nothing prints a
traceback unless `--debug` is given.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from pathlib import Path

import aiohttp

from bot.config import MAX_INPUT_BYTES, Settings, load_settings
from bot.core.contract import report_to_dict
from bot.core.errors import CrosstalkError, InputError
from bot.core.model import Discussion
from bot.engines.select import make_engine
from bot.eval import cli as eval_cli
from bot.ingest.decode import human_size, too_large
from bot.ingest.fetch import open_session
from bot.ingest.platforms import api_links, json_formats, page_formats
from bot.ingest.reader import read_discussion
from bot.ingest.sources import load_source, looks_like_url
from bot.pipeline import analyze_discussion, fetch_policy
from bot.render.markdown import render_markdown

EXIT_USER_ERROR = 2


def _read_source(source: str, settings: Settings) -> Discussion:
    """Never reads more than the limit and a byte: past it, the input is refused."""
    limit = settings.max_input_bytes
    if source == "-":
        data = sys.stdin.buffer.read(limit + 1)
        if len(data) > limit:  # its real size is not known: the rest was never read
            raise too_large(limit)
        return read_discussion(data, max_bytes=limit)
    path = Path(source)
    if not path.exists():
        raise InputError(f"No such file: {source}")
    if path.is_dir():
        raise InputError(f"{source} is a folder; give a file, a link or - for standard input.")
    size = path.stat().st_size
    if size > limit:
        raise too_large(limit, size)
    with path.open("rb") as fh:
        data = fh.read(limit + 1)
    return read_discussion(data, name=path.name, max_bytes=limit)


async def _analyze(args: argparse.Namespace, settings: Settings) -> str:
    # Two sessions on purpose: links are hostile input and go through the guarded session;
    # the model server (often on localhost) is the user's own choice and must not be refused.
    async with aiohttp.ClientSession() as session:  # one session for the run, closed once
        engine = make_engine(args.engine, settings, session)  # a config error fails first
        if looks_like_url(args.source) and not Path(args.source).exists():
            policy = fetch_policy(settings)
            async with open_session(policy) as fetch_session:
                discussion = await load_source(args.source, policy, fetch_session)
        else:
            discussion = _read_source(args.source, settings)
        report = await analyze_discussion(
            discussion, engine, language=args.language, max_comments=settings.max_comments
        )
    if args.json:
        return json.dumps(report_to_dict(report), ensure_ascii=False, indent=2)
    return render_markdown(report)


def _analyze_epilog() -> str:
    limit = f"CROSSTALK_MAX_INPUT_BYTES (default {human_size(MAX_INPUT_BYTES)})"
    return f"""\
accepted inputs:
  .txt, .md   a paste: `Name: text` paragraphs, WordPress comment lists (numbered or not),
              outlines, chat logs (IRC, Discord, Slack, WhatsApp), Reddit page copies
  .html       a saved page: {", ".join(page_formats())}, or any article with its comments
  .json       a saved API answer: {", ".join(json_formats())}
  a link      http(s)://…: through the platform's API for
              {", ".join(api_links())};
              any other page is read as an article with its comments
  -           standard input, read like a file
  Inputs over {limit} are refused.

examples:
  crosstalk analyze examples/real-estate-agents.txt
  crosstalk analyze - < thread.txt
  crosstalk analyze saved-page.html --json > map.json
  crosstalk analyze "https://news.ycombinator.com/item?id=9646971"
  crosstalk analyze thread.json --engine llm --language Deutsch
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="crosstalk", description=__doc__.splitlines()[0])
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug logs")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser(
        "analyze",
        help="map the debate in a paste, a saved page or a link",
        description="Map the debate in a discussion: who replied to whom, the sides, their key\n"
        "arguments (with checked quotes) and the arguments nobody answered.",
        epilog=_analyze_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("source", help="a file, a link, or - for standard input (see below)")
    p.add_argument("--json", action="store_true", help="print the JSON contract")
    p.add_argument(
        "--engine",
        choices=["auto", "offline", "llm"],
        default="auto",
        help="auto = llm when LLM_BASE_URL and LLM_MODEL are set, else offline",
    )
    p.add_argument("--language", default=None, help="language of the summaries")
    sub.add_parser(
        "run",
        help="start the Discord bot (needs DISCORD_TOKEN; see docs/discord.md)",
        description="Connect to Discord and serve /summarize, /ask and /crosstalk until stopped.",
    )
    w = sub.add_parser(
        "worker",
        help="make the summaries bots queued in Redis (CROSSTALK_QUEUE_URL; see docs/scale.md)",
        description="Take summaries from the Redis queue (CROSSTALK_QUEUE_URL) and answer them "
        "through Discord's REST API, until stopped. Run as many as you like, on any machine.",
    )
    w.add_argument("--concurrency", type=int, default=1, help="summaries made at once (default 1)")
    eval_cli.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        settings = load_settings()
        if args.command == "analyze":
            output = asyncio.run(_analyze(args, settings))
            sys.stdout.write(output if output.endswith("\n") else output + "\n")
            return 0
        if args.command == "run":
            from bot.discord import runner  # the adapter sits above the CLI: loaded on demand

            return runner.run_command(args, settings)
        if args.command == "worker":
            from bot.discord import runner

            return runner.worker_command(args, settings)
        if hasattr(args, "handler"):
            return args.handler(args)
    except CrosstalkError as exc:
        print(f"crosstalk: {exc.message}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug: say so briefly, with the traceback only on --debug
        if args.debug:
            raise
        print(
            f"crosstalk: internal error ({type(exc).__name__}: {exc}); "
            "run again with --debug for details",
            file=sys.stderr,
        )
        return 1
    return 0
