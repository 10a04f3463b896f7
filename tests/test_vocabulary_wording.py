"""The vocabulary's wording: option labels capitalised by one rule, help that says how to decide."""

from __future__ import annotations

# Names whose owners write them in lower case, kept as written.
LOWER_CASE_NAMES = frozenset({"scikit-learn"})


def label_problem(value: str, label: str) -> str | None:
    """The capitalisation rule for option labels (fact values and decision choices).

    A label starts with a capital letter, unless it is exactly the value's own Azure ML YAML
    or code literal, written as in a file, alone or followed by an explanation in brackets
    (`uri_file`, `choice (a list of discrete values)`, `https:// (...)`), or it is a name
    its owners write in lower case (scikit-learn).
    """
    first, _, rest = label.partition(" ")
    literal = first in (value, value + "://") and (not rest or (rest.startswith("(") and rest.endswith(")")))
    if label[:1].isupper() or literal or label in LOWER_CASE_NAMES:
        return None
    return f"{value}: {label!r} starts in lower case but is not the literal {value!r}"


def all_labels(vocabulary):
    for fact in vocabulary.facts:
        for value, label in fact.values.items():
            yield f"fact {fact.name}", value, label
    for decision in vocabulary.decisions:
        for value, label in decision.choices.items():
            yield f"decision {decision.name}", value, label


def test_every_label_follows_the_capitalisation_rule(knowledge):
    problems = [f"{owner} {problem}" for owner, value, label in all_labels(knowledge.vocabulary)
                if (problem := label_problem(value, label)) is not None]
    assert problems == []


def test_the_rule_catches_what_it_should():
    assert label_problem("none", "no policy") is not None
    assert label_problem("slack_amount", "neither") is not None
    assert label_problem("both", "both slack_factor and slack_amount") is not None
    assert label_problem("median_stopping", "median stopping") is not None  # not the literal
    assert label_problem("median_stopping", "median_stopping") is None
    assert label_problem("choice", "choice (a list of discrete values)") is None
    assert label_problem("https", "https:// (Blob Storage or a public location)") is None
    assert label_problem("blob", "Azure Blob Storage") is None


def test_help_is_one_line_of_text(knowledge):
    for fact in knowledge.vocabulary.facts:
        assert fact.help == " ".join(fact.help.split()), fact.name


def test_relative_facts_say_how_to_decide(knowledge):
    """Facts whose answer is a judgement tell how to judge it, in the guide's terms."""
    vocabulary = knowledge.vocabulary
    size = vocabulary.fact("dataset_size").help
    assert "one machine" in size and "no size in gigabytes" in size and "memory optimized" in size
    assert "no time limit" in vocabulary.fact("training_too_slow").help
    assert "records one request or scoring run" in vocabulary.fact("prediction_volume").help
    assert "no threshold" in vocabulary.fact("class_balance").help
    assert "factor of 10" in vocabulary.fact("target_range").help
    assert "Answer Yes when compute spending" in vocabulary.fact("compute_cost_concern").help
