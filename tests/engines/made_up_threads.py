"""Made-up threads (written for these tests) for the cases sides must get right."""

from __future__ import annotations

from bot.core.model import Article, Comment, Discussion

Row = tuple[str, int | None, str]
"""(author, number of the comment it replies to or None, text)."""


def _comments(rows: list[Row]) -> tuple[Comment, ...]:
    return tuple(
        Comment(f"c{n}", n, author, text, parent_id=f"c{parent}" if parent else None)
        for n, (author, parent, text) in enumerate(rows, start=1)
    )


CEASEFIRE_ARTICLE = (
    "The government should accept the ceasefire offer now. Every week of shelling costs "
    "civilian lives, and the terms on the table keep the border where it is today. A "
    "ceasefire is not a surrender: it gives time for talks, for aid convoys and for the "
    "people in the border towns to rebuild."
)

# (author, parent comment number or None, text). Two camps argue: accept the ceasefire
# (ana, ben, cleo, dev) against reject it (eli, fay, gus, hal); three commenters (mick,
# tara, olly) quarrel about an old bet.
CEASEFIRE_ROWS: list[Row] = [
    ("ana", None, "Exactly. A ceasefire saves lives now, and talks can settle the border later."),
    ("eli", 1, "No, a ceasefire only gives the army time to rearm and attack again in spring."),
    ("ben", 2, "Wrong. The monitors and the aid convoys make rearming far harder than you claim."),
    ("fay", 3, "Nonsense, the last ceasefire collapsed because nobody enforced the monitors."),
    ("cleo", 1, "Agreed, the border towns need aid convoys and time to rebuild their homes."),
    ("gus", 5, "But rebuilding means nothing if the shelling resumes the moment talks stall."),
    ("dev", 6, "You ignore that the shelling has already stopped twice during earlier talks."),
    ("hal", None, "Rejecting the offer is the only way to win back the occupied border towns."),
    (
        "ana",
        8,
        "No, rejecting the ceasefire means more civilian deaths for a border nobody can hold.",
    ),
    (
        "eli",
        9,
        "Exactly wrong: the border can be held if the army is supplied, and a truce stops that.",
    ),
    ("dev", 10, "Supplies will not bring back the civilians killed while we wait for a victory."),
    ("fay", None, "The ceasefire terms reward the invasion and invite the next one."),
    ("cleo", 12, "No, the terms freeze the lines and the talks can still return the border towns."),
    ("gus", 13, "Talks never returned a single town in the last war, and they will not now."),
    ("ben", 14, "But the alternative is another year of shelling, and the towns will be rubble."),
    ("mick", 4, "Fay, you still owe me twenty quid from the bet on the cup final."),
    ("tara", 16, "Ha, Mick, you lost that bet fair and square, pay up yourself."),
    ("olly", 17, "Tara is right mate, I was there at the pub, you shook hands on it."),
    ("mick", 18, "Olly, you were three pints in, you remember nothing from that night lol."),
    ("tara", 19, "Stop whining Mick, a bet is a bet, just transfer the money tonight."),
    ("hal", 15, "The towns are rubble already, and a truce hands them over for good."),
    ("ana", 21, "Then let the talks decide, because the shelling will not rebuild a single home."),
]


def ceasefire() -> tuple[Discussion, dict[str, int]]:
    """The ceasefire thread and the true camp of every debater (0 accept, 1 reject)."""
    comments = _comments(CEASEFIRE_ROWS)
    article = Article(title="Accept the ceasefire", author="Editor", text=CEASEFIRE_ARTICLE)
    truth = {a: 0 for a in ("ana", "ben", "cleo", "dev")} | {
        a: 1 for a in ("eli", "fay", "gus", "hal")
    }
    return Discussion(article=article, comments=comments), truth


QUESTION_ARTICLE = "Should the town build a new bypass? What do you all think?"
QUESTION_ROWS: list[Row] = [
    (
        "ann",
        None,
        "Exactly what we need, because the high street is choked with lorries every day.",
    ),
    ("bob", None, "No, the bypass will cut through the water meadows and ruin the walks there."),
    ("cat", 2, "Wrong, the route avoids the meadows and the lorries are a danger to children."),
    ("dan", 3, "But the noise will carry to the meadows, and the council has no money for it."),
    ("eve", 4, "No, the county pays for it, so the council budget does not matter at all."),
    ("fin", 5, "You keep saying that, but the county cut every road budget last year."),
    ("ann", 6, "Wrong again, the bypass money is ring-fenced and it cannot be cut."),
    ("bob", 7, "Ring-fenced money was cut before, and the meadows cannot be replaced."),
]


def question_thread() -> Discussion:
    """An article that only asks, and a thread that argues about it."""
    comments = _comments(QUESTION_ROWS)
    return Discussion(Article(title="Bypass?", text=QUESTION_ARTICLE), comments)


SHOW_AND_TELL_ROWS: list[Row] = [
    ("kim", None, "This is awesome, thanks for sharing!"),
    ("lou", None, "How do I install it on Windows?"),
    ("max", 2, "Try the installer on the releases page."),
    ("lou", 3, "Thanks, that worked!"),
    ("ned", None, "Love the colour scheme. Is there a dark mode?"),
    ("oli", 5, "Yes, press D in the settings screen."),
    ("pam", None, "Great work, starred it on GitHub."),
    ("kim", 7, "Same here, nice job."),
    ("quin", None, "Does it run on a Raspberry Pi?"),
    ("max", 9, "It does, I use it on mine every day."),
    ("rex", None, "Wow, made my morning. Thank you!"),
    ("sal", None, "Any plans for a mobile version?"),
]


def show_and_tell() -> Discussion:
    """Thanks, questions and answers: not an argument."""
    comments = _comments(SHOW_AND_TELL_ROWS)
    article = Article(
        title="I made a terminal app", author="dev", text="I made a terminal app. Enjoy!"
    )
    return Discussion(article=article, comments=comments)
