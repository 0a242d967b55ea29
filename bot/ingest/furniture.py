"""Page furniture: the lines a copied web page carries that nobody wrote as part of the debate
(Reply links, vote counts, share buttons, comment-form text, cookie banners, author bios)."""

from __future__ import annotations

import re

_EXACT = {
    "reply",
    "reply ↓",
    "↓",
    "↑",
    "▲",
    "▼",
    "log in to reply",
    "login to reply",
    "like",
    "unlike",
    "liked",
    "like like",
    "share",
    "report",
    "flag",
    "permalink",
    "edit",
    "delete",
    "quote",
    "upvote",
    "downvote",
    "vote up",
    "vote down",
    "says:",
    "said:",
    "share this:",
    "like this:",
    "like loading...",
    "like loading…",
    "loading...",
    "related",
    "twitter",
    "facebook",
    "linkedin",
    "reddit",
    "email",
    "print",
    "tweet",
    "pin",
    "accept",
    "accept all",
    "decline",
    "reject all",
    "got it",
    "ok, got it",
    "manage cookies",
    "cookie settings",
    "comment",
    "name *",
    "email *",
    "website",
    "name (required)",
    "email (required)",
    "post comment",
    "submit comment",
    "cancel reply",
    "load more comments",
    "show more replies",
    "view replies",
    "hide replies",
    "read more",
    "continue reading",
    "advertisement",
    "sponsored",
    "save",
    "follow",
    "award",
    "give award",
    "share ›",
    "more replies",
    "continue this thread",
    "embed",
    "parent",
    "context",
}

_PATTERNS = re.compile(
    "|".join(
        f"(?:{p})"
        for p in (
            r"^[▲▼↑↓]\s*\d{1,6}\s*[▲▼↑↓]?$",  # vote counts with arrows: ▲ 5, ↑12
            r"^\d{1,6}\s*[▲▼↑↓]$",
            r"^[▲↑]\s*\d{0,6}\s*[▼↓]$",
            r"^\d{1,6}\s+(points?|votes?|likes?|upvotes?|dislikes?)(\s*[·|•].*)?$",
            r"^(like|likes|likes:)\s*\(?\d{1,6}\)?$",
            r"^(reply|like|share|report)(\s*[·|•]\s*(reply|like|share|report|\d+))+$",
            r"^\d{1,6}\s+(responses?|comments?|replies|thoughts)\b.*$",
            r"^(one|two|three|four|five|six|seven|eight|nine|ten)\s+(responses?|comments?|thoughts?)"
            r"\b.*$",
            r"^(filed under|tagged with|tagged|tags|categories|category|posted in)\s*:.*$",
            r"^(notify me of|your email address will not be published|required fields are marked)"
            r".*$",
            r"^save my name, email, and website.*$",
            r"^this site uses akismet.*$",
            r"^(this (web)?site|we) uses? cookies\b.*$",
            r"^by (continuing|using) (to use )?this (web)?site.*cookies.*$",
            r"^(share|share this|share on) (on )?(twitter|facebook|linkedin|reddit|email)\b.*$",
            r"^click to (share|email|print)\b.*$",
            r"^\(?(opens in new window)\)?$",
            r"^you must be logged in to post a comment\.?$",
            r"^(sign in|log in) to comment\.?$",
            r"^[•·|›»«‹]+$",  # separator dots left by icons and buttons (not a writer's ----)
            r"^(reply|share|like|report|flag)\s*[›»•·]+$",
            r"^(permalink|embed|save|parent|report|give award|reply|source)"
            r"(\s+(permalink|embed|save|parent|report|give award|reply|source))+$",
            r"^\d+\s+more repl(y|ies)$",
        )
    ),
    re.IGNORECASE,
)

_END_OF_COMMENTS = re.compile(
    r"^(leave a reply|leave a comment|speak your mind|add a comment|post a comment|"
    r"join the discussion|write a comment|comments are closed\.?|trackbacks?(/pingbacks)?)"
    r"\s*:?$",
    re.IGNORECASE,
)
_BIO_HEADING = re.compile(r"^about the (author|writer)\s*:?$", re.IGNORECASE)


def is_furniture(line: str) -> bool:
    """Whether a (stripped) line is page furniture to drop."""
    s = line.strip()
    if not s or len(s) > 160:  # furniture is short; most text lines are not
        return False
    return s.lower() in _EXACT or bool(_PATTERNS.match(s))


_BARE_NUMBER = re.compile(r"^[+\-−]?\d{1,6}$")
_VOTE_WORDS = {"like", "likes", "liked", "unlike", "upvote", "downvote", "vote up", "vote down"}
_VOTE_WORDS |= {"▲", "▼", "↑", "↓", "points", "votes"}


def _is_vote(line: str) -> bool:
    return line.lower() in _VOTE_WORDS


def ends_comments(line: str) -> bool:
    """A comment-form heading: what follows it is the form, not a comment."""
    return len(line) < 80 and bool(_END_OF_COMMENTS.match(line.strip()))


def is_bio_heading(line: str) -> bool:
    return len(line) < 40 and bool(_BIO_HEADING.match(line.strip()))


def clean_lines(lines: list[str]) -> list[str]:
    """Blank out furniture, keeping the line count (parsers rely on positions)."""
    out: list[str] = []
    bio = 0  # 0: not in a bio; 1: after its heading; 2: inside its paragraph
    for line in lines:
        s = line.strip()
        if bio:
            if s:
                bio = 2
            elif bio == 2:
                bio = 0
            out.append("")
            continue
        if is_bio_heading(s):
            bio = 1
            out.append("")
            continue
        out.append("" if is_furniture(s) else line)
    # A bare number ("12", "+3") is a vote count only next to other furniture ("Like", "Reply");
    # inside text ("-2" printed by a code sample) or as a whole answer ("42") it is text.
    for i, line in enumerate(out):
        s = line.strip()
        if not s or s[0] not in "+-−0123456789" or not _BARE_NUMBER.match(s):
            continue
        around = [lines[j].strip() for j in (i - 1, i + 1) if 0 <= j < len(lines)]
        if all(not a or is_furniture(a) for a in around) and any(map(_is_vote, around)):
            out[i] = ""
    return out
