"""`Name: text` paragraphs that do not open a comment (bot/ingest/plain_context.py)."""

from __future__ import annotations

from bot.ingest.paste import parse_paste


def _rows(text: str) -> list[tuple[str, str]]:
    return [(c.author, c.text) for c in parse_paste(text).comments]


def test_quoted_post_after_originally_posted_by_stays_in_the_comment():
    text = """Fossils and the age of the earth

Calligirl: Benjamin: Please don't plagiarize entire pages from websites.

Karl: Originally posted by Calligirl

Benjamin: Please don't plagiarize entire pages from websites.

Fair point, but the page was quoted with its source.

Benjamin: I gave the link at the end, look again.
"""
    assert _rows(text) == [
        ("Calligirl", "Benjamin: Please don't plagiarize entire pages from websites."),
        (
            "Karl",
            "Originally posted by Calligirl\n\nBenjamin: Please don't plagiarize entire pages"
            " from websites.\n\nFair point, but the page was quoted with its source.",
        ),
        ("Benjamin", "I gave the link at the end, look again."),
    ]


def test_quoted_post_on_the_line_after_the_attribution_and_x_wrote():
    text = """Gay marriage

Cartridge: Originally posted by Calligirl
Cool Hand Dave:

Normal, meaning attracted to the opposite sex.

Prove that first.

Dave: Ann wrote:

Mike: that is not what I said

She did say it.
"""
    rows = _rows(text)
    assert [a for a, _ in rows] == ["Cartridge", "Dave"]
    assert "Cool Hand Dave:\n\nNormal, meaning" in rows[0][1]
    assert rows[1][1].startswith("Ann wrote:\n\nMike: that is not what I said")


def test_a_script_quoted_in_a_comment_stays_in_it():
    text = """Mark Hamill quits smoking

tonyjack6: We should photoshop them back in.

CasualCocaine: A: Whats up with your fingers man?

D: What this? I always keep two fingers glued together.

A: Ok, cool. Want a cig?

D: Nah I dont smoke.

BornInJune9182: @CasualCocaine, googling that first question was a mistake.
"""
    rows = _rows(text)
    assert [a for a, _ in rows] == ["tonyjack6", "CasualCocaine", "BornInJune9182"]
    assert rows[1][1].endswith("D: Nah I dont smoke.")


def test_two_people_taking_turns_are_two_commenters():
    # No comment opens with a label, or the names also comment elsewhere: real turns.
    text = """Tabs or spaces?

Ann: Tabs, obviously.

Bob: Spaces.

Ann: Why?

Bob: Alignment.
"""
    assert [a for a, _ in _rows(text)] == ["Ann", "Bob", "Ann", "Bob"]
    scripted_names_elsewhere = """Tabs or spaces?

Ann: Q: which one?

Bob: spaces.

Ann: why?

Bob: alignment.

Bob: and diffs.
"""
    authors = [a for a, _ in _rows(scripted_names_elsewhere)]
    assert authors == ["Ann", "Bob", "Ann", "Bob", "Bob"]


def test_another_spelling_of_an_author_is_an_address_inside_a_comment():
    text = """Evolution

lurch: Speciation has been observed.

wsm2506: The government should get out of marriage.

Calligirl: Crim, I disagree.

Lurch: So scientists are the ones who define everything?

Yes, that is what a definition is.

wsm: I agree with that 100%!

Agreed too.

lurch: Scientists define their terms, like everyone.

wsm2506: Thanks.
"""
    rows = _rows(text)
    assert [a for a, _ in rows] == ["lurch", "wsm2506", "Calligirl", "lurch", "wsm2506"]
    assert "Lurch: So scientists" in rows[2][1] and "wsm: I agree" in rows[2][1]


def test_first_names_and_equal_spellings_stay_commenters():
    text = """Real estate agents

Brad Lee: Agents add little.

Brad: I'm a Realtor and many would work for less.

Brad Lee: Then prove it.

ann: one

Ann: two
"""
    assert [a for a, _ in _rows(text)] == ["Brad Lee", "Brad", "Brad Lee", "ann", "Ann"]


def test_label_lines_above_the_comment_heading_belong_to_the_article():
    text = """[Game Thread] Wisconsin vs Duke

Tip-Off: 9:18 PM ET, April 6, 2015

Venue: Lucas Oil Stadium, Indianapolis

3 Comments

Badger_fan: Let's go!

dukie99: Not tonight.

Badger_fan: We'll see.
"""
    d = parse_paste(text)
    assert [c.author for c in d.comments] == ["Badger_fan", "dukie99", "Badger_fan"]
    assert "Venue: Lucas Oil Stadium" in d.article.text
    # Without the heading, nothing tells the article's labels from comments.
    no_heading = text.replace("3 Comments\n\n", "")
    assert parse_paste(no_heading).comments[0].author == "Tip-Off"


def test_a_comments_heading_inside_a_body_does_not_drop_the_comments_above():
    text = """Title

ann: first

bob: my blog has 2 comments

2 comments

cy: third
"""
    assert [c.author for c in parse_paste(text).comments] == ["ann", "bob", "cy"]
