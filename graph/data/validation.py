"""Validate the RDF against our SHACL shapes and the official CPSV-AP 3.2.0 shapes.

pySHACL runs without inference (the pitfalls measured it at several times slower with
RDFS or OWL-RL); the subclass triples that ``sh:class`` needs come from passing our
ontology, ORG and CPSV-AP as the ontology graph.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, Node, URIRef
from rdflib.namespace import RDF, SH

from graph.data.loader import ontology_graph, shapes_graph

__all__ = ["Finding", "ValidationReport", "validate_graph"]

SEVERITY_NAMES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True, slots=True)
class Finding:
    """One SHACL result, with the Danish message of the shape that produced it."""

    severity: str
    focus: str
    path: str | None
    value: str | None
    message: str
    ruleset: str

    def to_dict(self) -> dict[str, str | None]:
        return {
            "severity": self.severity,
            "focus": self.focus,
            "path": self.path,
            "value": self.value,
            "message": self.message,
            "ruleset": self.ruleset,
        }


@dataclass(slots=True)
class ValidationReport:
    """The outcome of validating a graph."""

    findings: list[Finding] = field(default_factory=list)
    rulesets: tuple[str, ...] = ()

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Warning"]

    @property
    def conforms(self) -> bool:
        """True when there are no violations (warnings are gaps, not errors)."""
        return not self.violations

    def counts(self) -> dict[str, int]:
        return dict(Counter(f.severity for f in self.findings))


def validate_graph(
    data: Graph,
    *,
    rulesets: Sequence[str] = ("stafet", "cpsv-ap"),
    ontology: Graph | None = None,
) -> ValidationReport:
    """Validate ``data`` against the chosen rule sets.

    Parameters
    ----------
    data
        The graph to check. It is not modified.
    rulesets
        ``"stafet"`` (our shapes) and/or ``"cpsv-ap"`` (the official CPSV-AP 3.2.0 shapes).
    ontology
        The ontology graph; by default ours with ORG and CPSV-AP.
    """
    report = ValidationReport(rulesets=tuple(rulesets))
    ours = shapes_graph(["stafet"]) if "stafet" in rulesets else Graph()
    shapes = Graph()
    for name in rulesets:
        shapes += ours if name == "stafet" else shapes_graph([name])
    from pyshacl import validate as pyshacl_validate  # slow to import; only here

    _, results, _ = pyshacl_validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology if ontology is not None else ontology_graph(),
        inference="none",
        allow_warnings=True,
        allow_infos=True,
        abort_on_first=False,
    )
    assert isinstance(results, Graph)
    for result in results.subjects(RDF.type, SH.ValidationResult):
        shape = results.value(result, SH.sourceShape)
        report.findings.append(
            Finding(
                severity=SEVERITY_NAMES.get(_ref(results.value(result, SH.resultSeverity)), "?"),
                focus=_text(results.value(result, SH.focusNode)) or "?",
                path=_path_text(results, results.value(result, SH.resultPath)),
                value=_text(results.value(result, SH.value)),
                message=_message(results, result),
                ruleset="stafet"
                if shape is not None and (shape, None, None) in ours
                else "cpsv-ap",
            )
        )
    report.findings.sort(key=lambda f: (f.severity != "Violation", f.focus, f.message))
    return report


def _ref(node: Node | None) -> URIRef:
    return node if isinstance(node, URIRef) else URIRef("")


def _text(node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, BNode):
        return "[]"
    return str(node)


def _path_text(results: Graph, path: Node | None) -> str | None:
    if path is None or isinstance(path, BNode):
        return None if path is None else "(sti)"
    return str(path)


def _message(results: Graph, result: Node) -> str:
    messages = list(results.objects(result, SH.resultMessage))
    danish = [m for m in messages if isinstance(m, Literal) and m.language == "da"]
    chosen = danish or messages
    return str(chosen[0]) if chosen else "Reglen er ikke overholdt."
