"""Reply inference: markers, quotes, copied sentences, addressing, choosing, duplicates."""

from __future__ import annotations

from dataclasses import replace

from bot.core.model import Article, Comment, Discussion
from bot.core.replies import infer_links


def _disc(*rows: tuple[str, str], article: Article | None = None) -> Discussion:
    comments = tuple(
        Comment(id=f"c{i}", index=i, author=a, text=t) for i, (a, t) in enumerate(rows, start=1)
    )
    return Discussion(article=article or Article(text="An article."), comments=comments)


def _targets(d: Discussion) -> dict[str, list[tuple[str, str]]]:
    links, _ = infer_links(d)
    return {cid: [(link.target, link.evidence) for link in ls] for cid, ls in links.items()}


def test_at_marker_forms_resolve_to_the_named_author():
    for text in ("@Ann Lee: no", "@Ann Lee, no", "@Ann Lee - no", "@Ann Lee no way", "@ann lee no"):
        d = _disc(("Ann Lee", "Cats are great."), ("Bo", "Dogs are."), ("Cy", text))
        assert _targets(d) == {"c3": [("c1", "at-mention")]}, text


def test_longest_known_name_wins():
    d = _disc(
        ("Ann", "first"),
        ("Ann Lee", "second"),
        ("Bo", "third"),
        ("Cy", "@Ann Lee I disagree"),
        ("Di", "@Ann Leeway is not a name here"),
    )
    t = _targets(d)
    assert t["c4"] == [("c2", "at-mention")]
    assert t["c5"] == [("c1", "at-mention")]


def test_names_with_dots_digits_underscores_and_several_markers():
    d = _disc(
        ("Dr. A. Smith", "one"),
        ("user_42", "two"),
        ("R2D2", "three"),
        ("Zed", "@Dr. A. Smith, @user_42 and @R2D2: you are all wrong"),
    )
    assert _targets(d)["c4"] == [("c1", "at-mention"), ("c2", "at-mention"), ("c3", "at-mention")]


def test_mid_text_mention_is_not_a_target_and_no_evidence_is_top_level():
    d = _disc(
        ("Ann", "Cats."),
        ("Bo", "I think, like @Ann said elsewhere, that this is fine."),
        ("Cy", "Unrelated thoughts about the article."),
    )
    assert _targets(d) == {}


def test_marker_for_unknown_or_later_author_gives_no_link():
    d = _disc(("Ann", "Cats."), ("Bo", "@Cy what do you think?"), ("Cy", "Hmm."))
    assert _targets(d) == {}


def test_quote_lines_point_at_the_quoted_comment():
    d = _disc(
        ("Ann", "Taxes on land are the fairest taxes there are."),
        ("Bo", "Housing is too expensive everywhere these days."),
        ("Ann", "Something else entirely, unrelated to housing."),
        ("Cy", "> Housing is too expensive\n\nOnly in cities."),
    )
    assert _targets(d)["c4"] == [("c2", "quote")]


def test_originally_posted_by_chooses_that_authors_quoted_comment():
    d = _disc(
        ("FreeThinker", "A bear is still a bear, whatever its kind may be."),
        ("Pie", "Fossils tell us a lot."),
        ("FreeThinker", "Evolution is a fact, observed many times."),
        ("Karl", "Quote: Originally Posted by FreeThinker\nA bear is still a bear\n\nIs a panda?"),
    )
    assert _targets(d)["c4"] == [("c1", "quote")]


def test_copied_sentence_without_quote_marks():
    d = _disc(
        ("Ann", "In Germany they charge it because they can, and nobody objects to it."),
        ("Bo", "Agents are useful when the seller lives far away."),
        ("Cy", "In Germany they charge it because they can? That explains nothing at all."),
    )
    assert _targets(d)["c3"] == [("c1", "copied-sentence")]


def test_addressing_without_at_is_matched_fuzzily():
    d = _disc(
        ("Calligirl", "Murderers should pay with their lives."),
        ("RyGuy", "The death penalty deters nobody."),
        ("fallingupwards", "calli, i know you are a christian, but this is wrong."),
        ("Tom", "Prisons are full. What do you say, RyGuy?"),
        ("Uma", "Well, nobody knows."),
    )
    t = _targets(d)
    assert t["c3"] == [("c1", "addressed")]
    assert t["c4"] == [("c2", "addressed")]
    assert "c5" not in t


def test_greeting_the_article_author_stays_top_level():
    d = _disc(
        ("Daniel Lemire", "Thanks for the comments."),
        ("Ralph", "Hi Daniel, the Go garbage collector is concurrent now."),
        article=Article(author="Daniel Lemire", text="Go is slow."),
    )
    assert _targets(d) == {}


def test_choose_the_earlier_comment_that_shares_words_not_blindly_the_last():
    d = _disc(
        ("Ann", "Garbage collection pauses in Java hurt latency badly."),
        ("Bo", "Rust avoids garbage collection entirely."),
        ("Ann", "Rust compile times are long though."),
        ("Ann", "Anyway, nice weather today."),
        ("Cy", "@Ann do garbage collection pauses in Java really hurt latency?"),
        ("Di", "@Ann yes the weather is nice today."),
    )
    t = _targets(d)
    assert t["c5"] == [("c1", "at-mention")]
    assert t["c6"] == [("c4", "at-mention")]


def test_reply_goes_to_the_comment_that_answered_me():
    d = _disc(
        ("Ann", "Point one about schools."),
        ("Bo", "@Ann wrong about schools."),
        ("Ann", "Another remark about roads."),
        ("Ann", "@Bo you misread me."),
        ("Bo", "@Ann did I?"),
    )
    assert _targets(d)["c5"] == [("c4", "at-mention")]


def test_own_name_marker_answers_own_comment():
    d = _disc(("Ann", "Cats are great."), ("Bo", "Hmm."), ("Ann", "@Ann Edit: I meant dogs."))
    assert _targets(d)["c3"] == [("c1", "at-mention")]


def test_duplicates_are_marked_and_inherit_the_reply():
    """The copy counted is the fuller one (issue 12): the earlier, shorter copy maps to it; a
    copy by someone else is no duplicate; a re-post with no marker answers what its twin did."""
    text = "I strongly believe that agents earn their commission in difficult markets."
    d = _disc(
        ("Ann", "Agents are parasites."),
        ("Bo", f"@Ann {text}"),
        ("Cy", "Something else."),
        ("Bo", text.replace("strongly ", "really strongly ")),
        ("Di", text + " Also, I agree with everything here."),
    )
    links, duplicates = infer_links(d)
    assert duplicates == {"c2": "c4"}
    assert links["c4"] == links["c2"] and links["c2"][0].target == "c1"


def test_identical_copies_keep_the_later_and_chains_of_copies_keep_the_longest():
    text = "Commission should be a flat fee, not a share of the price of the house."
    d = _disc(
        ("Bo", text),
        ("Ann", "Why would it?"),
        ("Bo", text),
        ("Bo", text + " A flat fee rewards the work, not the market."),
    )
    _, duplicates = infer_links(d)
    assert duplicates == {"c1": "c4", "c3": "c4"}


def test_platform_and_indent_structure_kept():
    comments = (
        Comment(id="a", index=1, author="Ann", text="x", parent_id=None),
        Comment(id="b", index=2, author="Bo", text="@Cy y", parent_id="a"),
        Comment(id="c", index=3, author="Cy", text="z", parent_id="zzz"),  # unknown parent
    )
    links, _ = infer_links(Discussion(article=Article(), comments=comments))
    assert links["b"][0].evidence == "platform" and links["b"][0].confidence == 1.0
    assert "c" not in links
    outline = tuple(
        Comment(id=f"c{i}", index=i, author=a, text="@Ann t", depth=dep)
        for i, (a, dep) in enumerate([("Ann", 0), ("Bo", 1), ("Cy", 2), ("Di", 1), ("Ed", 0)], 1)
    )
    links, _ = infer_links(Discussion(article=Article(), comments=outline))
    assert {k: v[0].target for k, v in links.items()} == {"c2": "c1", "c3": "c2", "c4": "c1"}
    assert all(v[0].evidence == "indent" for v in links.values())


def test_targets_precede_sources_and_confidence_is_modest_for_weak_evidence():
    d = _disc(
        ("Ann", "one two three"),
        ("Bo", "Ann, four five six"),
        ("Cy", "@Bo seven"),
        ("Di", "@Ann @Bo @Cy eight"),
    )
    links, _ = infer_links(d)
    order = {c.id: c.index for c in d.comments}
    for source, ls in links.items():
        for link in ls:
            assert order[link.target] < order[source]
    assert links["c2"][0].evidence == "addressed" and links["c2"][0].confidence <= 0.7


# --- Issue 12: the links a reader sees that the paste does not mark ---------------------------


def _links(d: Discussion) -> dict[str, list[tuple[str, str, float]]]:
    links, _ = infer_links(d)
    return {
        cid: [(link.target, link.evidence, link.confidence) for link in ls]
        for cid, ls in links.items()
    }


def test_a_part_of_a_name_addresses_its_author():
    d = _disc(
        ("TheRyGuy", "I'll bet fifty dollars the ceasefire collapses before Easter."),
        ("Matt", "RyGuy, you're on. Fifty says it holds through April."),
        ("GiantOreo", "Solar gets cheaper every year."),
        ("Sal", "Storage is where the money goes. What do you think, Oreo?"),
        ("Ann", "Guy, that is not how anyone talks."),
        ("Bo", "Every guy I know would take that bet."),
    )
    t = _links(d)
    assert [(x, e) for x, e, _ in t["c2"]] == [("c1", "partial-name")]
    assert [(x, e) for x, e, _ in t["c4"]] == [("c3", "partial-name")]
    assert all(conf < 0.9 for ls in t.values() for _, _, conf in ls)
    assert "c5" not in t  # "Guy" is a part of TheRyGuy, but also a word of the discussion


def test_a_view_named_with_its_words_points_at_the_comment_that_says_them():
    """"Kerr claims nobody paid the levy": the comment of Kerr's that says "nobody paid", even
    a reply to someone else and not the latest; a phrase the whole thread uses ("the levy")
    picks nothing."""
    d = _disc(
        ("Kerr", "The drinks levy worked, sugar in soft drinks fell by 40 percent."),
        ("Denise", "Somebody must have paid for the levy in the end."),
        ("Kerr", "@Denise: nobody paid it though, the companies cut the sugar instead."),
        ("Kerr", "Lovely weather for it today, anyway the levy is here to stay."),
        ("Marcus", "Kerr claims nobody paid the levy, but the bottles shrank. Somebody paid."),
        ("Ola", "Kerr says the levy is here to stay, the levy is a tax."),
    )
    t = _links(d)
    assert [(x, e) for x, e, _ in t["c5"]] == [("c3", "third-person")]
    assert [x for x, _e, _ in t["c6"]] == ["c4"]  # "here to stay"


def test_the_first_word_of_a_handle_addresses_its_author():
    """"Rob," to RobTheBuilder, "Dan," to DanK: the whole first word of a one-word handle, when
    only one author's handle starts with it; "The" (TheRyGuy) never."""
    d = _disc(
        ("RobTheBuilder", "You don't need a starter this fussy, feed it once a day."),
        ("DanK", "They were taken in the 1897 raid, nobody disputes that."),
        ("TheRyGuy", "I'll bet fifty dollars the ceasefire collapses."),
        ("Ola", "Rob, twelve years of practice is why it is fine for you."),
        ("Mia", "Dan, the raid is not the whole story."),
        ("Ben", "The, as in the word, is not a name."),
    )
    t = _links(d)
    assert [x for x, _e, _ in t["c4"]] == ["c1"]
    assert [x for x, _e, _ in t["c5"]] == ["c2"]
    assert "c6" not in t
    two = _disc(
        ("RobTheBuilder", "Feed it once a day."),
        ("RobinHood", "Feed it twice."),
        ("RobBoss", "Never feed it."),
        ("Ola", "Rob, that is a lot of feeding."),
    )
    assert "c4" not in _links(two)  # two handles start with Rob: nobody in particular


def test_a_name_part_that_is_a_word_of_the_discussion_or_another_author_is_no_address():
    d = _disc(
        ("PoliticalScience", "The capacity factor of solar here is about 20 percent."),
        ("Bo", "I trust the science on this, and the science says build both."),
        ("Cy", "Science: the reactor runs at 90 percent, the panels at 20."),
        ("Captain_Marisol", "The devs will patch it before the cup."),
        ("Marisol", "I just want the cup to happen."),
        ("Pavel", "Marisol, you mean the spring cup?"),
    )
    t = _targets(d)
    assert "c3" not in t  # "science" is a word the discussion uses
    assert t["c6"] == [("c5", "addressed")]  # an exact name beats a part of another


def test_your_bet_answers_the_one_comment_that_makes_a_bet():
    d = _disc(
        ("Ryan", "I'll bet anyone fifty dollars the truce collapses."),
        ("Ann", "The monitors report to the UN now."),
        ("Oskar", "Your bet is tasteless while people are dying."),
        ("Bo", "My theory: the militias decide, not the capitals."),
        ("Cy", "I have a theory too: the money decides."),
        ("Di", "Your theory ignores the monitors."),
        ("Ryan", "Your bet would lose, I bet you."),
    )
    t = _links(d)
    assert [(x, e) for x, e, _ in t["c3"]] == [("c1", "argument-name")]
    assert "c6" not in t  # two comments make a theory: which one is not known
    assert "c7" not in t  # one's own bet is not the one answered


def test_an_argument_the_article_makes_is_not_a_commenters():
    d = _disc(
        ("Raj", "My own theory: meetings expand to fill the week."),
        ("Chloe", "Your theory sounds nice but I want numbers."),
        article=Article(author="Marcus", text="My theory is that work expands to fill the time."),
    )
    assert _targets(d) == {}


def test_views_named_in_the_third_person_point_at_the_comment_stating_them():
    d = _disc(
        ("Michael Reynolds", "My theory is that the shop owners worry about their own parking."),
        ("Tom", "That is a cheap shot, my brother takes the bus."),
        ("Michael Reynolds", "@Tom fair enough, I should not generalise from three owners."),
        ("Ana", "Everything Michael Reynolds theorizes in this thread is guesswork."),
        ("Greta", "Kowalski's argument is weak."),
    )
    t = _links(d)
    assert [(x, e) for x, e, _ in t["c4"]] == [("c1", "third-person")]
    assert t["c4"][0][2] < 0.9
    assert "c5" not in t  # nobody called Kowalski has commented


def test_views_named_in_the_third_person_are_in_the_comment_that_puts_them_forward():
    """"Everything Keith argues" is about what Keith put forward, not his later reply to
    someone else, nor his reply to the writer: among his comments, those that answer nobody."""
    d = _disc(
        ("Keith", "The fine is what makes people bring books back on time, 9 percent more."),
        ("Moira", "Keith, the fines never covered the summer scheme anyway."),
        ("Keith", "@Moira: topped up, yes, but it is still most of the budget."),
        ("Priya", "Ending fines brings people back."),
        ("Keith", "@Priya: it brings the books back later, that is all."),
        ("Priya", "Everything Keith argues here rests on the idea that a fine makes people care."),
    )
    t = _links(d)
    assert [(x, e) for x, e, _ in t["c6"]] == [("c1", "third-person")]


def test_mentions_in_support_and_other_people_are_not_replies():
    d = _disc(
        ("Dave Kim", "The studies are from big cities with subways."),
        ("Jonas", "Fewer cars means a safer walk to school."),
        ("Bush", "Parking is the real issue here."),
        ("Pris", "As @Dave Kim said earlier, the studies do not fit."),
        ("Greta", "Like Jonas says, the school is the reason."),
        ("Hal", "George W. Bush says he supports it, which proves nothing."),
        ("Ida", "Jonas is right about the school."),
        ("Warren", "Light evenings are when people live."),
        ("Ros", "Warren claims a tenth fewer accidents, from a Florida study."),
        article=Article(text="Senator Warren proposed the bill."),
    )
    assert _targets(d) == {}


def _blank(d: Discussion, *indexes: int) -> Discussion:
    return replace(
        d,
        comments=tuple(replace(c, starts_blank=c.index in indexes) for c in d.comments),
    )


def test_a_lost_marker_answers_the_previous_speaker_only_when_the_text_talks_back():
    d = _blank(
        _disc(
            ("Helen", "The monitors are the real change this time."),
            ("Priya", "You put a lot of faith in the monitors, there are only forty."),
            ("Bo", "Selection bias is the whole story. You will hear about it."),
            ("Jen", "You are right about bias, but 56 of 60 is no accident."),
            ("Amara", "I do not buy your theory at all, Marcus."),
            ("Cy", "You are right, but nobody asked."),
            article=Article(author="Marcus Lee", text="Sixty companies tried it."),
        ),
        2,
        3,
        5,
    )
    t = _links(d)
    assert [(x, e) for x, e, _ in t["c2"]] == [("c1", "lost-marker")]
    assert t["c2"][0][2] < 0.9
    assert "c3" not in t  # a blank start, but the first sentence speaks to nobody
    assert "c4" not in t  # talks back, but no blank start: the paste marked nothing lost
    assert "c5" not in t  # talks back to the article's author
    assert "c6" not in t


def test_a_late_or_set_phrase_you_does_not_talk_back():
    """"…sounds great until you price it" and "If you ask me…" speak to anyone: a blank start
    with them is no lost marker; "Even if you are right…" is."""
    d = _blank(
        _disc(
            ("Kev", "They could just put motion sensor lights in, other countries do."),
            ("Marcus", "The sensor idea sounds great on paper until you price it properly."),
            ("Tom", "If you ask me the whole scheme is about potholes."),
            ("Ann", "Even if you are right about potholes, the lights stay off."),
            ("Pat", "Once you cut a bus route it never comes back."),
            ("Sue", "If you want people out of their cars, this is the wrong way round."),
        ),
        2,
        3,
        4,
        5,
        6,
    )
    t = _links(d)
    assert "c2" not in t and "c3" not in t
    assert [(x, e) for x, e, _ in t["c4"]] == [("c3", "lost-marker")]
    assert "c5" not in t and "c6" not in t  # anyone's "you" in a general condition


def test_an_edited_longer_repost_is_one_comment_counted_as_the_edit():
    short = "Rejecting it would be madness. The alternative is another winter of shelling."
    d = _disc(
        ("Sophie", short),
        ("Georg", "@Sophie agreed."),
        ("Sophie", short + " A third failed truce would make the next one impossible."),
        ("Bo", "> " + short + "\n\n" + "Madness is a strong word."),
        ("Bo", short + " Anyway. " + short),
    )
    _, duplicates = infer_links(d)
    assert duplicates == {"c1": "c3"}  # Bo quoting and Bo repeating twice are no re-posts


def test_copies_answering_different_people_are_two_comments():
    text = "Commission should be a flat fee, not a share of the price of the house you sell."
    d = _disc(
        ("Ann", "Agents earn their fee."),
        ("Cy", "Agents are parasites."),
        ("Bo", f"@Ann {text}"),
        ("Bo", f"@Cy {text} It rewards the work."),
    )
    _, duplicates = infer_links(d)
    assert duplicates == {}
