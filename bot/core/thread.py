"""Discussion -> Thread: the one entry point for the reply structure."""

from __future__ import annotations

from bot.core import structure
from bot.core.model import Discussion, Thread
from bot.core.replies import infer_links


def build_thread(discussion: Discussion) -> Thread:
    links, duplicates = infer_links(discussion)
    parents = structure.parents_of(discussion, links)
    found = structure.interactions(discussion, links, duplicates)
    return Thread(
        discussion=discussion,
        links=links,
        duplicates=duplicates,
        chains=structure.chains(discussion, parents),
        interactions=found,
        exchanges=structure.exchanges(discussion, found),
        depths=structure.depths(discussion, parents),
    )
