"""Side colours shared by the embeds and the reply-graph picture, so a side looks the same in
both. Okabe–Ito colours: distinguishable with the common colour-vision deficiencies."""

from __future__ import annotations

from bot.core.model import Report

SIDE_COLOURS: tuple[int, ...] = (
    0x0072B2,  # blue
    0xD55E00,  # vermillion
    0x009E73,  # bluish green
    0xCC79A7,  # reddish purple
    0xE69F00,  # orange
    0x56B4E9,  # sky blue
    0xF0E442,  # yellow
)
OTHERS_COLOUR = 0x9E9E9E
"""Commenters in no side, and the grouped "others" node."""
NEUTRAL_COLOUR = 0x5865F2
"""Embeds that belong to no side (headline, who-responded-to-whom, chains)."""


def side_colour(index: int | None) -> int:
    """The colour of the side at `index` in `report.sides` (None = no side)."""
    return OTHERS_COLOUR if index is None else SIDE_COLOURS[index % len(SIDE_COLOURS)]


def hex_colour(colour: int) -> str:
    """`0x0072B2` -> `"#0072b2"`, the form matplotlib takes."""
    return f"#{colour:06x}"


def colour_of(report: Report, index: int) -> int:
    """The colour of `report.sides[index]`: the no-side grey for the neutral group."""
    return OTHERS_COLOUR if report.sides[index].neutral else side_colour(index)


def author_sides(report: Report) -> dict[str, int]:
    """Author -> index of their side (the neutral group counts as no side); an author listed
    in two sides keeps the first."""
    out: dict[str, int] = {}
    for i, side in enumerate(report.sides):
        if side.neutral:
            continue
        for author in side.authors:
            out.setdefault(author, i)
    return out
