"""The HTML parsing helpers the platform parsers share (bot.ingest.platforms.markup)."""

import lxml.html
import pytest
from lxml import etree

from bot.core.errors import InputError
from bot.ingest.platforms.markup import parse_document, parse_fragment

_DECLARED = '<?xml version="1.0" encoding="utf-8"?><p>hi</p>'
"""lxml refuses a str that declares its own encoding (ValueError)."""


def test_parse_document_reads_a_page() -> None:
    doc = parse_document("<html><body><p>Hello</p></body></html>")
    assert doc.xpath("string(//p)") == "Hello"


@pytest.mark.parametrize(("what", "said"), [((), "This page"), (("This HN page",), "This HN page")])
def test_parse_document_says_which_page_could_not_be_read(what: tuple[str, ...], said: str) -> None:
    with pytest.raises(InputError) as err:
        parse_document("", *what)
    assert err.value.message == f"{said} could not be read as HTML."
    with pytest.raises(InputError):
        parse_document(_DECLARED, *what)


def test_parse_fragment_wraps_in_a_div_or_gives_none() -> None:
    root = parse_fragment("<p>a</p><p>b</p>")
    assert root is not None
    assert root.tag == "div"
    assert [p.text for p in root.iter("p")] == ["a", "b"]


def test_parse_fragment_gives_none_when_lxml_refuses(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise etree.ParserError("refused")

    monkeypatch.setattr(lxml.html, "fragment_fromstring", refuse)
    assert parse_fragment("<p>a</p>") is None
