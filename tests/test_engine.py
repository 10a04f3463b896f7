"""The engine on rule bases written for these tests, so retuning a shipped rule breaks none of
them: chaining, overrides, contests, certainty, three-valued conditions, open decisions,
the salience packing, the matcher, and a 1,000-rule synthetic base checked against the
condition language's own semantics."""

from __future__ import annotations

import random
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pytest
from conftest import DEEP, ROOT, collect_all_garbage

from advisor.engine.advisor import Advisor
from advisor.engine.agenda import ORDER_LIMIT, PRIORITY_MAX, salience
from advisor.engine.compiler import build_engine_class
from advisor.engine.memory import new_datum
from advisor.engine.results import USER
from advisor.engine.settling import Settling
from advisor.knowledge.base import SPECIAL_FILES, build_knowledge, read_sources
from advisor.knowledge.conditions import evaluate, leaves
from advisor.paths import rules_dir

SOURCE = ("https://learn.microsoft.com/en-gb/training/modules/"
          "design-machine-learning-model-training-solution/4-decide-between-compute-options")

# Each rule: id, when, then, extra keys. Priorities and strengths are the tests' own.
RULES = [
    ("eng.unstructured-is-deep-learning", "{data_format: unstructured}", "{conclude: {workload: deep_learning}}",
     "strength: 0.9"),
    ("eng.tabular-is-classical", "{data_format: tabular}", "{conclude: {workload: classical_ml}}", "strength: 0.8"),
    ("eng.gpu-for-deep-learning", "{workload: deep_learning}", "{recommend: {processor: gpu}}", "strength: 0.5"),
    ("eng.cpu-for-classical", "{workload: classical_ml}", "{recommend: {processor: cpu}}", "strength: 0.9"),
    ("eng.gpu-when-slow", "{training_too_slow: true}", "{recommend: {processor: gpu}}",
     "priority: 5\n  strength: 0.6"),
    ("eng.general-purpose-on-cpu", "{processor: cpu, dataset_size: small}",
     "{recommend: {vm_family: general_purpose}}", "strength: 1.0"),
    ("eng.memory-optimized-on-cpu", "{processor: cpu, dataset_size: large}",
     "{recommend: {vm_family: memory_optimized}}", "strength: 1.0"),
    ("eng.cluster-for-production", "{stage: production}", "{recommend: {training_compute: compute_cluster}}",
     "strength: 0.8"),
    ("eng.cluster-for-large-data", "{dataset_size: large}", "{recommend: {training_compute: compute_cluster}}",
     "strength: 0.5"),
    ("eng.serverless-for-notebook-production", "{stage: production, works_in_notebooks: true}",
     "{recommend: {training_compute: serverless}}", "strength: 0.7"),
    ("eng.low-priority-when-interruptible", "{training_compute: compute_cluster, tolerates_interruption: true}",
     "{recommend: {cluster_tier: low_priority}}", "strength: 0.8"),
    ("eng.dedicated-when-not", "{training_compute: compute_cluster, tolerates_interruption: false}",
     "{recommend: {cluster_tier: dedicated}}", "strength: 0.8"),
    ("eng.sobol-when-reproducible", "{reproducible_results: true}", "{recommend: {sampling: sobol}}", ""),
    ("eng.bayesian-when-learning", "{learn_from_previous_trials: true}", "{recommend: {sampling: bayesian}}", ""),
    ("eng.bandit-after-random", "{sampling: random}", "{recommend: {early_termination: bandit}}", ""),
    ("eng.random-when-budget-or-fast",
     "{stage: experimentation, any: [{max_total_trials: {lt: 50}}, {training_too_slow: false}]}",
     "{recommend: {sampling: random}}", ""),
    ("eng.bayesian-disagreement", "{sampling: bayesian}",
     "{warn: {message: The sources disagree on early termination with Bayesian sampling., kind: sources_disagree}}",
     ""),
    ("eng.error-analysis", "{model_questions: {contains: which_subgroups_err}}",
     "{recommend: {responsible_ai_components: error_analysis}}", ""),
    ("eng.causal-analysis", "{model_questions: {contains: effect_of_intervention}}",
     "{recommend: {responsible_ai_components: causal_analysis}}", ""),
    ("eng.reader-without-full-access", "{not: {access_needs: {contains: full_access}}}",
     "{recommend: {rbac_role: reader}}", ""),
    ("eng.trial-budget", "{max_total_trials: {lt: {fact: tuned_hyperparameter_count, times: 20}}}",
     "{warn: Too few trials for the tuned hyperparameters.}", ""),
]


def _rule_file(rules: list[tuple[str, str, str, str]], title: str = "Engine test rules") -> str:
    body = "".join(textwrap.dedent(f"""\
        - id: {rule_id}
          title: {rule_id}
          section: design
          when: {when}
          then: {then}
          because: A rule written for the engine tests.
          source: {SOURCE}
        """) + (f"  {extra}\n" if extra else "") for rule_id, when, then, extra in rules)
    return f"title: {title}\nrules:\n" + textwrap.indent(body, "  ")


def knowledge_of(rules: list[tuple[str, str, str, str]]) -> Any:
    """A knowledge base of the shipped guide and vocabulary and the given rules (file eng.yaml)."""
    texts = {name: text for name, text in read_sources(rules_dir()).items() if name in SPECIAL_FILES}
    texts["eng.yaml"] = _rule_file(rules)
    return build_knowledge(texts)


@pytest.fixture(scope="module")
def engine() -> Advisor:
    return Advisor(knowledge_of(RULES))


# --- chaining and the trace ------------------------------------------------------

def test_a_derived_fact_chains_to_a_recommendation_with_its_derivation(engine):
    result = engine.consult({"data_format": "unstructured"})
    assert result.chosen("processor") == ("gpu",)
    assert result.derived["workload"].value == "deep_learning"
    assert result.derived["workload"].origin == "eng.unstructured-is-deep-learning"
    [tree] = result.derivation("processor", "gpu")
    assert tree.rule_id == "eng.gpu-for-deep-learning"
    [child] = tree.children
    assert child.rule_id == "eng.unstructured-is-deep-learning"
    assert [(e.name, e.value, e.origin) for e in child.facts] == [("data_format", "unstructured", "user")]


def test_a_chain_through_a_decision_reaches_the_users_facts(engine):
    result = engine.consult({"stage": "production", "tolerates_interruption": True})
    [tree] = result.derivation("cluster_tier", "low_priority")
    assert [c.rule_id for c in tree.children] == ["eng.cluster-for-production"]
    assert {(e.name, e.origin) for e in tree.facts} == {
        ("training_compute", "eng.cluster-for-production"), ("tolerates_interruption", USER)}


# --- conflicts -------------------------------------------------------------------

def test_higher_priority_overrules_and_both_are_kept(engine):
    result = engine.consult({"data_format": "tabular", "training_too_slow": True})
    rec = result.recommendation("processor")
    assert (rec.choice, rec.rules) == ("gpu", ("eng.gpu-when-slow",))
    [alternative] = rec.alternatives
    assert (alternative.choice, alternative.rules) == ("cpu", ("eng.cpu-for-classical",))
    assert "higher priority (5 over 0)" in alternative.reason
    assert [f.status for f in result.fired if f.rule_id == "eng.cpu-for-classical"] == ["overruled"]


def test_an_override_is_settled_before_anything_reads_it(engine):
    """cpu is concluded first and then overruled: the rule reading processor = cpu never fires."""
    result = engine.consult({"data_format": "tabular", "dataset_size": "small", "training_too_slow": True})
    assert result.chosen("processor") == ("gpu",)
    assert result.chosen("vm_family") == ()
    assert "eng.general-purpose-on-cpu" not in result.fired_ids()


def test_more_specific_rule_wins_at_equal_priority_and_readers_see_the_winner(engine):
    result = engine.consult({"stage": "production", "works_in_notebooks": True, "tolerates_interruption": True})
    rec = result.recommendation("training_compute")
    assert rec.choice == "serverless"
    assert "more specific (2 conditions over 1)" in rec.alternatives[0].reason
    assert result.chosen("cluster_tier") == ()


def test_equal_rank_disagreement_is_contested_not_overwritten(engine):
    result = engine.consult({"reproducible_results": True, "learn_from_previous_trials": True})
    rec = result.recommendation("sampling")
    assert rec.contested
    assert {rec.choice, rec.alternatives[0].choice} == {"sobol", "bayesian"}
    [warning] = [w for w in result.warnings if w.kind == "contested"]
    assert "same priority and specificity" in warning.message
    statuses = {f.rule_id: f.status for f in result.fired}
    assert sorted(statuses[r] for r in ("eng.sobol-when-reproducible", "eng.bayesian-when-learning")) == \
        ["applied", "contested"]


def test_multiple_choice_decisions_keep_every_choice(engine):
    result = engine.consult({"model_questions": ["which_subgroups_err", "effect_of_intervention"]})
    assert result.chosen("responsible_ai_components") == ("error_analysis", "causal_analysis")
    assert all(not r.alternatives for r in result.recommendations)


def test_a_warning_keeps_its_kind_and_is_not_a_choice(engine):
    result = engine.consult({"learn_from_previous_trials": True})
    assert result.chosen("sampling") == ("bayesian",)
    [warning] = [w for w in result.warnings if w.rule_id == "eng.bayesian-disagreement"]
    assert warning.kind == "sources_disagree"
    assert [f.status for f in result.fired if f.rule_id == "eng.bayesian-disagreement"] == ["warning"]


# --- three-valued conditions ---------------------------------------------------------

def test_unknown_facts_never_fire_a_negated_condition(engine):
    assert engine.consult({}).recommendations == []
    assert engine.consult({"access_needs": ["view_only"]}).chosen("rbac_role") == ("reader",)
    assert engine.consult({"access_needs": ["view_only", "full_access"]}).chosen("rbac_role") == ()


def test_fact_to_fact_comparison(engine):
    low = engine.consult({"tuned_hyperparameter_count": 3, "max_total_trials": 40})
    high = engine.consult({"tuned_hyperparameter_count": 3, "max_total_trials": 60})
    assert "eng.trial-budget" in low.fired_ids()
    assert "eng.trial-budget" not in high.fired_ids()


def test_an_any_condition_fires_once_through_whichever_branch_holds(engine):
    result = engine.consult({"stage": "experimentation", "max_total_trials": 10, "training_too_slow": False})
    assert [f.rule_id for f in result.fired].count("eng.random-when-budget-or-fast") == 1
    assert result.chosen("early_termination") == ("bandit",)


# --- certainty -------------------------------------------------------------------------

def test_certainty_is_strength_times_the_weakest_premise(engine):
    result = engine.consult({"data_format": "unstructured"})
    assert result.recommendation("processor").certainty == pytest.approx(0.9 * 0.5)


def test_certainty_combines_supporting_rules(engine):
    result = engine.consult({"stage": "production", "dataset_size": "large"})
    rec = result.recommendation("training_compute")
    assert set(rec.rules) == {"eng.cluster-for-production", "eng.cluster-for-large-data"}
    assert rec.certainty == pytest.approx(0.8 + 0.5 * (1 - 0.8))


def test_certainty_rounds_the_product_not_the_strength_first():
    """A strength of many places times an uncertain premise is rounded once: 0.87654321 x 0.9
    is 0.7889 (rounding the strength to 0.8765 first would give 0.7888)."""
    knowledge = knowledge_of([
        ("eng.unstructured-is-deep-learning", "{data_format: unstructured}",
         "{conclude: {workload: deep_learning}}", "strength: 0.9"),
        ("eng.gpu-for-deep-learning", "{workload: deep_learning}", "{recommend: {processor: gpu}}",
         "strength: 0.87654321"),
        ("eng.cpu-when-production", "{stage: production}", "{recommend: {processor: cpu}}",
         "strength: 0.87654321")])
    result = Advisor(knowledge).consult({"data_format": "unstructured"})
    assert result.recommendation("processor").certainty == round(0.87654321 * 0.9, 4) == 0.7889
    # On certain premises the strength is rounded as the product with 1.0 would be.
    certain = Advisor(knowledge).consult({"stage": "production"})
    assert certain.recommendation("processor").certainty == 0.8765


# --- open decisions ----------------------------------------------------------------------

def test_open_decisions_name_the_facts_that_would_settle_them(engine):
    result = engine.consult({"stage": "production"})
    open_ = {o.decision: o.settled_by for o in result.open_decisions}
    assert open_["cluster_tier"] == ("tolerates_interruption",)
    # vm_family needs processor = cpu, which only classical work reaches; in vocabulary order.
    assert open_["vm_family"] == ("data_format", "dataset_size")
    assert "training_compute" not in open_  # decided
    assert "early_termination" not in open_  # random sampling needs stage = experimentation


def test_an_any_branch_already_true_needs_nothing_more(engine):
    result = engine.consult({"stage": "experimentation", "max_total_trials": 10})
    open_ = {o.decision: o.settled_by for o in result.open_decisions}
    assert "sampling" not in open_ and result.chosen("sampling") == ("random",)
    result = engine.consult({"stage": "experimentation", "max_total_trials": 90})
    open_ = {o.decision: o.settled_by for o in result.open_decisions}
    assert open_["early_termination"] == ("training_too_slow",)


def test_an_answer_of_dont_know_closes_what_only_it_could_settle(engine):
    knowledge = engine.knowledge
    values = {"stage": "production", "training_compute": "compute_cluster"}
    assert Settling(knowledge, values).decision_needs("cluster_tier") == {"tolerates_interruption"}
    assert Settling(knowledge, values, unknowable={"tolerates_interruption"}).decision_needs("cluster_tier") is None


def test_why_names_the_open_rules_a_question_serves(engine):
    knowledge = engine.knowledge
    found = Settling(knowledge, engine.consult({"stage": "production"}).values)
    roots = [knowledge.rule("eng.low-priority-when-interruptible"), knowledge.rule("eng.general-purpose-on-cpu")]
    waiting = found.waiting(roots)
    assert waiting["tolerates_interruption"] == {"eng.low-priority-when-interruptible": frozenset()}
    # data_format is asked for the classical-work rule, which serves the vm_family rule.
    assert waiting["data_format"] == {"eng.tabular-is-classical": frozenset({"eng.general-purpose-on-cpu"})}
    assert waiting["dataset_size"] == {"eng.general-purpose-on-cpu": frozenset()}


def test_settling_visits_each_leaf_a_bounded_number_of_times(monkeypatch):
    """A lattice of chains (every level read by two rules of the next) has exponentially many
    paths; the memoised search works out each leaf's state once, so its work stays linear in
    the rules. (Without its memos the search visits 2,888 leaves here, for 22 rules.)"""
    levels = ["processor", "vm_family", "training_compute", "cluster_tier", "sampling", "early_termination"]
    choices = {"processor": ("cpu", "gpu"), "vm_family": ("general_purpose", "memory_optimized"),
               "training_compute": ("compute_cluster", "serverless"), "cluster_tier": ("dedicated", "low_priority"),
               "sampling": ("grid", "random"), "early_termination": ("bandit", "median_stopping")}
    rules = [("eng.base-a", "{stage: production}", "{recommend: {processor: cpu}}", ""),
             ("eng.base-b", "{works_in_notebooks: true}", "{recommend: {processor: gpu}}", "")]
    for depth, (below, above) in enumerate(zip(levels, levels[1:], strict=False)):
        for i, (need, give) in enumerate(zip(choices[below], choices[above], strict=False)):
            for j, other in enumerate(choices[below]):
                rules.append((f"eng.level{depth}-{i}{j}", f"{{{below}: {{in: [{need}, {other}]}}}}",
                              f"{{recommend: {{{above}: {give}}}}}", ""))
    knowledge = knowledge_of(rules)
    calls = 0
    real = Settling._leaf_state

    def counting(self: Settling, leaf: Any) -> Any:
        nonlocal calls
        calls += 1
        return real(self, leaf)

    monkeypatch.setattr(Settling, "_leaf_state", counting)
    open_ = Settling(knowledge, {}).open_decisions(())
    assert {o.decision: o.settled_by for o in open_}["early_termination"] == ("stage", "works_in_notebooks")
    assert calls <= sum(len(list(leaves(rule.condition))) for rule in knowledge.rules)


# --- reuse, agenda, matcher ------------------------------------------------------------------

def test_one_engine_reused_gives_identical_results(engine):
    facts = {"data_format": "tabular", "dataset_size": "large", "training_too_slow": True, "stage": "production"}
    first = engine.consult(facts)
    engine.consult({"stage": "experimentation", "max_total_trials": 1})
    again = engine.consult(facts)
    assert [(r.decision, r.choice, r.rules, r.certainty) for r in first.recommendations] == \
           [(r.decision, r.choice, r.rules, r.certainty) for r in again.recommendations]
    assert [(f.rule_id, f.status) for f in first.fired] == [(f.rule_id, f.status) for f in again.fired]


def test_salience_orders_stratum_then_priority_then_specificity_then_position(engine):
    specific = engine.knowledge.rule("eng.serverless-for-notebook-production")  # 2 tests, later in the file
    general = engine.knowledge.rule("eng.cluster-for-production")               # 1 test, earlier
    assert (specific.stratum, specific.priority, general.stratum, general.priority) == (0, 0, 0, 0)
    assert salience(specific) > salience(general)
    assert salience(replace(general, priority=1)) > salience(specific)
    assert salience(general) > salience(replace(specific, stratum=1, priority=PRIORITY_MAX))
    assert salience(general) > salience(replace(general, order=general.order + 1))


def test_salience_packing_refuses_values_outside_its_ranges(engine):
    rule = engine.knowledge.rule("eng.cluster-for-production")
    with pytest.raises(AssertionError, match="position"):
        salience(replace(rule, order=ORDER_LIMIT))
    with pytest.raises(AssertionError, match="priority"):
        salience(replace(rule, priority=PRIORITY_MAX + 1))


# --- scale: synthetic rule bases ----------------------------------------------------------------

@pytest.fixture(scope="module")
def synthetic():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import generate
        import synthetic as module
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return module, generate


def _fired_in_order(knowledge: Any, facts: dict[str, Any], linear: bool) -> list[str]:
    fired: list[str] = []
    declared: set[str] = set()

    def record(engine: Any, rule: Any, _matched: Sequence[Any]) -> None:
        fired.append(rule.id)
        name = rule.conclusion.name
        if name is not None and name not in declared:
            declared.add(name)
            engine.declare(new_datum(name, rule.conclusion.value, rule.id))

    engine = build_engine_class(knowledge.rules, record, linear=linear)()
    engine.reset()
    engine.declare(*(new_datum(n, v, USER) for n, v in facts.items()))
    engine.run()
    return fired


def test_the_linear_matcher_fires_what_experta_stock_matcher_fires(synthetic):
    module, generate = synthetic
    knowledge = module.synthetic_knowledge(150, seed=3)
    # experta's stock matcher takes ~0.2 CPU s a scenario: 2 random scenarios while developing, 5 in CI.
    for facts in generate.random_scenarios(knowledge, 5 if DEEP else 2, seed=4):
        assert _fired_in_order(knowledge, facts, linear=True) == _fired_in_order(knowledge, facts, linear=False)


def test_a_thousand_rule_base_agrees_with_the_conditions_three_valued_semantics(synthetic):
    """On a 1,000-rule synthetic base: a rule fired iff its condition is true on the final
    values (and the open-decisions search reads the same truth); every value standing was
    concluded by a fired rule of the highest rank; and every open decision is still unknown
    and names only unanswered input facts."""
    module, generate = synthetic
    knowledge = module.synthetic_knowledge(1000, seed=11)
    engine = Advisor(knowledge)
    rng = random.Random(12)
    scenarios = [{}] + [generate.random_facts(knowledge, rng, share) for share in (0.05, 0.2, 0.5, 0.5, 0.8)]
    inputs = knowledge.vocabulary.input_names
    for facts in scenarios:
        result = engine.consult(facts)
        values = result.values
        fired = result.fired_ids()
        settling = Settling(knowledge, values)
        for rule in knowledge.rules:
            truth = evaluate(rule.condition, values.__getitem__)
            assert (rule.id in fired) == (truth is True), rule.id
            assert settling.truth(rule) is truth, rule.id  # its own walk, without exceptions
        for name, value in values.items():
            if name in facts:
                continue
            producers = [r for r in knowledge.producers(name) if r.id in fired]
            standing = [r for r in producers if r.conclusion.value == value]
            assert standing, name
            if max(r.rank for r in standing) != max(r.rank for r in producers):
                # At the top priority a value also stands as an exception: one of its rules
                # refines a rule of every other value there (conflicts.settle).
                top = max(r.priority for r in producers)
                mine = [r.id for r in standing if r.priority == top]
                others: dict[Any, list[str]] = {}
                for r in producers:
                    if r.priority == top and r.conclusion.value != value:
                        others.setdefault(r.conclusion.value, []).append(r.id)
                assert mine and all(any(engine._refines(m, o) for m in mine for o in ids)
                                    for ids in others.values()), name
        decided = {r.decision for r in result.recommendations}
        for open_decision in result.open_decisions:
            assert open_decision.decision not in decided
            assert set(open_decision.settled_by) <= inputs - facts.keys()
        unsettled = {d.name for d in knowledge.vocabulary.decisions} - decided
        reported = {o.decision for o in result.open_decisions}
        # A design (no existing-setup fact given) withholds the existing-setup facts, as the
        # questionnaire does (issue 21): not reported open means no producer can still fire without them.
        existing = {f.name for f in knowledge.vocabulary.input_facts if f.existing_setup}
        withheld = () if existing & facts.keys() else existing
        for name in unsettled - reported:
            assert not Settling(knowledge, values, withheld).decision_needs(name)


def test_a_consultation_leaves_no_cycles_for_the_collector_it_pauses(synthetic, engine):
    """consult() pauses the cyclic garbage collector because nothing it makes is in a
    reference cycle: after consultations with overrides, retractions and contests (the
    module's rules) and a 150-rule synthetic base, a collection finds nothing to free. The
    collector's own state is restored, on or off."""
    import gc

    module, generate = synthetic
    synthetic_engine = Advisor(module.synthetic_knowledge(150, seed=5))
    runs = [(engine, facts) for facts in (
        {"data_format": "tabular", "dataset_size": "small", "training_too_slow": True},  # overruled
        {"stage": "production", "works_in_notebooks": True, "tolerates_interruption": True},  # retracted
        {"reproducible_results": True, "learn_from_previous_trials": True},  # contested
        {"model_questions": ("which_subgroups_err",)})]
    runs += [(synthetic_engine, facts) for facts in generate.random_scenarios(synthetic_engine.knowledge, 5, seed=6)]
    for advisor, facts in runs:  # once before: what earlier tests left to others' caches goes now
        advisor.consult(facts)
    collect_all_garbage()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for advisor, facts in runs:
            result = advisor.consult(facts)
            assert result.fired, facts
            assert not gc.isenabled()  # off before: still off after
            del result
        assert gc.collect() == 0
    finally:
        if was_enabled:
            gc.enable()
    engine.consult({"data_format": "tabular"})
    assert gc.isenabled() == was_enabled


def test_reading_the_knowledge_cache_and_building_the_engine_leave_no_cycles(knowledge):
    """The knowledge cache's decoding and get_advisor's engine build pause the collector (a
    cold start's passes over their ~40,000 young objects): a collection afterwards finds
    nothing to free, so nothing is kept that the collector would have freed."""
    import gc

    from advisor.knowledge.cache import decode, dumps

    text = dumps(knowledge)
    collect_all_garbage()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        built = Advisor(decode(text))
        assert gc.collect() == 0
    finally:
        if was_enabled:
            gc.enable()
    assert built.consult({"data_format": "tabular"}).fired


# --- working memory: what a consultation makes once -------------------------------------------

def test_working_memory_tells_facts_apart_as_experta_does():
    """The identity a datum carries is a faster key for experta's own: two datums are the same
    fact in working memory exactly when experta's frozenset of their items says so (True and 1
    alike, as experta has them), and a datum declared twice is refused the second time."""
    from experta.factlist import FactList

    from advisor.engine.memory import WorkingMemory

    made = [new_datum(name, value, origin) for name, value, origin in (
        ("stage", "production", USER), ("stage", "production", USER), ("stage", "production", "rule.a"),
        ("stage", "experimentation", USER), ("workload", "production", USER), ("flag", True, USER),
        ("flag", 1, USER), ("flag", 0, USER), ("tags", ["a", "b"], USER), ("tags", ("a", "b"), USER),
        ("tags", ("b", "a"), USER))]
    for a in made:
        for b in made:
            experta_same = FactList._get_fact_id(a) == FactList._get_fact_id(b)
            assert (WorkingMemory._get_fact_id(a) == WorkingMemory._get_fact_id(b)) is experta_same, (a, b)
    memory = WorkingMemory()
    assert memory.declare(made[0]) is made[0]
    assert memory.declare(made[1]) is None  # the same fact again
    memory.retract(made[0])
    assert memory.declare(made[1]) is made[1]


def test_working_memory_declares_a_datum_as_experta_does():
    """WorkingMemory.declare takes a shorter path for a datum: after the same declarations and
    retractions, its list, ids, counts and answers are experta's FactList.declare's."""
    from experta.factlist import FactList

    from advisor.engine.memory import WorkingMemory

    steps = [("stage", "production", USER), ("stage", "production", USER), ("flag", True, USER),
             ("flag", 1, USER), ("tags", ("a", "b"), "rule.a"), "retract 0", ("stage", "production", USER)]

    def run(declare):
        memory, made, answers = WorkingMemory(), [], []
        for step in steps:
            if isinstance(step, str):
                memory.retract(made[int(step.split()[1])])
                continue
            made.append(new_datum(*step))
            found = declare(memory, made[-1])
            answers.append(None if found is None else (found["__factid__"], dict(found)))
        return (answers, [(i, dict(f)) for i, f in memory.items()], memory.last_index,
                [dict(f) for f in memory.added], dict(memory.reference_counter))

    assert run(WorkingMemory.declare) == run(FactList.declare)


def test_a_datum_is_made_once_and_declared_afresh_in_each_consultation(engine):
    """A (name, value, origin) is made into a datum once and shared by the consultations that
    declare it (a value of another type is another datum: True is not 1); experta numbers it
    anew each time, and the Evidence a firing reports is the same object every time."""
    from advisor.engine.advisor import _Datums

    datums = _Datums()
    first = datums("flag", True, USER)
    assert datums("flag", True, USER) is first
    number = datums("flag", 1, USER)
    assert number is not first and type(number.evidence.value) is int and type(first.evidence.value) is bool
    assert datums("tags", ["a", "b"], "rule.a").evidence.value == ("a", "b")  # frozen, as experta freezes it

    facts = {"data_format": "tabular", "dataset_size": "large", "training_too_slow": True}
    one, other = engine.consult(facts), engine.consult(dict(facts, stage="production"))
    shared = engine._trace.datum("data_format", "tabular", USER)  # as both consultations declared it
    reported = [e for result in (one, other) for f in result.fired for e in f.matched if e.name == "data_format"]
    assert len(reported) >= 2 and all(e is shared.evidence for e in reported)
    engine._engine.reset()
    engine._engine.declare(shared)
    assert shared["__factid__"] == 1  # numbered after experta's initial fact, in this working memory
    engine._engine.reset()


def test_a_reset_engine_holds_only_experta_initial_fact(engine):
    from experta.fact import InitialFact

    engine.consult({"data_format": "tabular", "dataset_size": "large", "training_too_slow": True})
    facts = list(engine._engine.facts.values())
    assert len(facts) == 1 and type(facts[0]) is InitialFact
    assert engine._engine.agenda.activations == []


def test_a_watched_consultation_logs_each_fact_it_declares(engine):
    """experta's FACTS watcher, when on, logs every fact declared (the working memory asks the
    watcher once, when a consultation resets the engine); off, it logs nothing."""
    import logging

    from experta import watchers

    lines: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())  # type: ignore[method-assign]
    level = watchers.FACTS.level
    watchers.FACTS.addHandler(handler)
    try:
        engine.consult({"data_format": "tabular"})
        assert lines == []
        watchers.watch("FACTS")
        engine.consult({"data_format": "tabular"})
    finally:
        watchers.FACTS.setLevel(level)
        watchers.FACTS.removeHandler(handler)
    assert any(" ==> " in line and "'data_format'" in line for line in lines), lines


def test_a_value_test_answers_as_the_conditions_semantics_do():
    """memory.value_test (the matcher's test of one value, for every operator but eq) gives
    leaf_holds' answer on every value a fact can hold, False for a list where it wants one
    value (and the other way round), and False where leaf_holds would raise TypeError."""
    from advisor.engine.memory import value_test
    from advisor.knowledge.conditions import leaf_holds

    operands = {"ne": ["gpu", 3], "gt": [3, 2.5], "ge": [3], "lt": [3, 0.5], "le": [3], "in": [("a", "b"), (1, 2)],
                "not_in": [("a", "b")], "contains_any": [("a", "b")], "contains_none": [("a", "b")],
                "contains_only": [("a", "b")], "contains_other_than": [("a", "b")]}
    values = ["a", "gpu", "c", 1, 2, 3, 4, 2.5, True, False, 0, (), ("a",), ("a", "b"), ("b", "c"), ("c",),
              ("a", ["unhashable"]), None]
    for op, choices in operands.items():
        for operand in choices:
            holds = value_test(op, operand)
            for value in values:
                if op.startswith("contains") != isinstance(value, tuple):
                    expected = False
                else:
                    try:
                        expected = leaf_holds(op, value, operand)
                    except TypeError:
                        expected = False
                assert holds(value) == expected, (op, operand, value)
