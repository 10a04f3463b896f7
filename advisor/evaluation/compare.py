"""Compare a consultation with a scenario's expectations, explaining every difference."""

from __future__ import annotations

from advisor.engine.results import Consultation, Recommendation
from advisor.evaluation.results import Mismatch
from advisor.knowledge import KnowledgeBase
from advisor.knowledge.conditions import describe_leaf
from advisor.knowledge.vocabulary import value_text
from advisor.scenarios.model import Expectations

FIRED, NOT_FIRED, WARNING, NO_WARNING, OPEN = "fired", "not fired", "warning", "no warning", "open"


def count_checks(expect: Expectations | None) -> int:
    if expect is None:
        return 0
    return (len(expect.decisions) + len(expect.open) + len(expect.fires) + len(expect.does_not_fire)
            + len(expect.warns))


def check_expectations(expect: Expectations | None, consultation: Consultation,
            knowledge: KnowledgeBase) -> tuple[Mismatch, ...]:
    """Every unmet expectation: decisions, open, fires, does_not_fire, warns, each in the file's order."""
    if expect is None:
        return ()
    why = _WhyNot(consultation, knowledge)
    mismatches: list[Mismatch] = []
    by_decision: dict[str, list[Recommendation]] = {}  # one pass, not one per expected decision
    for r in consultation.recommendations:
        by_decision.setdefault(r.decision, []).append(r)
    for decision, expected in expect.decisions.items():
        mismatch = _check_decision(decision, expected, by_decision.get(decision, []), consultation, knowledge, why)
        if mismatch is not None:
            mismatches.append(mismatch)
    # "open" means undecided: no recommendation, whether or not more facts could settle it.
    decided = {r.decision for r in consultation.recommendations}
    for decision in expect.open:
        if decision in decided:
            mismatches.append(_not_open(decision, consultation, knowledge))
    fired = {f.rule_id: f for f in consultation.fired}
    for rule_id in expect.fires:
        if rule_id not in fired:
            mismatches.append(Mismatch("fires", rule_id, FIRED, NOT_FIRED, reasons=(why.rule(rule_id),)))
    for rule_id in expect.does_not_fire:
        firing = fired.get(rule_id)
        if firing is not None:
            matched = ", ".join(f"{e.name} = {value_text(e.value)}" + ("" if e.from_user else f" (from {e.origin})")
                                for e in firing.matched)
            reason = f"{rule_id} fired ({firing.status})" + (f" on {matched}" if matched else "")
            mismatches.append(Mismatch("does_not_fire", rule_id, NOT_FIRED, FIRED, rules=(rule_id,),
                                       reasons=(reason,)))
    warned = {w.rule_id for w in consultation.warnings}
    for rule_id in expect.warns:
        if rule_id in warned:
            continue
        if rule_id in fired:
            rule = knowledge.rule(rule_id)
            kind = rule.conclusion.kind if rule else "?"
            reason = f"{rule_id} fired but raised no warning (it is a {kind} rule and its conclusion was not contested)"
        else:
            reason = why.rule(rule_id)
        mismatches.append(Mismatch("warns", rule_id, WARNING, NO_WARNING, reasons=(reason,)))
    return tuple(mismatches)


def _check_decision(decision: str, expected: str | list[str], recommendations: list[Recommendation],
                    consultation: Consultation, knowledge: KnowledgeBase, why: _WhyNot) -> Mismatch | None:
    """`recommendations`: the consultation's recommendations for `decision`, in its order."""
    spec = knowledge.vocabulary.decision(decision)
    assert spec is not None  # the scenario loader checked the name
    if spec.multiple:
        # A decision with several choices passes when the recommended set equals the expected set.
        wanted = (expected,) if isinstance(expected, str) else tuple(expected)
        wanted = tuple(c for c in spec.choices if c in wanted)
        got_set = tuple(r.choice for r in recommendations)
        if set(got_set) == set(wanted):
            return None
        behind = _rules_behind(recommendations)
        reasons = [f"{choice}: {why.choice(decision, choice)}" for choice in wanted if choice not in got_set]
        for r in recommendations:
            if r.choice not in wanted:
                reasons.append(f"{r.choice} (not expected): recommended by {', '.join(r.rules)}")
        if not recommendations:
            reasons.append(_open_note(decision, consultation))
        return Mismatch("decision", decision, wanted, got_set or None, behind, tuple(reasons))
    assert isinstance(expected, str)  # the runner refuses a list for a single-choice decision
    got = recommendations[0].choice if recommendations else None
    if got == expected:
        return None
    behind = _rules_behind(recommendations)
    reasons = [f"{expected}: {why.choice(decision, expected)}"]
    if got is None:
        reasons.append(_open_note(decision, consultation))
    elif recommendations[0].contested:
        reasons.append(f"{got} is contested: rules of equal rank disagree (see the warnings)")
    return Mismatch("decision", decision, expected, got, behind, tuple(reasons))


def _rules_behind(recommendations: list[Recommendation]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(rule for r in recommendations for rule in r.rules))


def _not_open(decision: str, consultation: Consultation, knowledge: KnowledgeBase) -> Mismatch:
    spec = knowledge.vocabulary.decision(decision)
    recommendations = [r for r in consultation.recommendations if r.decision == decision]
    choices = tuple(r.choice for r in recommendations)
    got: str | tuple[str, ...] = choices if spec is not None and spec.multiple else choices[0]
    rules = tuple(dict.fromkeys(rule for r in recommendations for rule in r.rules))
    return Mismatch("open", decision, OPEN, got, rules,
                    (f"settled as {', '.join(choices)} by {', '.join(rules)}",))


def _open_note(decision: str, consultation: Consultation) -> str:
    waiting = next((o for o in consultation.open_decisions if o.decision == decision), None)
    if waiting is None:
        return "no rule recommends anything for it with these facts"
    return f"still open: waiting on {', '.join(waiting.settled_by)}"


class _WhyNot:
    """Why a rule did not fire, or why a choice was not the one recommended."""

    def __init__(self, consultation: Consultation, knowledge: KnowledgeBase) -> None:
        self.consultation = consultation
        self.knowledge = knowledge
        self.known = consultation.values

    def rule(self, rule_id: str) -> str:
        rule = self.knowledge.rule(rule_id)
        if rule is None:
            return f"{rule_id} is not in the rule base"
        from advisor.explain.whynot import condition_failure  # only for a failed expectation

        failure = condition_failure(self.consultation, self.knowledge, rule)
        if failure is None:
            return f"{rule_id} did not fire"
        leaf = failure.first_leaf
        if leaf.subject not in self.known:
            return f"{rule_id} needs {describe_leaf(leaf)}, but {leaf.subject} is unknown"
        return (f"{rule_id} needs {describe_leaf(leaf)}, but {leaf.subject} is "
                f"{value_text(self.known[leaf.subject])}")

    def choice(self, decision: str, choice: str) -> str:
        for r in self.consultation.recommendations:
            for alternative in r.alternatives:
                if r.decision == decision and alternative.choice == choice:
                    return f"proposed by {', '.join(alternative.rules)}, but {alternative.reason}"
        producers = [rule for rule in self.knowledge.producers(decision) if rule.conclusion.value == choice]
        if not producers:
            return "no rule recommends it"
        return "; ".join(self.rule(rule.id) for rule in producers)


