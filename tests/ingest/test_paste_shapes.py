"""Each paste shape, its variants, furniture, names, and the article before the comments."""

from __future__ import annotations

from bot.ingest.paste import parse_paste

NUMBERED = """Why cats rule
By Jane Q. Public | May 3, 2020

Cats are better than dogs. This is a fact.

About the author
Jane writes about pets for a living.

3 Responses

  1. Bob_99 says:
     May 15, 2017 at 2:53 pm

     I disagree entirely.

     Dogs are loyal.
     Reply
  2. Dr. A. Smith says:
     May 15, 2017 at 3:01 pm
     @Bob_99 loyalty is overrated.
     Like
     12
     Reply
  3. jane doe 2 says:
     May 16, 2017 at 9:00 am
     Both are fine.
     Log in to Reply

Leave a Reply
Your email address will not be published. Required fields are marked *
"""


def _rows(text: str) -> list[tuple[str, str]]:
    return [(c.author, c.text) for c in parse_paste(text).comments]


def test_wordpress_numbered_with_furniture_and_byline():
    d = parse_paste(NUMBERED)
    assert d.source == "wordpress"
    assert d.article.title == "Why cats rule"
    assert d.article.author == "Jane Q. Public"
    assert d.article.text == "Cats are better than dogs. This is a fact."
    assert _rows(NUMBERED) == [
        ("Bob_99", "I disagree entirely.\n\nDogs are loyal."),
        ("Dr. A. Smith", "@Bob_99 loyalty is overrated."),
        ("jane doe 2", "Both are fine."),
    ]
    assert d.comments[0].timestamp == "May 15, 2017 at 2:53 pm"
    assert all(c.depth is None for c in d.comments)  # one level: nesting not shown


def test_wordpress_numbered_nested_sets_depth():
    text = """Post

  1. Ann says:
     May 1, 2020 at 1:00 pm
     Root.
      1. Bo says:
         May 1, 2020 at 1:05 pm
         Child.
          1. Ann says:
             May 1, 2020 at 1:09 pm
             Grandchild.
      2. Cy says:
         May 1, 2020 at 1:10 pm
         Second child.
  2. Di says:
     May 1, 2020 at 2:00 pm
     Another root.
"""
    d = parse_paste(text)
    assert [(c.author, c.depth) for c in d.comments] == [
        ("Ann", 0),
        ("Bo", 1),
        ("Ann", 2),
        ("Cy", 1),
        ("Di", 0),
    ]
    assert d.comments[2].text == "Grandchild."


def test_numbered_list_ignores_unnumbered_says_line_in_body():
    text = """  1. Ann says:
     May 1, 2020 at 1:00 pm
     Here is what Musk says:
     AI is a demon.
  2. Bo says:
     May 1, 2020 at 1:05 pm
     No.
"""
    assert _rows(text) == [("Ann", "Here is what Musk says:\nAI is a demon."), ("Bo", "No.")]


def test_wordpress_unnumbered_with_section_heading_and_furniture():
    text = """Has the Internet killed agents?
Posted by Daniel Lemire

Some article text.

FILED UNDER: Economics
Share this:
Twitter
Facebook

118 thoughts on “Has the Internet killed agents?”

Chris Nahr
May 15, 2017 at 2:53 pm
As for why agents still exist.

Second paragraph.
Reply
-Mateo- says:
October 12, 2016 at 4:31 am
▲ 5 ▼
Like (3)
Me too.
Reply

Speak Your Mind
This site uses cookies to improve your experience.
"""
    d = parse_paste(text)
    assert d.article.author == "Daniel Lemire"
    assert d.article.text == "Some article text."
    assert _rows(text) == [
        ("Chris Nahr", "As for why agents still exist.\n\nSecond paragraph."),
        ("-Mateo-", "Me too."),
    ]


def test_outline_depth_from_indentation_and_continuation_lines():
    text = """Topic: pets
- alice: cats are great
  - bob.b: no they are not
    really not
    1. a numbered line: stays in the body
    - alice: yes they are
  - Carol 3: meh
- dan_x: dogs
"""
    d = parse_paste(text)
    assert d.source == "outline"
    assert [(c.author, c.depth) for c in d.comments] == [
        ("alice", 0),
        ("bob.b", 1),
        ("alice", 2),
        ("Carol 3", 1),
        ("dan_x", 0),
    ]
    assert (
        d.comments[1].text == "no they are not\nreally not\n1. a numbered line: stays in the body"
    )


def test_chat_irc_and_stamped_nick_lines():
    text = """[12:01] <alice> hi all
[12:02] <@bob> alice: hi
[12:03:10] carol_2: what's up
"""
    d = parse_paste(text)
    assert d.source == "chat"
    assert _rows(text) == [("alice", "hi all"), ("bob", "alice: hi"), ("carol_2", "what's up")]
    assert d.comments[2].timestamp == "12:03:10"


def test_chat_discord_blocks():
    text = """Alice Smith — Today at 5:01 PM
I think so
more text
Bob — Yesterday at 11:15 AM
@Alice Smith no
"""
    assert _rows(text) == [("Alice Smith", "I think so\nmore text"), ("Bob", "@Alice Smith no")]


def test_plain_paragraphs_names_bodies_and_labels():
    text = """Is remote work here to stay?

Everyone has an opinion.

Mary Ann O'Neil: It is.

Note: this paragraph is part of Mary's comment.

J.R. Smith 3rd:

My answer starts on the next line.
> quoted line

user_42: Short one.
still user_42: a label inside a paragraph is body text
"""
    d = parse_paste(text)
    assert d.source == "plain"
    assert d.article.title == "Is remote work here to stay?"
    assert _rows(text) == [
        ("Mary Ann O'Neil", "It is.\n\nNote: this paragraph is part of Mary's comment."),
        ("J.R. Smith 3rd", "My answer starts on the next line.\n> quoted line"),
        ("user_42", "Short one.\nstill user_42: a label inside a paragraph is body text"),
    ]


def test_windows_line_endings_tabs_and_invisible_characters():
    text = "Title\r\n\r\nann: one\u200b\r\n\r\nbo\u00a0b: two\r\n\tmore\r\n"
    assert _rows(text) == [("ann", "one"), ("bo b", "two\nmore")]


def test_nick_colon_lines_read_as_chat():
    d = parse_paste("alice: hi\nbob: alice: hello there\ncarol.c: hey\n")
    assert d.source == "chat"
    assert [(c.author, c.text) for c in d.comments] == [
        ("alice", "hi"),
        ("bob", "alice: hello there"),
        ("carol.c", "hey"),
    ]


def test_plain_labels_and_fragments_inside_bodies_stay_body():
    body_lines = [
        "Gold Edit: thanks!",
        "EDIT #2: fixed a typo",
        "11/8: the date it happened",
        "1. Economic: it would be taxed",
        "In summary: no.",
        "True story: it happened to me.",
        "Science doesn't say: anything of the kind",
        "Update: still true",
    ]
    text = "Title\n\nann: first point\n\n" + "\n\n".join(body_lines) + "\n\nM: a one-letter name\n"
    rows = _rows(text)
    assert [a for a, _ in rows] == ["ann", "M"]
    assert rows[0][1].endswith("Update: still true")


NEW_REDDIT = """r/Python
Posted by u/civilization_phaze_3
A python terminal viewer for browsing reddit

Some self text.

45 comments
level 1
civilization_phaze_3
· 3 yr. ago
Hi all, I've put together a small project.
Reply
Share
Report
Save
Follow
level 2
SteamPunk_Devil
· 3 yr. ago
Neat! Does it work on Windows?
Reply
level 3
civilization_phaze_3
· 3 yr. ago
Not yet.
Reply
level 1
-Nii-
· 2 yr. ago
Awesome!
"""

OLD_REDDIT = """A python terminal viewer for browsing reddit (self.Python)
submitted 9 years ago by civilization_phaze_3

Some self text.

all 45 comments
sorted by: best

[–]civilization_phaze_3[S] 12 points 9 years ago
Hi all, I've put together a small project.
permalink embed save report give award reply

[–]SteamPunk_Devil 3 points 9 years ago
Neat! Does it work on Windows?
permalink embed save parent report give award reply

[–]-Nii- [score hidden] 2 years ago*
Awesome!
"""


def test_new_reddit_copy_levels_give_depth():
    d = parse_paste(NEW_REDDIT)
    assert d.article.author == "civilization_phaze_3"
    assert [(c.author, c.depth, c.text) for c in d.comments] == [
        ("civilization_phaze_3", 0, "Hi all, I've put together a small project."),
        ("SteamPunk_Devil", 1, "Neat! Does it work on Windows?"),
        ("civilization_phaze_3", 2, "Not yet."),
        ("-Nii-", 0, "Awesome!"),
    ]
    assert d.comments[0].timestamp == "3 yr. ago"


def test_old_reddit_copy():
    d = parse_paste(OLD_REDDIT)
    assert d.source == "reddit"
    assert d.article.author == "civilization_phaze_3"
    assert d.article.text == "Some self text."
    assert _rows(OLD_REDDIT) == [
        ("civilization_phaze_3", "Hi all, I've put together a small project."),
        ("SteamPunk_Devil", "Neat! Does it work on Windows?"),
        ("-Nii-", "Awesome!"),
    ]


def test_disqus_style_separators_are_furniture():
    text = """Post title

Jane Roe
•
3 years ago
First comment.
•
Reply
•
Share ›
Bob
•
2 years ago
Second.
"""
    assert _rows(text) == [("Jane Roe", "First comment."), ("Bob", "Second.")]


def test_writers_separator_lines_and_code_numbers_are_kept():
    text = """Post

Ann
May 1, 2020 at 1:00 pm
Summary from the wiki:
=======================
In the film, ...
>>> ~True
-2
Reply
Bo
May 1, 2020 at 1:05 pm
42
Reply
"""
    assert _rows(text) == [
        ("Ann", "Summary from the wiki:\n=======================\nIn the film, ...\n>>> ~True\n-2"),
        ("Bo", "42"),
    ]


def test_a_date_alone_inside_a_body_is_not_a_comment_header():
    text = """Post

Ann
May 1, 2020 at 1:00 pm
I bought my house on
May 15, 2017
and sold it later.
Reply
Bo
May 1, 2020 at 1:05 pm
Nice.
Reply
Cy
May 2, 2020 at 9:15 am
Same here.
"""
    assert [a for a, _ in _rows(text)] == ["Ann", "Bo", "Cy"]
    assert _rows(text)[0][1] == "I bought my house on\nMay 15, 2017\nand sold it later."


def test_irc_without_timestamps():
    assert _rows("<alice> hi all\n<bob> alice: hi\n<carol> hey\n") == [
        ("alice", "hi all"),
        ("bob", "alice: hi"),
        ("carol", "hey"),
    ]


def test_whatsapp_export_with_multiline_messages():
    text = """27/11/2026, 17:01 - Alice Smith: are we going?
27/11/2026, 17:02 - Bob: Alice Smith: yes
and bring snacks
[27/11/26, 17:03:10] Carol: ok
"""
    d = parse_paste(text)
    assert d.source == "chat"
    assert [(c.author, c.text) for c in d.comments] == [
        ("Alice Smith", "are we going?"),
        ("Bob", "Alice Smith: yes\nand bring snacks"),
        ("Carol", "ok"),
    ]


def test_slack_blocks_and_stamped_names_with_spaces():
    text = "Alice Smith  5:01 PM\nare we going?\nBob  5:02 PM\n@Alice Smith yes\n"
    text += "[5:03 PM] Carol Jones: ok\n"
    assert _rows(text) == [
        ("Alice Smith", "are we going?"),
        ("Bob", "@Alice Smith yes"),
        ("Carol Jones", "ok"),
    ]


def test_numbered_list_without_says():
    text = "Post\n\n1. Jane Doe\nMay 15, 2017 at 2:53 pm\nFirst.\n"
    text += "2. Bo\nMay 15, 2017 at 3:00 pm\nNo.\n"
    assert _rows(text) == [("Jane Doe", "First."), ("Bo", "No.")]


def test_a_comment_starting_with_an_empty_line_is_marked_where_that_is_unusual():
    """A WordPress copy that dropped a reply's `@Name` link leaves the comment's first line
    empty (issue 12); in a numbered copy every body starts after an empty line, so there it
    says nothing."""
    unnumbered = """Will the ceasefire hold?

Comments (4)

Helen Ashby
March 3, 2024 at 9:58 am
The monitors are the real change this time.
Reply

Matt Okafor
March 3, 2024 at 10:05 am
They report to the UN directly now.
Reply

Priya N.
March 3, 2024 at 10:31 am

You put a lot of faith in the monitors, but there are only forty of them.
Reply

Georg Brandt
March 3, 2024 at 11:02 am
Accepting the ceasefire is the only sane choice.
Reply
"""
    d = parse_paste(unnumbered)
    assert [c.author for c in d.comments] == [
        "Helen Ashby",
        "Matt Okafor",
        "Priya N.",
        "Georg Brandt",
    ]
    assert [c.starts_blank for c in d.comments] == [False, False, True, False]
    assert d.comments[2].text.startswith("You put a lot of faith")
    numbered = "\n".join(
        f"  {n}. {who} says:\n      May 15, 2017 at 2:5{n} pm\n\n      {text}\n"
        for n, (who, text) in enumerate(
            [("Ann", "Cats rule."), ("Bob", "You are wrong about cats."), ("Cy", "Both.")], 1
        )
    )
    d = parse_paste("Cats\n\n3 thoughts on “Cats”\n\n" + numbered)
    assert [c.author for c in d.comments] == ["Ann", "Bob", "Cy"]
    assert not any(c.starts_blank for c in d.comments)
