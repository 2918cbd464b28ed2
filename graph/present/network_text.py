"""The Danish sentences of a network's tooltips: one home for each, as a format string.

The networks (:mod:`graph.render.networks`) fill these in with labels from
:mod:`graph.present.vocabulary` and from the data; a tooltip is plain text, one fact a
line.

Examples
--------
>>> network_text("passes", count=3)
'Stafetten passerer: 3 gange'
>>> network_text("takes_part", unit="Jobcenter", role="ansvarlig", step=", trin 1", task="X")
'Jobcenter: ansvarlig, trin 1 i X'
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["NETWORK_TEXT", "network_text"]

NETWORK_TEXT: Mapping[str, str] = MappingProxyType(
    {
        "administration": "Forvaltning: {label}",
        "community": "Fællesskab: {name}",
        "no_community": "ingen",
        "passes": "Stafetten passerer: {count} gange",
        "cost": "(pris {cost:g})",
        "you_are_here": "Her sidder du",
        "handles": "Varetager opgaven ({role})",
        "hop": "{number}. {via}{through}",
        "alternative": "Alternativ: {via}{through}",
        "through": " – {label}",
        "through_membership": " – {member} i {organization}",
        "role": "Rolle: {role}",
        "status": "Status: {status}",
        "task": "Opgave (KLE)",
        "post_in": "I {unit}",
        "member_of": "{member} er medlem af {forum}",
        "takes_part": "{unit}: {role}{step} i {task}",
        "step": ", trin {step}",
        "post_serves": "{post} i {unit}",
        "membership": "{member} som {role} i {organization}",
        "under": "{unit} hører under {parent}",
        "more": "… og {count} flere",
    }
)


def network_text(key: str, **values: object) -> str:
    """The sentence ``key`` of :data:`NETWORK_TEXT`, filled in with ``values``."""
    return NETWORK_TEXT[key].format(**values)
