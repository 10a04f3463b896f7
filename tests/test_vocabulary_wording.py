"""The vocabulary's wording: option labels capitalised by one rule, help that says how to decide."""

from __future__ import annotations

import json

import pytest

from advisor.errors import KnowledgeError

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
        for given in fact.given:
            for value, label in given.labels.items():
                yield f"fact {fact.name} given {given.when}", value, label
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


# --- `given`: a question's help and labels follow earlier answers -----------------

def test_given_help_shows_only_when_its_condition_holds(knowledge):
    storage = knowledge.vocabulary.fact("storage_service")
    assert storage.as_asked({}) is storage
    assert storage.as_asked({"data_source": "files"}) is storage
    assert storage.as_asked({"data_source": None}) is storage  # don't know decides nothing
    asked = storage.as_asked({"data_source": "relational_database", "dataset_size": "large"})
    assert len(asked.notes) == 2 and "Azure SQL Database" in asked.notes[0]
    assert asked.values == storage.values and asked.help == storage.help


def test_given_labels_annotate_values_and_never_hide_one(knowledge):
    location = knowledge.vocabulary.fact("data_location")
    asked = location.as_asked({"storage_service": "file_share"})
    assert list(asked.values) == list(location.values)
    assert asked.values["datastore"] != location.values["datastore"]
    assert "File Share" in asked.values["datastore"]
    assert asked.check("public_web") == "public_web"


def test_every_given_reads_other_facts_a_user_answers(knowledge):
    vocabulary = knowledge.vocabulary
    from advisor.knowledge.conditions import subjects

    givens = [(f, g) for f in vocabulary.facts for g in f.given]
    assert len(givens) >= 10
    for fact, given in givens:
        assert all(vocabulary.is_input(name) and name != fact.name for name in subjects(given.condition))
        assert given.help or given.labels


def _vocabulary_with(rule_base, old: str, new: str):
    base = rule_base()
    path = base.path / "vocabulary.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return base


GIVEN = "      - when: {data_source: relational_database}\n"


@pytest.mark.parametrize(("new", "message"), [
    ("      - when: {storage_service: blob}\n", "'storage_service' is not another fact a user answers"),
    ("      - when: {training_data_store: azure_sql}\n", "'training_data_store' is not another fact"),
    ("      - when: {distributed_data: true}\n", "'distributed_data' is not another fact"),
    ("      - when: {data_source: lake}\n", "unknown value 'lake'"),
    ("      - when: {data_sauce: files}\n", "unknown fact or decision 'data_sauce'"),
    ("      - when: {data_source: relational_database}\n        labels: {sql: Azure SQL}\n",
     "'sql' is not a value of storage_service"),
    ("      - when: {data_source: relational_database}\n        only: [blob]\n", "only"),
])
def test_a_bad_given_is_one_clear_error(rule_base, new, message):
    base = _vocabulary_with(rule_base, GIVEN, new)
    with pytest.raises(KnowledgeError) as error:
        base.load()
    assert message in str(error.value) and "vocabulary.yaml" in str(error.value)


def test_a_given_that_says_nothing_is_refused(rule_base):
    base = _vocabulary_with(rule_base, "  - name: ml_task\n",
                            "  - name: ml_task\n    given: [{when: {data_format: tabular}}]\n")
    with pytest.raises(KnowledgeError, match="needs help, labels or both"):
        base.load()


def test_given_survives_the_knowledge_cache(tmp_path, monkeypatch):
    from conftest import RuleBase

    from advisor.knowledge import cache
    from advisor.knowledge.base import load_from
    from advisor.knowledge.cache import load_cached

    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(tmp_path / "cache"))
    directory = RuleBase(tmp_path / "rules").path
    built = load_cached(directory)
    assert list((tmp_path / "cache").glob("knowledge-*.json"))

    def no_rebuild(texts):  # load_cached rebuilds quietly when decoding fails: that must not happen
        raise AssertionError("the cache was not read back; the rule base was built again")

    monkeypatch.setattr(cache, "build_knowledge", no_rebuild)
    cached = load_cached(directory)  # read back from the JSON cache
    assert cached.vocabulary == built.vocabulary == load_from(directory).vocabulary
    storage = cached.vocabulary.fact("storage_service")
    assert storage.given and storage.as_asked({"data_source": "relational_database"}).notes


def test_vocabulary_json_and_schema_list_given(cli):
    proc = cli("vocabulary", "--format", "json")
    facts = {f["name"]: f for f in json.loads(proc.stdout)["facts"]}
    [first, *_] = facts["storage_service"]["given"]
    assert first["when"] == "data_source is relational_database" and "Azure SQL Database" in first["help"]
    assert facts["ml_task"]["given"] == []
    schema = cli("schema").stdout
    assert "When data_source is relational_database: The training data comes from a relational database" in schema


def _answers(vocabulary):
    """Random answers to the input facts: values of their type, or don't know."""
    from hypothesis import strategies as st

    def value(fact):
        if fact.type == "bool":
            return st.booleans()
        if fact.type == "number":
            return st.integers(min_value=int(fact.min or 0), max_value=int(fact.max or 1000))
        if fact.type == "choice":
            return st.sampled_from(list(fact.values))
        return st.lists(st.sampled_from(list(fact.values)), unique=True).map(fact.check)

    read = _read_by_given(vocabulary)  # only these facts can change how a question reads
    facts = [f for f in vocabulary.input_facts if f.name in read]
    return st.fixed_dictionaries({}, optional={f.name: st.one_of(st.none(), value(f)) for f in facts})


def _read_by_given(vocabulary):
    from advisor.knowledge.conditions import subjects

    return {name for fact in vocabulary.facts for given in fact.given for name in subjects(given.condition)}


def test_whatever_the_answers_a_question_keeps_every_value_and_its_help(knowledge):
    from hypothesis import given, settings

    vocabulary = knowledge.vocabulary

    @settings(max_examples=60, deadline=None)
    @given(_answers(vocabulary))
    def check(answers):
        for fact in vocabulary.input_facts:
            asked = fact.as_asked(answers)
            assert list(asked.values) == list(fact.values)  # annotated, never hidden
            assert asked.help == fact.help and asked.question == fact.question
            assert len(asked.notes) <= len(fact.given)

    check()
