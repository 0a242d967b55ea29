"""`Name: text` paragraphs that do not open a comment (bot/ingest/plain_context.py)."""

from __future__ import annotations

import random

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
    # Without the heading, `Tip-Off:` still holds a value (a date) right above another label
    # (plain_fields): a field of the article too.
    no_heading = parse_paste(text.replace("3 Comments\n\n", ""))
    assert [c.author for c in no_heading.comments] == ["Badger_fan", "dukie99", "Badger_fan"]
    assert no_heading.article.text.startswith("Tip-Off: 9:18 PM ET")


def test_a_comments_heading_inside_a_body_does_not_drop_the_comments_above():
    text = """Title

ann: first

bob: my blog has 2 comments

2 comments

cy: third
"""
    assert [c.author for c in parse_paste(text).comments] == ["ann", "bob", "cy"]


def test_a_labelled_list_opened_by_a_comment_stays_in_it():
    # The comment's text opens with a label; the labels after it speak nowhere else, and the
    # list ends with a label that is no name ("Conclusion:"). The next commenter is one.
    text = """Why people distrust science

kiwi_77: The Right: climate denial, evolution denial

The Left: anti-GMO panic, homeopathy

Everyone Else: flat earth

Conclusion: nobody reads the papers.

mo_rtimer: That is a bit cynical.

kiwi_77: A bit.
"""
    rows = _rows(text)
    assert [a for a, _ in rows] == ["kiwi_77", "mo_rtimer", "kiwi_77"]
    assert rows[0][1].endswith("Conclusion: nobody reads the papers.")
    assert "Everyone Else: flat earth" in rows[0][1]


def test_a_list_without_a_closing_label_is_not_taken_for_one():
    # Nothing closes the run: the one-time names after it are commenters.
    text = """Why people distrust science

kiwi_77: The Right: climate denial

Ana Lee: The article misses the point.

bo_b: Agreed.
"""
    assert [a for a, _ in _rows(text)] == ["kiwi_77", "Ana Lee", "bo_b"]


def test_quote_and_answer_with_me_labels_stays_in_the_comment():
    # "Kristina: <quote> / Me: <answer>" twice, plain paragraphs between: the first name
    # only ever speaks inside this comment, so it is a quote label, not a commenter.
    text = """Do we still need agents?

Kristina Chodorow: Sellers pay both agents, so buyers should go without.

Janet B: @Kristina Chodorow, Kristina: the seller's agent becomes a dual agent.

Me: No, that is not how one becomes a dual agent.

I have sold many homes that way.

Kristina: disclosure laws are waived without an agent.

Me: What makes you think so?

Paul: Thanks both, very useful.
"""
    rows = _rows(text)
    assert [a for a, _ in rows] == ["Kristina Chodorow", "Janet B", "Paul"]
    assert "Kristina: disclosure laws" in rows[1][1]


def test_a_dialogue_announced_as_a_quote_stays_in_the_comment():
    text = """Grief

guiscard: It gets easier, slowly.

Stevie_Rave_On: Reminds me of a quote from Swingers (about a breakup)

Mike: How did you get over it?

Rob: Sometimes it still hurts.

Mike: You miss the pain?

Rob: Yeah, because you lived with it for so long.

Smellmopwho: I lost my husband a month ago.
"""
    rows = _rows(text)
    assert [a for a, _ in rows] == ["guiscard", "Stevie_Rave_On", "Smellmopwho"]
    assert rows[1][1].endswith("Rob: Yeah, because you lived with it for so long.")


def test_turns_after_a_paragraph_naming_no_quote_are_commenters():
    # The same turns without an announcement are two people talking.
    text = """Grief

guiscard: It gets easier, slowly.

Stevie_Rave_On: I hope so.

Mike: How did you get over it?

Rob: Sometimes it still hurts.

Mike: You miss the pain?

Rob: Yeah.
"""
    authors = [a for a, _ in _rows(text)]
    assert authors == ["guiscard", "Stevie_Rave_On", "Mike", "Rob", "Mike", "Rob"]


def test_a_cited_reference_after_a_colon_stays_in_the_comment():
    text = """The death penalty

Calligirl: Jesus did not abolish the law.

thistownwilleat: Moses, one of the prophets you speak of:

Exodus 21: Whoever strikes a man shall be put to death.

Read the rest of it.

Calligirl: I have.
"""
    rows = _rows(text)
    assert [a for a, _ in rows] == ["Calligirl", "thistownwilleat", "Calligirl"]
    assert "Exodus 21: Whoever strikes" in rows[1][1]


def test_a_commenter_after_a_comment_ending_with_a_colon_stays_a_commenter():
    # A list lost in the copy leaves a comment ending with a colon; a name is still a name.
    text = """Rust

Daniel Lemire: There are few things that make me think Rust will have trouble:

Gary: Thanks for this excellent read.

Steve: How about Ada?
"""
    assert [a for a, _ in _rows(text)] == ["Daniel Lemire", "Gary", "Steve"]


def test_a_bare_label_line_inside_a_paste_of_inline_names_stays_body():
    # Every comment carries its text after the name; "Socialism Pros:" and a quoted
    # "Benjamin:" alone on their line are labels inside a comment.
    text = """Capitalism

Broker: The government controls the military.

Morfos: Capitalism sucks.

Socialism Pros:

-Reduces crime
-Shortens the gap

Benjamin: Europe is not one country.

Crim: Who said it was?

Morfos: You quoted me, so here you are.

Benjamin:

Europe is not one country.

I know, I meant most of it.

Crim: Fair enough.

Broker: Most of it, then.

Benjamin: Thanks.
"""
    rows = _rows(text)
    authors = ["Broker", "Morfos", "Benjamin", "Crim", "Morfos", "Crim", "Broker", "Benjamin"]
    assert [a for a, _ in rows] == authors
    assert "Socialism Pros:\n\n-Reduces crime" in rows[1][1]
    assert "here you are.\n\nBenjamin:\n\nEurope is not one country." in rows[4][1]


def test_bare_names_are_headers_when_the_page_lays_every_comment_out_so():
    text = """Capitalism

Broker:
The government controls the military.

Morfos:
Capitalism sucks.

Crim:
Who said it was?
"""
    assert [a for a, _ in _rows(text)] == ["Broker", "Morfos", "Crim"]


def test_the_title_line_and_fields_of_the_article_are_no_comments():
    text = """[AMA] I am the President: ask me anything

Proof: https://example.org/status/1

UPDATE: Hey everybody, this is me.

Verification photo: http://i.example.org/oz0a7.jpg

LAST UPDATE: Thanks everybody.

Biinaryy: Here is a collection of all the answers:

http://example.org/answers

karmanaut: @Biinaryy, thanks.
"""
    d = parse_paste(text)
    assert [c.author for c in d.comments] == ["Biinaryy", "karmanaut"]
    assert d.article.title == "[AMA] I am the President: ask me anything"
    assert "Verification photo: http://i.example.org/oz0a7.jpg" in d.article.text


def test_a_first_commenter_saying_a_short_line_stays_a_commenter():
    # A sentence, a greeting, a one-word line, or a line followed by an edit note: a comment.
    for first in ("ann: first point", "ann: Hey man,", "ann: Hi"):
        text = f"Title\n\n{first}\n\nEdit: typo\n\nbob: second\n\nann: third\n"
        assert [c.author for c in parse_paste(text).comments][:2] == ["ann", "bob"], first
    text = "Title\n\nbacon_cake: Hey man,\n\nI am sorry.\n\nbo: Same here.\n"
    assert [c.author for c in parse_paste(text).comments] == ["bacon_cake", "bo"]


def test_a_term_being_defined_and_a_misspelt_label_stay_in_the_comment():
    text = """Gay marriage

Crim: In what way?

Chai: Science is not a belief. It has been tested many times.

belief: 1. something believed; an opinion or conviction.

Science is not an opinion.

Klown: Consciousness is intangible.

Deffinition: Intangible - lacking material qualities.

It is chemistry.

Crim: Agreed.
"""
    rows = [(c.author, c.text) for c in parse_paste(text).comments]
    assert [a for a, _ in rows] == ["Crim", "Chai", "Klown", "Crim"]
    assert "belief: 1. something believed" in rows[1][1]
    assert "Deffinition: Intangible" in rows[2][1]


def test_a_one_time_lowercase_name_not_used_in_the_text_before_is_a_commenter():
    text = """Gay marriage

Chai: Science is not a theory.

belief: Science is a method, not a belief.

Chai: Fair.
"""
    assert [c.author for c in parse_paste(text).comments] == ["Chai", "belief", "Chai"]
    # A common word used as a name ("me") is in nearly every paragraph before it.
    text = "Agents\n\nChai: Tell me why.\n\nme: Because fees are too high.\n\nChai: Fair.\n"
    assert [c.author for c in parse_paste(text).comments] == ["Chai", "me", "Chai"]


def test_a_name_ending_with_a_question_mark_counts_when_it_speaks_twice():
    text = """Evolution

lurch: Speciation has been observed.

dichotomy?: @lurch - WOW!

It is amazing.

Why?: because nobody looked.

dichotomy?: @Calligirl, the dictionary says so.
"""
    rows = [(c.author, c.text) for c in parse_paste(text).comments]
    assert [a for a, _ in rows] == ["lurch", "dichotomy?", "dichotomy?"]
    assert "Why?: because nobody looked." in rows[1][1]


def test_numbered_points_and_abstract_headings_are_labels():
    text = """Violence statistics

anonymous45: Many point to the 2010 data. Three things to note.

1.Lower partnership rates: Gay men are less often partnered.

2.Underreporting: Gay men tend to underreport.

Purpose: The purpose of this study was to measure risk.

anonymous105: Sure, that is technically correct.
"""
    rows = [(c.author, c.text) for c in parse_paste(text).comments]
    assert [a for a, _ in rows] == ["anonymous45", "anonymous105"]
    assert "2.Underreporting: Gay men" in rows[0][1] and "Purpose: The purpose" in rows[0][1]


def test_the_source_line_closing_an_announced_quote_stays_in_the_comment():
    text = """Abortion

hollyh: Federal law in Australia.

simone: @hollyh Another touch of raw reality:

Street children throughout the world are subjected to abuse by police.

The term street children refers to children for whom the street is home.

Human Rights Watch: Street Children

Abandoned children of this sort occur where women are not valued.

hollyh: Sad but true.
"""
    rows = [(c.author, c.text) for c in parse_paste(text).comments]
    assert [a for a, _ in rows] == ["hollyh", "simone", "hollyh"]
    assert "Human Rights Watch: Street Children\n\nAbandoned children" in rows[1][1]


def test_a_short_title_cased_comment_without_an_announced_quote_is_a_comment():
    text = """Best language for performance

Daniel Lemire: I set Rust aside for the time being.

Swift has manual memory management on the way.

Mohammed Elshambakey: Great Post

I want to ask about Fortran.

Cristian Vasile: Hello Daniel

What about Nim?
"""
    authors = [c.author for c in parse_paste(text).comments]
    assert authors == ["Daniel Lemire", "Mohammed Elshambakey", "Cristian Vasile"]


def test_a_chat_log_opening_with_a_one_time_nick_keeps_it():
    text = "alice: hi there\nbob: hello\ncarol: hey all\n\nbob: back again\ncarol: welcome back\n"
    d = parse_paste(text)
    assert [c.author for c in d.comments] == ["alice", "bob", "carol", "bob", "carol"]


def test_a_lowercase_name_addressed_just_before_is_a_commenter():
    for before in ("What do you think, kettle?", "thanks kettle, and @kettle too"):
        text = f"Tea\n\nann: {before}\n\nkettle: it depends on the water.\n\nann: ok\n"
        assert [c.author for c in parse_paste(text).comments] == ["ann", "kettle", "ann"]
    # Used as a word, then defined: a term.
    text = "Tea\n\nann: Tea is a kettle thing.\n\nkettle: a pot to boil water in.\n\nbo: ok\n"
    assert [c.author for c in parse_paste(text).comments] == ["ann", "bo"]


def test_a_comment_about_a_quote_does_not_swallow_the_turns_after_it():
    text = """Grief

guiscard: It gets easier, slowly.

Stevie_Rave_On: That is a great quote from the article.

Mike: How did you get over it?

Rob: Sometimes it still hurts.

Mike: You miss the pain?
"""
    authors = [a for a, _ in _rows(text)]
    assert authors == ["guiscard", "Stevie_Rave_On", "Mike", "Rob", "Mike"]


def test_three_turns_between_one_time_names_after_a_quote_are_commenters():
    # Two people who speak nowhere else may answer each other three times; a quoted scene
    # needs four turns, announced by a comment whose whole text names it.
    text = """Grief

guiscard: It gets easier, slowly.

Stevie_Rave_On: Reminds me of a quote from Swingers (about a breakup)

Mike: How did you get over it?

Rob: Sometimes it still hurts.

Mike: You miss the pain?

Yes, I do.
"""
    authors = [a for a, _ in _rows(text)]
    assert authors == ["guiscard", "Stevie_Rave_On", "Mike", "Rob", "Mike"]


def test_a_numbered_name_replying_after_a_colon_is_a_commenter():
    text = """Games

ann: The rules are:

Player 1: @ann, that is not how it works.

ann: It is.
"""
    assert [a for a, _ in _rows(text)] == ["ann", "Player 1", "ann"]


def test_ordinary_generated_pastes_lose_no_comment():
    # No list, script or quote in them, but everything the rules look at: titles with a
    # colon, one-time names, lowercase word names, paragraphs ending with a colon or naming a
    # quote, edit notes, @Name markers. Every `Name:` paragraph must stay a comment.
    rnd = random.Random(11)
    words = [
        "agent",
        "house",
        "price",
        "market",
        "seller",
        "buyer",
        "fee",
        "commission",
        "internet",
        "listing",
        "contract",
        "belief",
        "kettle",
        "quote",
        "scene",
        "time",
        "year",
        "family",
        "move",
        "work",
        "people",
        "think",
        "because",
        "however",
        "really",
    ]
    names = [f"user_{i}" for i in range(30)] + ["Ann Lee", "Bob", "carla", "kettle", "belief"]

    def sentence(end: str = ".") -> str:
        s = " ".join(rnd.choice(words) for _ in range(rnd.randint(3, 14)))
        return s[0].upper() + s[1:] + end

    for _ in range(200):
        title = rnd.choice(["Brexit: what happens next", "Agents", "Q&A: the market"])
        parts, authors = [title, "", sentence(), ""], []
        for _ in range(rnd.randint(3, 20)):
            author = rnd.choice(names)
            first = sentence(rnd.choice([".", ".", "?", ":", "", ","]))
            if authors and rnd.random() < 0.3:
                first = f"@{rnd.choice(authors)}, {first}"
            authors.append(author)
            parts += [f"{author}: {first}", ""]
            for _ in range(rnd.choice([0, 0, 1, 2])):
                more = rnd.choice([sentence(), sentence(":"), "Edit: " + sentence(), sentence("")])
                parts += [more, ""]
        text = "\n".join(parts)
        assert [c.author for c in parse_paste(text).comments] == authors, text
