"""Bad input gets one clear line on stderr and exit status 2, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.core.errors import InputError
from bot.ingest.paste import parse_paste
from bot.ingest.reader import read_discussion


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\n\t ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"x" * 101, "too large"),
    ],
)
def test_reader_refuses_unreadable_input(data: bytes, message: str):
    with pytest.raises(InputError, match=message):
        read_discussion(data, max_bytes=100)


@pytest.mark.parametrize(
    "text",
    [
        "Just one paragraph of prose with no comments at all. It goes on for a while.",
        "A recipe\n\nNote: salt to taste.\nStep 1: boil water.\n",
        "1. first item\n2. second item\n3. third item\n",
    ],
)
def test_not_a_discussion(text: str):
    with pytest.raises(InputError, match="does not look like a discussion"):
        parse_paste(text)


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary", "binary"),
        (b"No comments here, only an essay about nothing in particular.", "discussion"),
        (b"a: b\n" * 1_100_000, "too large"),
    ],
)
def test_analyze_bad_input_exits_2_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, fragment: str
):
    path = tmp_path / "paste.txt"
    path.write_bytes(content)
    code, out, err = _run(["analyze", str(path)], capsys)
    assert code == 2
    assert out == ""
    assert fragment in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_analyze_missing_file(capsys: pytest.CaptureFixture[str]):
    code, _, err = _run(["analyze", "no-such-file.txt"], capsys)
    assert code == 2 and "No such file" in err and "Traceback" not in err


def test_mojibake_is_repaired_and_utf16_is_read() -> None:
    from bot.ingest.decode import decode_text

    assert decode_text("Matthias GallÃ© says â€” hello".encode()) == "Matthias Gallé says — hello"
    assert decode_text("Zoë: hi\n".encode("utf-16")) == "Zoë: hi\n"
    assert decode_text("plain “curly” text".encode()) == "plain “curly” text"


def test_mojibake_among_many_ascii_lines_is_repaired() -> None:
    from bot.ingest.decode import decode_text

    text = "\n".join(["Jane Doe\nMay 15, 2017 at 2:53 pm\nPlain ASCII text.\nReply\n"] * 500)
    text += "\nMatthias GallÃ©\nMay 16, 2017 at 9:01 am\nCâ€™est bon.\n"
    fixed = decode_text(text.encode())
    assert "Matthias Gallé" in fixed and "C’est bon." in fixed
    assert fixed.count("Plain ASCII text.") == 500


def test_too_many_comments_is_refused_with_the_limit(tmp_path, monkeypatch, capsys) -> None:
    from bot.cli import main

    paste = tmp_path / "big.txt"
    paste.write_text("".join(f"user{i}: comment number {i} here\n\n" for i in range(30)))
    monkeypatch.setenv("CROSSTALK_MAX_COMMENTS", "10")
    assert main(["analyze", str(paste)]) == 2
    err = capsys.readouterr().err
    assert "30 comments" in err and "limit is 10" in err and "Traceback" not in err


def test_fetched_pages_are_decoded_like_any_input() -> None:
    from bot.ingest.fetch import Fetched

    def page(body: bytes, charset: str | None = None) -> str:
        return Fetched("https://example.org/", 200, "text/html", charset, body).text()

    assert page("\ufeff<p>Zoë</p>".encode()) == "<p>Zoë</p>"  # byte-order mark dropped
    assert page("<p>GallÃ© says hi</p>".encode()) == "<p>Gallé says hi</p>"  # mojibake repaired
    assert page("<p>café</p>".encode("latin-1"), "iso-8859-1") == "<p>café</p>"
    assert page("<p>café</p>".encode("cp1252")) == "<p>café</p>"  # not UTF-8: Windows-1252


def test_too_large_says_the_real_size(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(50_000_000)  # `truncate -s 50000000 big.txt`
    code, _, err = _run(["analyze", str(big)], capsys)
    assert code == 2
    assert err == "crosstalk: The input is too large (50.0 MB); the limit is 5.0 MB.\n"
    near = tmp_path / "near.txt"
    near.write_bytes(b"a: b\n" * 1_008_000)  # 5,040,000 bytes: "5.0 MB" like the limit
    _, _, err = _run(["analyze", str(near)], capsys)
    assert "(5,040,000 bytes); the limit is 5,000,000 bytes." in err


def test_too_large_on_standard_input_says_over_the_limit(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    import io
    import sys

    stdin = io.TextIOWrapper(io.BytesIO(b"a: b\n" * 2_000_000))
    monkeypatch.setattr(sys, "stdin", stdin)
    code, _, err = _run(["analyze", "-"], capsys)
    assert code == 2
    assert err == "crosstalk: The input is too large: more than the limit of 5.0 MB.\n"


def test_truncated_json_says_it_is_invalid_and_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    whole = (
        Path(__file__).parents[1] / "fixtures" / "links" / "reddit_python_2xmo63.json"
    ).read_bytes()
    cut = tmp_path / "thread.json"
    cut.write_bytes(whole[:3000])
    code, _, err = _run(["analyze", str(cut)], capsys)
    assert code == 2
    assert err == (
        "crosstalk: The JSON is invalid: it stops at line 1, column 3001, before the document "
        "ends (is the file cut short?).\n"
    )
    with pytest.raises(InputError, match="JSON is invalid: it stops"):
        read_discussion(whole[:3000])  # no name (standard input): the same
    with pytest.raises(InputError) as err_info:
        read_discussion(b'{"a": 1,, "b": 2}', name="x.json")
    assert err_info.value.message == (
        "The JSON is invalid at line 1, column 9: expecting property name enclosed in double "
        "quotes."
    )


def test_a_paste_that_starts_like_json_is_still_a_paste():
    d = read_discussion(
        b"[12:01] <ann> rents are too high\n[12:02] <bob> ann: no, wages are too low\n"
    )
    assert [c.author for c in d.comments] == ["ann", "bob"]
