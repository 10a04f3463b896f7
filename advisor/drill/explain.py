"""Why each option of a question is right or wrong, in plain words: the vocabulary's questions
and labels, the rules' titles and rationale, never fact or rule ids."""

from __future__ import annotations

from typing import Any

from advisor.drill.wording import subject_words, value_words
from advisor.explain.whynot import condition_failure
from advisor.knowledge import KnowledgeBase
from advisor.knowledge.conditions import All, AnyOf, Condition, FactRef, Leaf, evaluate

COMPARISONS = {"gt": "more than", "ge": "at least", "lt": "less than", "le": "at most", "eq": "exactly",
               "ne": "anything but"}


def option_notes(question, knowledge: KnowledgeBase, extra: dict[str, Any],
                 wording: dict[str, Any] | None = None) -> tuple[str, ...]:
    """One note per option, in the options' order, stating facts as the scenario did (`wording`)."""
    notes = []
    for option in question.options:
        if option in question.answer_keys:
            notes.append(why_right(question, knowledge, wording))
        elif option in extra:
            notes.append(distractor_note(extra[option], question.source))
        else:
            notes.append(why_wrong(question, option, knowledge, wording))
    return tuple(notes)


def distractor_note(distractor, question_source: str) -> str:
    """A declared distractor's reason, with its own source where the question's does not state it."""
    if distractor.source and distractor.source != question_source:
        return f"{distractor.why} (Source: {distractor.source})"
    return distractor.why


def why_right(question, knowledge: KnowledgeBase, wording: dict[str, Any] | None = None) -> str:
    consultation = question.consultation
    vocabulary = knowledge.vocabulary
    recommended = [c for c in question.answer_keys if c in question.recommended] or sorted(question.recommended)
    reasons: list[str] = []
    given: list[str] = []
    for choice in recommended:
        for node in consultation.derivation(question.decision, choice):
            because = " ".join(knowledge.rule(node.rule_id).because.split())
            if because not in reasons:
                reasons.append(because)
            for evidence in node.facts:
                if evidence.from_user:
                    said = f"{subject_words(evidence.name, vocabulary, wording)} " \
                           f"{value_words(evidence.name, evidence.value, vocabulary, wording)}"
                    if said not in given:
                        given.append(said)
    text = " ".join(reasons) or "This is what the guide recommends here."
    if given:
        text += " Here: " + "; ".join(given) + "."
    return text


def why_wrong(question, option: str, knowledge: KnowledgeBase, wording: dict[str, Any] | None = None) -> str:
    """Why one of the decision's own choices is not the answer here."""
    consultation = question.consultation
    vocabulary = knowledge.vocabulary
    label = question.label(option) if question.labels else value_words(question.decision, option, vocabulary)
    rec = consultation.recommendation(question.decision)
    for alternative in (rec.alternatives if rec else ()):
        if alternative.choice == option and rec is not None:
            winners = "; ".join(knowledge.rule(r).title for r in rec.rules)
            return f"{label} was also a candidate, but a guideline that ranks higher applies: {winners}."
    known = consultation.values

    def lookup(name: str) -> Any:
        return known[name]

    rules = [r for r in knowledge.producers(question.decision) if r.conclusion.value == option]
    # A test the scenario's facts fail says why; an unstated fact says less (the rule may
    # fail on a stated one: "try every combination" is unknown, but grid needs only choice()).
    for leaf in (false_leaf(r.condition, lookup) for r in rules):
        if leaf is not None:
            return f"{label} fits when {plain_leaf(leaf, knowledge, wording)}; " \
                   f"here: {value_words(leaf.subject, known[leaf.subject], vocabulary, wording)}."
    for rule in rules:
        failure = condition_failure(consultation, knowledge, rule)
        if failure is None or failure.leaf is None and not failure.branches:
            continue
        leaf = failure.first_leaf
        needs = plain_leaf(leaf, knowledge, wording)
        if leaf.subject in known:
            actual = f"here: {value_words(leaf.subject, known[leaf.subject], vocabulary, wording)}"
        else:
            actual = "the scenario does not say so"
        return f"{label} fits when {needs}; {actual}."
    return f"Nothing in this scenario calls for {label}."


def false_leaf(condition: Condition, lookup) -> Leaf | None:
    """A test that the known facts make false and that makes the whole condition false."""
    if evaluate(condition, lookup) is not False:
        return None
    if isinstance(condition, Leaf):
        return condition
    parts = condition.parts
    if isinstance(condition, All):
        return next((found for p in parts if (found := false_leaf(p, lookup)) is not None), None)
    assert isinstance(condition, AnyOf)
    return false_leaf(parts[0], lookup)  # every branch is false: the first one says why


def plain_leaf(leaf: Leaf, knowledge: KnowledgeBase, wording: dict[str, Any] | None = None) -> str:
    """One test of a rule in the vocabulary's words: "<question> is <label>"."""
    vocabulary = knowledge.vocabulary
    subject = subject_words(leaf.subject, vocabulary, wording).rstrip("?")
    x = leaf.operand
    if isinstance(x, FactRef):
        return f"the answer to \"{subject}\" is {COMPARISONS.get(leaf.op, leaf.op)} " \
               f"{x.times:g} × the answer to \"{subject_words(x.name, vocabulary, wording).rstrip('?')}\""

    spec = vocabulary.fact(leaf.subject)
    listed = spec is not None and spec.type == "list"

    def words(values: Any) -> str:
        # A list fact's value is a tuple of items: one item is described as a tuple of one.
        items = [value_words(leaf.subject, (v,) if listed else v, vocabulary, wording)
                 for v in (values if isinstance(values, tuple | list) else (values,))]
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]

    if leaf.op == "eq":
        if isinstance(x, bool) or isinstance(x, str):
            return f"the answer to \"{subject}\" is {words(x)}"
        return f"the answer to \"{subject}\" is {x:g}"
    if leaf.op in ("ne", "not_in"):
        if isinstance(x, (int, float)) and not isinstance(x, bool):
            return f"the answer to \"{subject}\" is not {x:g}"
        return f"the answer to \"{subject}\" is not {words(x)}"
    if leaf.op == "in":
        return f"the answer to \"{subject}\" is {words(x)}"
    if leaf.op in COMPARISONS:
        return f"the answer to \"{subject}\" is {COMPARISONS[leaf.op]} {x:g}"
    verbs = {"contains_any": "includes", "contains_none": "includes none of",
             "contains_only": "includes only", "contains_other_than": "includes something other than"}
    return f"the answer to \"{subject}\" {verbs.get(leaf.op, leaf.op)} {words(x)}"
