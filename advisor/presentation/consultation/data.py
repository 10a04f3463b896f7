"""A consultation as plain data: the report object every format is drawn from, and the
stable JSON shape of `advisor consult --format json`."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from advisor import __version__
from advisor.engine.results import WEAK_CERTAINTY, Consultation, DerivationNode, Evidence
from advisor.knowledge import KnowledgeBase
from advisor.knowledge.vocabulary import plain
from advisor.paths import source_date_epoch
from advisor.presentation.words import count, fact_in_words

REPORT_VERSION = 1


def _value(value: Any) -> Any:
    return plain(value)


def _evidence(e: Evidence) -> dict[str, Any]:
    return {"name": e.name, "value": _value(e.value), "origin": e.origin}


def _unit_title(knowledge: KnowledgeBase, url: str) -> str:
    unit = knowledge.guide.unit(url)
    return unit.title if unit else url


def _tree(node: DerivationNode, knowledge: KnowledgeBase) -> dict[str, Any]:
    rule = knowledge.rule(node.rule_id)
    assert rule is not None
    return {
        "rule": node.rule_id,
        "title": rule.title,
        "conclusion": node.conclusion,
        "because": rule.because,
        "source": rule.source,
        "unit": _unit_title(knowledge, rule.source),
        "facts": [_evidence(e) for e in node.facts],
        "children": [_tree(c, knowledge) for c in node.children],
    }


def build_report(consultation: Consultation, knowledge: KnowledgeBase,
                 scenario: dict[str, Any] | None = None) -> dict[str, Any]:
    """The report object: `recommendations`, `warnings`, `open`, `fired` and more.

    Its shape is a contract (tests/test_json_contract.py pins it): add keys, never rename.
    """
    vocabulary = knowledge.vocabulary
    guide = knowledge.guide
    recommendations = []
    for rec in consultation.recommendations:
        spec = vocabulary.decision(rec.decision)
        assert spec is not None
        recommendations.append({
            "decision": rec.decision,
            "title": spec.title,
            "section": spec.section,
            "choice": rec.choice,
            "label": spec.choices[rec.choice],
            "rules": list(rec.rules),
            "certainty": rec.certainty,
            "weak": rec.certainty < WEAK_CERTAINTY,
            "contested": rec.contested,
            "alternatives": [{"choice": a.choice, "rules": list(a.rules), "reason": a.reason}
                             for a in rec.alternatives],
            "derivation": [_tree(n, knowledge) for n in consultation.derivation(rec.decision, rec.choice)],
        })
    warnings = []
    for w in consultation.warnings:
        rule = knowledge.rule(w.rule_id)
        assert rule is not None
        warnings.append({"rule": w.rule_id, "kind": w.kind, "message": w.message,
                         "section": rule.section, "source": rule.source,
                         "unit": _unit_title(knowledge, rule.source), "related": list(w.related)})
    fired = [{
        "order": f.order,
        "rule": f.rule_id,
        "status": f.status,
        "conclusion": {"kind": f.kind, "name": f.name, "value": _value(f.value)},
        "matched": [_evidence(e) for e in f.matched],
        "certainty": f.certainty,
        "note": f.note,
    } for f in consultation.fired]
    return {
        "version": REPORT_VERSION,
        "scenario": scenario or {},
        "facts": {k: _value(v) for k, v in consultation.facts.items()},
        "derived": [{"name": e.name, "value": _value(e.value), "rule": e.origin}
                    for e in consultation.derived.values()],
        "recommendations": recommendations,
        "warnings": warnings,
        "open": [{"decision": o.decision, "title": vocabulary.decision(o.decision).title,  # type: ignore[union-attr]
                  "section": vocabulary.decision(o.decision).section,  # type: ignore[union-attr]
                  "settled_by": list(o.settled_by)} for o in consultation.open_decisions],
        "fired": fired,
        "set_aside": [_set_aside(item.scope_id, item.decisions, item.facts, item.rules, knowledge)
                      for item in consultation.set_aside],
        "sections": [{"id": s.id, "heading": s.heading} for s in guide.sections],
        "given": [_given(name, value, knowledge) for name, value in consultation.facts.items()],
        "provenance": provenance(knowledge),
    }


def _set_aside(scope_id: str, decisions: tuple[str, ...], facts: tuple[str, ...], rules: tuple[str, ...],
               knowledge: KnowledgeBase) -> dict[str, Any]:
    """What a scope entry made moot, and why (said once in the report)."""
    entry = knowledge.scope_entry(scope_id)
    assert entry is not None
    vocabulary = knowledge.vocabulary
    return {"scope": scope_id, "title": entry.title, "when": entry.when, "because": entry.because,
            "source": entry.source, "unit": _unit_title(knowledge, entry.source),
            "decisions": list(decisions),
            "decision_titles": [vocabulary.decision(d).title for d in decisions],  # type: ignore[union-attr]
            "facts": list(facts), "rules": list(rules)}


def _given(name: str, value: Any, knowledge: KnowledgeBase) -> dict[str, Any]:
    question, answer = fact_in_words(name, value, knowledge.vocabulary)
    return {"name": name, "value": _value(value), "question": question, "answer": answer}


def provenance(knowledge: KnowledgeBase) -> dict[str, Any]:
    """What produced the report: advisor version, rule base, date (the scenario file is
    `scenario.file`)."""
    return {"advisor": __version__, "rule_base": rule_base_hash(knowledge), "date": report_date()}


def rule_base_hash(knowledge: KnowledgeBase) -> str:
    """A short hash of the rules, vocabulary and guide as loaded (the same files give the same hash)."""
    # Kept on the object, not by id(): a freed rule base's id can be reused by another. The cache
    # encodes dataclass fields only, so this attribute never reaches it.
    found = knowledge.__dict__.get("_report_hash")
    if found is None:
        text = repr((knowledge.rules, knowledge.vocabulary.facts, knowledge.vocabulary.decisions, knowledge.guide))
        found = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
        object.__setattr__(knowledge, "_report_hash", found)  # frozen dataclass: derived state only
    return found


def report_date() -> str:
    """Today (UTC), or the date SOURCE_DATE_EPOCH names, for reproducible reports."""
    epoch = source_date_epoch()
    moment = dt.datetime.now(dt.UTC) if epoch is None else dt.datetime.fromtimestamp(epoch, dt.UTC)
    return moment.date().isoformat()


def report_summary_line(report: dict[str, Any]) -> str:
    """'14 recommendations, 1 warning, 23 rules fired, 14 decisions open.'"""
    return (f"{count(len(report['recommendations']), 'recommendation')}, "
            f"{count(len(report['warnings']), 'warning')}, "
            f"{count(len(report['fired']), 'rule')} fired, "
            f"{count(len(report['open']), 'decision')} open.")
