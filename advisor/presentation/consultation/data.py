"""A consultation as a typed report: built once from the engine's result, read by every format
(text, Markdown, HTML, SVG, Mermaid, JSON) and by the Python API (`advisor.consult`).

`Report.to_dict()` is the stable JSON shape of `advisor consult --format json`
(tests/test_json_contract.py pins it): add fields, never rename.
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import field
from typing import Any, NamedTuple

from advisor import __version__
from advisor.engine.results import WEAK_CERTAINTY, Alternative, Consultation, DerivationNode
from advisor.knowledge import KnowledgeBase
from advisor.knowledge.vocabulary import plain, value_text
from advisor.paths import source_date_epoch
from advisor.presentation.words import count, fact_in_words
from advisor.records import record

REPORT_VERSION = 1

# The report's parts are named tuples, immutable, compared and hashed by value as frozen
# dataclasses were: a class of them is made in ~0.2 ms against ~1 ms for a frozen dataclass
# (Python 3.11 compiles each generated method), and every consult imports this module.
# No `from __future__ import annotations` here: NamedTuple compiles every annotation given as text.


class Evidence(NamedTuple):
    """A fact a rule matched: given by the user (`origin == "user"`) or concluded by a rule."""

    name: str
    value: Any
    origin: str

    @property
    def from_user(self) -> bool:
        return self.origin == "user"


class Step(NamedTuple):
    """One rule in a derivation: what it concluded, why, its source, and the steps beneath it."""

    rule: str
    title: str
    conclusion: str
    because: str
    source: str
    unit: str
    facts: tuple[Evidence, ...]
    children: tuple["Step", ...]

    def walk(self) -> Iterator["Step"]:
        yield self
        for child in self.children:
            yield from child.walk()


class Recommendation(NamedTuple):
    """A recommendation in the report's words, with its derivation."""

    decision: str
    title: str
    section: str
    choice: str
    label: str
    rules: tuple[str, ...]
    certainty: float
    weak: bool
    contested: bool
    alternatives: tuple[Alternative, ...]
    derivation: tuple[Step, ...]

    @property
    def marks(self) -> list[str]:
        """'weak', 'contested' (both can hold)."""
        return [name for name in ("weak", "contested") if getattr(self, name)]


class Warning(NamedTuple):
    """A warning in the report's words, with its source."""

    rule: str
    kind: str
    message: str
    section: str
    source: str
    unit: str
    related: tuple[str, ...]


class OpenDecision(NamedTuple):
    """A decision left open, and the facts that would settle it."""

    decision: str
    title: str
    section: str
    settled_by: tuple[str, ...]


class Conclusion(NamedTuple):
    """What a firing concluded."""

    kind: str
    name: str | None
    value: Any


class Firing(NamedTuple):
    """One firing as the report lists it."""

    order: int
    rule: str
    status: str
    conclusion: Conclusion
    matched: tuple[Evidence, ...]
    certainty: float
    note: str


class Derived(NamedTuple):
    """A fact a rule concluded."""

    name: str
    value: Any
    rule: str


class Section(NamedTuple):
    """A study guide section the report groups by."""

    id: str
    heading: str


class Given(NamedTuple):
    """A fact the user gave, in words: the vocabulary's question and the answer's label."""

    name: str
    value: Any
    question: str
    answer: str


class SetAside(NamedTuple):
    """What a scope entry made moot, and why (said once in the report)."""

    scope: str
    title: str
    when: str
    because: str
    source: str
    unit: str
    decisions: tuple[str, ...]
    decision_titles: tuple[str, ...]
    facts: tuple[str, ...]
    rules: tuple[str, ...]


class Provenance(NamedTuple):
    """Which advisor and rule base made the report, and when."""

    advisor: str
    rule_base: str
    date: str


@record(frozen=True)
class ScenarioInfo:
    """Where the consulted facts came from."""

    name: str | None = None
    file: str | None = None
    description: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)   # interactive: True, focus, answers

    def to_dict(self) -> dict[str, Any]:
        known = {k: v for k, v in (("name", self.name), ("file", self.file), ("description", self.description))
                 if v is not None}
        return {**known, **self.extra}


@record(frozen=True)
class Report:
    """Everything a consultation concluded, with the reasons, in the words of the vocabulary."""

    scenario: ScenarioInfo
    facts: dict[str, Any]
    derived: tuple[Derived, ...]
    recommendations: tuple[Recommendation, ...]
    warnings: tuple[Warning, ...]
    open: tuple[OpenDecision, ...]
    fired: tuple[Firing, ...]
    sections: tuple[Section, ...]
    given: tuple[Given, ...]
    provenance: Provenance
    version: int = REPORT_VERSION
    set_aside: tuple[SetAside, ...] = ()

    @property
    def title(self) -> str:
        return self.scenario.name or "Consultation"

    def chosen(self, decision: str) -> list[Recommendation]:
        """The recommendations for one decision (several for a multi-choice decision)."""
        return [r for r in self.recommendations if r.decision == decision]

    # --- the Python API (advisor.consult returns this) ------------------------------------

    def __repr__(self) -> str:
        return f"<advisor Report {self.title!r}: {report_summary_line(self)[:-1]}>"

    def decision(self, name: str) -> str | None:
        """A decision's id from its id or its title (case-insensitive); None if neither."""
        wanted = name.strip().lower()
        for rec in self.recommendations:
            if wanted in (rec.decision.lower(), rec.title.lower()):
                return rec.decision
        for item in self.open:
            if wanted in (item.decision.lower(), item.title.lower()):
                return item.decision
        return None

    def why(self, decision: str) -> str:
        """Why the advisor recommends what it does for one decision (id or title): each choice
        with its certainty, the chain of rules down to the facts given, and the sources; for an
        open decision, the facts that would settle it."""
        name = self.decision(decision)
        recs = self.chosen(name) if name else []
        if not recs:
            item = next((o for o in self.open if o.decision == name), None)
            if item is not None:
                return f"{item.title}: open; would be settled by {', '.join(item.settled_by)}."
            return f"{decision}: not decided in this consultation (no rule concluded it)."
        lines = []
        for rec in recs:
            lines.append(f"{rec.title}: {rec.label} (certainty {rec.certainty:.2f}"
                         + "".join(f", {m}" for m in rec.marks) + ")")
            seen: set[str] = set()
            for root in rec.derivation:
                for step in root.walk():
                    if step.rule in seen:
                        continue
                    seen.add(step.rule)
                    given = [f"{f.name} = {value_text(f.value)}" for f in step.facts if f.from_user]
                    lines.append(f"  because {step.rule}: {step.because}")
                    if given:
                        lines.append(f"    given {', '.join(given)}")
                    lines.append(f"    source: {step.unit} <{step.source}>")
            for alt in rec.alternatives:
                lines.append(f"  not {alt.choice} ({', '.join(alt.rules)}): {alt.reason}")
        return "\n".join(lines)

    def to_yaml(self) -> str:
        """The scenario behind the report (name, description, the facts given) as a scenario
        file: `advisor consult FILE` gives this report again."""
        import yaml

        document: dict[str, Any] = {"name": self.title}
        if self.scenario.description:
            document["description"] = self.scenario.description
        document["facts"] = {name: list(v) if isinstance(v, tuple) else v for name, v in self.facts.items()}
        return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)

    def render(self, format: str = "text", **options: Any) -> str:
        """The report in one of consult's formats: text, json, markdown, html, svg, mermaid
        (`summary=True`: the architecture, warnings and open decisions that matter; `full=True`:
        the text format with every derivation tree)."""
        from advisor.presentation.registry import render

        return render(self, format, kind="report", **options)

    def _repr_html_(self) -> str:
        """Jupyter: the HTML report's body, with the diagram, its style scoped to it."""
        from advisor.presentation.consultation.html import render_html

        return render_html(self, fragment=True)

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract (plain data: lists, dicts, str, numbers, bool, None)."""
        return {
            "version": self.version,
            "scenario": self.scenario.to_dict(),
            "facts": dict(self.facts),
            "derived": [_plain_fields(d) for d in self.derived],
            "recommendations": [{
                **{k: getattr(r, k) for k in ("decision", "title", "section", "choice", "label")},
                "rules": list(r.rules), "certainty": r.certainty, "weak": r.weak, "contested": r.contested,
                "alternatives": [{"choice": a.choice, "rules": list(a.rules), "reason": a.reason}
                                 for a in r.alternatives],
                "derivation": [_step_dict(s) for s in r.derivation],
            } for r in self.recommendations],
            "warnings": [{**_plain_fields(w), "related": list(w.related)} for w in self.warnings],
            "open": [{**_plain_fields(o), "settled_by": list(o.settled_by)} for o in self.open],
            "fired": [{"order": f.order, "rule": f.rule, "status": f.status,
                       "conclusion": _plain_fields(f.conclusion),
                       "matched": [_plain_fields(e) for e in f.matched],
                       "certainty": f.certainty, "note": f.note} for f in self.fired],
            "set_aside": [{k: list(v) if isinstance(v, tuple) else v for k, v in _plain_fields(s).items()}
                          for s in self.set_aside],
            "sections": [_plain_fields(s) for s in self.sections],
            "given": [_plain_fields(g) for g in self.given],
            "provenance": _plain_fields(self.provenance),
        }


def _plain_fields(record: Any) -> dict[str, Any]:
    fields: dict[str, Any] = record._asdict()
    return fields


def _step_dict(step: Step) -> dict[str, Any]:
    return {"rule": step.rule, "title": step.title, "conclusion": step.conclusion, "because": step.because,
            "source": step.source, "unit": step.unit, "facts": [_plain_fields(e) for e in step.facts],
            "children": [_step_dict(c) for c in step.children]}


# --- building -----------------------------------------------------------------------------

def _evidence(e: Any) -> Evidence:
    return Evidence(e.name, plain(e.value), e.origin)


def _unit_title(knowledge: KnowledgeBase, url: str) -> str:
    unit = knowledge.guide.unit(url)
    return unit.title if unit else url


def _step(node: DerivationNode, knowledge: KnowledgeBase) -> Step:
    rule = knowledge.rule(node.rule_id)
    assert rule is not None
    return Step(node.rule_id, rule.title, node.conclusion, rule.because, rule.source,
                _unit_title(knowledge, rule.source), tuple(_evidence(e) for e in node.facts),
                tuple(_step(c, knowledge) for c in node.children))


def build_report(consultation: Consultation, knowledge: KnowledgeBase,
                 scenario: dict[str, Any] | ScenarioInfo | None = None) -> Report:
    """The typed report of a consultation (`scenario`: its name, file and description)."""
    vocabulary = knowledge.vocabulary
    recommendations = []
    for rec in consultation.recommendations:
        spec = vocabulary.decision(rec.decision)
        assert spec is not None
        recommendations.append(Recommendation(
            rec.decision, spec.title, spec.section, rec.choice, spec.choices[rec.choice], tuple(rec.rules),
            rec.certainty, rec.certainty < WEAK_CERTAINTY, rec.contested,
            tuple(rec.alternatives),
            tuple(_step(n, knowledge) for n in consultation.derivation(rec.decision, rec.choice))))
    warnings = []
    for w in consultation.warnings:
        rule = knowledge.rule(w.rule_id)
        assert rule is not None
        warnings.append(Warning(w.rule_id, w.kind, w.message, rule.section, rule.source,
                                _unit_title(knowledge, rule.source), tuple(w.related)))
    opened = []
    for o in consultation.open_decisions:
        spec = vocabulary.decision(o.decision)
        assert spec is not None
        opened.append(OpenDecision(o.decision, spec.title, spec.section, tuple(o.settled_by)))
    fired = tuple(Firing(f.order, f.rule_id, f.status, Conclusion(f.kind, f.name, plain(f.value)),
                         tuple(_evidence(e) for e in f.matched), f.certainty, f.note)
                  for f in consultation.fired)
    if isinstance(scenario, dict):
        scenario = ScenarioInfo(scenario.get("name"), scenario.get("file"), scenario.get("description"),
                                {k: v for k, v in scenario.items() if k not in ("name", "file", "description")})
    return Report(
        scenario=scenario or ScenarioInfo(),
        facts={k: plain(v) for k, v in consultation.facts.items()},
        derived=tuple(Derived(e.name, plain(e.value), e.origin) for e in consultation.derived.values()),
        recommendations=tuple(recommendations),
        warnings=tuple(warnings),
        open=tuple(opened),
        fired=fired,
        sections=tuple(Section(s.id, s.heading) for s in knowledge.guide.sections),
        given=tuple(_given(name, value, knowledge) for name, value in consultation.facts.items()),
        provenance=provenance(knowledge),
        set_aside=tuple(_set_aside(item.scope_id, item.decisions, item.facts, item.rules, knowledge)
                        for item in consultation.set_aside),
    )


def _set_aside(scope_id: str, decisions: tuple[str, ...], facts: tuple[str, ...], rules: tuple[str, ...],
               knowledge: KnowledgeBase) -> SetAside:
    entry = knowledge.scope_entry(scope_id)
    assert entry is not None
    vocabulary = knowledge.vocabulary
    return SetAside(scope_id, entry.title, entry.when, entry.because, entry.source,
                    _unit_title(knowledge, entry.source), tuple(decisions),
                    tuple(vocabulary.decision(d).title for d in decisions),  # type: ignore[union-attr]
                    tuple(facts), tuple(rules))


def _given(name: str, value: Any, knowledge: KnowledgeBase) -> Given:
    question, answer = fact_in_words(name, value, knowledge.vocabulary)
    return Given(name, plain(value), question, answer)


def provenance(knowledge: KnowledgeBase) -> Provenance:
    """What produced the report: advisor version, rule base, date (the scenario file is
    `scenario.file`)."""
    return Provenance(__version__, rule_base_hash(knowledge), report_date())


def rule_base_hash(knowledge: KnowledgeBase) -> str:
    """A short hash of the knowledge base as loaded (the same files give the same hash): the
    digest the knowledge cache keeps of it, read with the cache rather than computed again."""
    from advisor.knowledge.cache import content_digest

    return content_digest(knowledge)[:12]


def report_date() -> str:
    """Today (UTC), or the date SOURCE_DATE_EPOCH names, for reproducible reports."""
    epoch = source_date_epoch()
    moment = dt.datetime.now(dt.UTC) if epoch is None else dt.datetime.fromtimestamp(epoch, dt.UTC)
    return moment.date().isoformat()


def report_summary_line(report: Report) -> str:
    """'14 recommendations, 1 warning, 23 rules fired, 14 decisions open.'"""
    return (f"{count(len(report.recommendations), 'recommendation')}, "
            f"{count(len(report.warnings), 'warning')}, "
            f"{count(len(report.fired), 'rule')} fired, "
            f"{count(len(report.open), 'decision')} open.")
