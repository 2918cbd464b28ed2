"""How Stafet's pictures look: one colour per administration, relation and kind of node.

The charts, the networks and the web app's legend stylesheet use these, so that a colour
means the same everywhere. Danish names for the same codes live in
:mod:`graph.present.vocabulary`, not here.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = [
    "COLOURS",
    "COMMUNITY_COLOURS",
    "KIND_STYLES",
    "PATH_COLOUR",
    "RELATION_COLOURS",
    "VIA_COLOURS",
    "shorten",
]

#: One colour per administration key, the same in every chart and in the network.
COLOURS: Mapping[str, str] = MappingProxyType(
    {
        "okf": "#4e79a7",
        "buf": "#f28e2b",
        "tmf": "#59a14f",
        "kff": "#b07aa1",
        "bif": "#e15759",
        "sof": "#76b7b2",
        "suf": "#edc948",
        "oevrige": "#9c755f",
        "ekstern": "#bab0ac",
    }
)
#: Colours for communities of units (taken in turn).
COMMUNITY_COLOURS = ("#4e79a7", "#e15759", "#59a14f", "#f28e2b", "#b07aa1", "#76b7b2")
#: One colour per way of handing a request over (a referral hop's ``via``).
VIA_COLOURS: Mapping[str, str] = MappingProxyType(
    {
        "contact_person": "#e15759",
        "contact_point": "#f28e2b",
        "single_entry": "#b07aa1",
        "forum": "#4e79a7",
        "collaboration": "#59a14f",
        "hierarchy": "#bab0ac",
        "across": "#edc948",
        "external": "#9c755f",
        "appeal": "#76b7b2",
    }
)
#: How each kind of node looks: vis-network shape and colour (units and contact posts take
#: their administration's colour instead).
KIND_STYLES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "unit": ("dot", "#999999"),
        "task": ("square", "#d5dbe3"),
        "forum": ("diamond", "#9fb3c8"),
        "law": ("triangle", "#c9b79c"),
        "post": ("star", "#999999"),
        "contact": ("hexagon", "#e0e0e0"),
    }
)
#: Each relation's colour: five families, so that a picture has at most five line colours
#: (where a unit sits, tasks, forums, contact, law).
RELATION_COLOURS: Mapping[str, str] = MappingProxyType(
    {
        "sub_organization_of": "#7f7f7f",
        "part_of": "#7f7f7f",
        "broader": "#7f7f7f",
        "participates_in": "#4e79a7",
        "concerns": "#4e79a7",
        "member_of": "#59a14f",
        "post_in": "#e15759",
        "serves": "#e15759",
        "contact_point": "#e15759",
        "legal_resource": "#9c755f",
    }
)
#: The colour of the best referral path.
PATH_COLOUR = "#b3261e"


def shorten(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` characters, with an ellipsis where it was cut.

    Examples
    --------
    >>> shorten("Beskæftigelses- og Integrationsforvaltningen", 15)
    'Beskæftigelses…'
    >>> shorten("BIF", 15)
    'BIF'
    """
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
