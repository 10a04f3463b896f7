"""The validated-knowledge cache: used when fresh, rebuilt when rules change or it is damaged."""

from __future__ import annotations

import pytest
from conftest import ONE_AREA, RuleBase

from advisor.knowledge.base import load_from
from advisor.knowledge.cache import decode, dumps, load_cached
from advisor.knowledge.rules import RuleExamples


def _copy_rules(tmp_path):
    """A copy of the guide, the vocabulary and one area: the cache's behaviour is the same for
    any rule base (the whole one is checked object for object below)."""
    return RuleBase(tmp_path / "rules", also=ONE_AREA).path


def test_cache_is_written_then_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(tmp_path / "cache"))
    directory = _copy_rules(tmp_path)
    first = load_cached(directory)
    [cached] = (tmp_path / "cache").glob("knowledge-*.json")
    again = load_cached(directory)
    assert again == first == load_from(directory)
    assert list((tmp_path / "cache").glob("knowledge-*.json")) == [cached]


def test_editing_a_rule_file_rebuilds_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(tmp_path / "cache"))
    directory = _copy_rules(tmp_path)
    before = load_cached(directory)
    sweep = directory / "sweep.yaml"
    sweep.write_text(sweep.read_text(encoding="utf-8").replace(
        "title: Reproducible sweeps use Sobol sampling", "title: Seeded sweeps use Sobol"), encoding="utf-8")
    after = load_cached(directory)
    assert before.rule("sweep.sobol-for-reproducibility").title != after.rule("sweep.sobol-for-reproducibility").title
    assert after.rule("sweep.sobol-for-reproducibility").title == "Seeded sweeps use Sobol"
    assert len(list((tmp_path / "cache").glob("knowledge-*.json"))) == 1  # the stale one is gone


def test_a_damaged_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(tmp_path / "cache"))
    directory = _copy_rules(tmp_path)
    load_cached(directory)
    [cached] = (tmp_path / "cache").glob("knowledge-*.json")
    cached.write_bytes(b"{\"$\": \"Leaf\", \"v\": [1]}")
    assert load_cached(directory) == load_from(directory)


def test_an_unwritable_cache_dir_still_works(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(blocker / "cache"))
    directory = _copy_rules(tmp_path)
    assert load_cached(directory) == load_from(directory)


def _with_payload(data) -> str:
    import json

    from advisor.knowledge.cache import digest_of

    payload = json.dumps(data, separators=(",", ":"))
    return digest_of(payload.encode()) + "\n" + payload


@pytest.fixture(scope="module")
def stored_text(knowledge) -> str:
    """The shipped knowledge as the cache stores it (read-only: ~0.3 s to write, shared)."""
    return dumps(knowledge)


@pytest.mark.parametrize("damage", ["title-as-number", "conclusion-as-condition", "name-as-number",
                                    "ranked-by-as-number", "strength-as-bool"])
def test_a_field_of_the_wrong_type_is_refused_when_read(knowledge, stored_text, damage):
    """Each kind of check decode makes (a plain class, a union of classes, an optional tuple,
    a float) refuses a value of another type, even under a correct digest (issue 27)."""
    import json

    data = json.loads(stored_text.split("\n", 1)[1])
    assert decode(_with_payload(data)) == knowledge  # undamaged, it reads back the same
    rule = data["v"][2]["t"][0]["v"]  # KnowledgeBase(guide, vocabulary, rules, ...): the first rule
    if damage == "title-as-number":
        rule[1] = 7
    elif damage == "conclusion-as-condition":
        rule[5] = rule[4]
    elif damage == "name-as-number":
        rule[5]["v"][1] = 3  # Conclusion.name: str | None
    elif damage == "ranked-by-as-number":
        rule[14] = 5  # tuple[str, ...] | None
    else:
        rule[9] = True  # strength: a float, never a bool
    with pytest.raises(ValueError, match="wrong type"):
        decode(_with_payload(data))


def _same_objects(read, built, where="knowledge"):
    """The same classes holding the same attributes all the way down, fields with
    compare=False and what __post_init__ derives included; a rule's examples as they read
    (the cache decodes them when first read)."""
    if isinstance(read, RuleExamples) and type(read) is not RuleExamples:
        read = read.held()
    assert type(read) is type(built), where
    if isinstance(built, tuple | list):
        assert len(read) == len(built), where
        for index, (a, b) in enumerate(zip(read, built, strict=True)):
            _same_objects(a, b, f"{where}[{index}]")
    elif isinstance(built, dict):
        assert list(read) == list(built), where
        for key in built:
            _same_objects(read[key], built[key], f"{where}[{key!r}]")
    elif hasattr(built, "__dict__"):
        assert sorted(vars(read)) == sorted(vars(built)), where
        for key, value in vars(built).items():
            if not key.startswith("_content_digest"):
                _same_objects(vars(read)[key], value, f"{where}.{key}")
    else:
        assert read == built, where


def test_a_cached_knowledge_base_is_the_built_one_object_for_object(knowledge):
    """decode makes each object without calling its class (a Python call per field is a
    noticeable part of a cold start); what it makes must be what the constructor makes."""
    from advisor.knowledge.base import load_from
    from advisor.paths import rules_dir

    built = load_from(rules_dir())
    _same_objects(decode(dumps(built)), built)


def test_a_rules_examples_are_decoded_when_first_read_and_read_as_the_built_ones(knowledge, stored_text):
    import copy
    import pickle

    read = decode(stored_text)
    rule = next(r for r in knowledge.rules if r.examples.fires)
    stored = read.require_rule(rule.id).examples
    assert "_held" not in vars(stored)  # a consultation never pays for them
    assert stored.fires == rule.examples.fires and stored.file == rule.examples.file
    assert "_held" in vars(stored)
    assert stored == rule.examples and rule.examples == stored and hash(stored) == hash(rule.examples)
    assert repr(stored) == repr(rule.examples) and bool(stored)
    for copied in (pickle.loads(pickle.dumps(stored)), copy.deepcopy(stored)):
        assert type(copied) is RuleExamples and copied == rule.examples
    assert dumps(read) == stored_text  # stored again as the same text


def _damage_examples(text: str, rule_id: str) -> str:
    """The cache text with one rule's examples damaged under a correct digest."""
    import json

    data = json.loads(text.split("\n", 1)[1])
    rules = data["v"][2]["t"]
    [rule] = [r for r in rules if r["v"][0] == rule_id]
    examples = json.loads(rule["v"][13]["x"])
    examples["v"][2] = 7  # file: str | None
    rule["v"][13]["x"] = json.dumps(examples)
    return _with_payload(data)


def test_damaged_examples_are_never_used(tmp_path, monkeypatch, knowledge, stored_text):
    """Text that does not decode to a rule's examples: decode alone refuses it when read; a
    cache load builds that rule's examples again from the rule files and rewrites the cache."""
    rule = next(r for r in knowledge.rules if r.examples.fires)
    damaged = decode(_damage_examples(stored_text, rule.id))
    with pytest.raises(ValueError, match="damaged"):
        damaged.require_rule(rule.id).examples.fires  # noqa: B018

    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(tmp_path / "cache"))
    directory = _copy_rules(tmp_path)
    rule = next(r for r in load_cached(directory).rules if r.examples.fires)
    [cached] = (tmp_path / "cache").glob("knowledge-*.json")
    cached.write_text(_damage_examples(cached.read_text(encoding="utf-8"), rule.id), encoding="utf-8")
    loaded = load_cached(directory)
    assert loaded.require_rule(rule.id).examples == load_from(directory).require_rule(rule.id).examples
    assert decode(cached.read_bytes()).require_rule(rule.id).examples.file == rule.examples.file  # rewritten
