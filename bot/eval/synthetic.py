"""Generated debates with a known answer, for tests and benchmarks.

Two camps argue over one question with their own vocabulary; most replies (`CROSS`) answer
the other camp, with rebuttal cues or a quote of the comment answered; replies inside a camp
open with agreement cues.
A small group of bystanders chats off-topic among themselves. Deterministic for a seed.
"""

from __future__ import annotations

import random

from bot.core.model import Article, Comment, Discussion

CAMP_WORDS = (
    (
        "rent control protects tenants from sudden increases",
        "families need stable housing and affordable rent",
        "landlords profit while tenants struggle every month",
        "rent caps keep teachers and nurses in the city",
        "evictions fall when rent increases are capped",
    ),
    (
        "price controls reduce housing supply over time",
        "developers stop building when returns are capped",
        "economists agree rent ceilings shrink the market",
        "new construction is the real cure for high rent",
        "controlled units decay because owners skip repairs",
    ),
)
OFF_TOPIC = (
    "the football match last night went to penalties",
    "our goalkeeper saved two penalties in the shootout",
    "the referee missed an obvious offside before the goal",
)
CROSS = 0.7
"""The share of replies that answer the other camp (on labelled 4forums debates, 73 % of
replies cross sides)."""
AGREE = ("Exactly.", "Indeed,", "+1", "Ding ding.", "This.", "Agreed,", "Well said.")
DISAGREE = ("No,", "Wrong.", "But", "Nonsense,", "Really?", "I disagree,")


def _sentence(rng: random.Random, pool: tuple[str, ...]) -> str:
    s = rng.choice(pool)
    extra = rng.choice(pool)
    return f"{s[0].upper()}{s[1:]}, and {extra}."


def debate(
    n_comments: int = 60, *, authors_per_camp: int = 5, seed: int = 0, bystanders: int = 2
) -> tuple[Discussion, dict[str, int]]:
    """A discussion and the true camp (0 or 1) of every debating author."""
    rng = random.Random(seed)
    names = [[f"{'pro' if c == 0 else 'con'}{i}" for i in range(authors_per_camp)] for c in (0, 1)]
    truth = {a: c for c in (0, 1) for a in names[c]}
    chatter = [f"fan{i}" for i in range(bystanders)]
    comments: list[Comment] = []
    chat_root: str | None = None
    for n in range(1, n_comments + 1):
        cid = f"c{n}"
        if chatter and n % 15 == 7:  # off-topic chat among bystanders, in its own sub-thread
            author = chatter[n % len(chatter)]
            parent = chat_root
            text = " ".join(_sentence(rng, OFF_TOPIC) for _ in range(2))
            comments.append(Comment(cid, n, author, text, parent_id=parent))
            chat_root = chat_root or cid
            continue
        camp = rng.randrange(2)
        author = rng.choice(names[camp])
        body = " ".join(_sentence(rng, CAMP_WORDS[camp]) for _ in range(rng.randint(1, 3)))
        debaters = [c for c in comments if c.author in truth and c.author != author]
        if not debaters or rng.random() < 0.25:
            comments.append(Comment(cid, n, author, body))
            continue
        recent = debaters[-12:]
        rivals = [c for c in recent if truth[c.author] != camp]
        allies = [c for c in recent if truth[c.author] == camp]
        answered = rng.choice(rivals if rivals and (rng.random() < CROSS or not allies) else allies)
        if truth[answered.author] == camp:
            text = f"{rng.choice(AGREE)} {body}"
        elif rng.random() < 0.3:
            quoted = answered.text.split(". ")[0].rstrip(".") + "."
            text = f"> {quoted}\n{body}"
        else:
            text = f"{rng.choice(DISAGREE)} {body[0].lower()}{body[1:]}"
        comments.append(Comment(cid, n, author, text, parent_id=answered.id))
    article = Article(
        title="Should the city cap rents?",
        text=(
            "The council votes next week on a cap on rent increases. Supporters say it keeps "
            "families in their homes. Critics say it will choke the building of new housing."
        ),
    )
    return Discussion(article=article, comments=tuple(comments), source="synthetic"), truth
