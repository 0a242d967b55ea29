"""Small shared word tools for the text signals: common English words, content words."""

from __future__ import annotations

from bot.core.text import words

STOPWORDS: frozenset[str] = frozenset(
    """
    a about above absolutely across actually after afterwards again against agree agreed ah
    all almost alone along already also although always am among amongst amoungst amount an
    and another answer any anybody anyhow anyone anything anyway anywhere are around as at
    back basically be became because become becomes becoming been before beforehand behind
    being below beside besides between beyond bill both bottom buddy but by call can cannot
    cant case certainly clearly co con cool correct could couldnt course cry de definitely
    describe detail disagree do done down dude due during each eg eight either eleven else
    elsewhere empty enough etc even ever every everyone everything everywhere exactly example
    except fact fair few fifteen fifty fill find fire first five folks for former formerly
    forty found four frankly friend friends from front full further general get give go good
    great guys had haha has hasnt have he hence her here hereafter hereby herein hereupon hers
    herself him himself his hmm honestly how however huh hundred i idea ie if in inc indeed
    instance interest interesting into is it its itself just keep know last later latter
    latterly least less like literally lol long ltd madam made make makes man many mate may
    maybe me mean means meant meanwhile might mill mine more moreover most mostly move much
    must my myself nah name namely neither never nevertheless next nice nine no nobody none
    noone nope nor not nothing now nowhere obviously of off often oh ok okay on once one only
    onto or other others otherwise our ours ourselves out over own part particular people per
    perhaps personally please point probably put question rather re really reason right said
    same say says second see seem seemed seeming seems sense serious seriously several she
    short should show side simply since sincere sir six sixty so some somebody somehow someone
    something sometime sometimes somewhere soon sorry still such sure system take ten than
    thank thanks that the their them themselves then thence there thereafter thereby therefore
    therein thereupon these they thick thin thing things think third this those though three
    through throughout thru thus time to today together tomorrow too top totally toward
    towards true twelve twenty two un under until up upon us usually very via was way we well
    were what whatever when whence whenever where whereafter whereas whereby wherein whereupon
    wherever whether which while whither who whoever whole whom whose why will with within
    without would wow wrong yeah yes yesterday yet you your yours yourself yourselves
    """.split()  # noqa: SIM905
)
"""Common English words (scikit-learn's stop-word list and everyday conversational words).
They never match an author name loosely and carry no weight when comparing comments."""


def content_words(text: str | list[str]) -> set[str]:
    """The distinct words of a text (or of its `words`) that say what it is about."""
    tokens = words(text, digits=True, split_compounds=True) if isinstance(text, str) else text
    return {w for w in set(tokens) - STOPWORDS if len(w) > 2}
