"""The exam's other question types: ordering (steps in the order the source gives them) and
YAML completion (a file written by advisor.azureml.emit, one value blanked)."""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import replace

from advisor.drill.honesty import pick_options
from advisor.drill.outline import ExamOutline, Ordering, Skill
from advisor.drill.questions import COMPLETION, ORDERING, SINGLE, DrillQuestion, question_id
from advisor.knowledge import KnowledgeBase

ORDER_STEPS = 4   # steps asked in one ordering question (a longer sequence gives several questions)
ORDER_SECTION = "order"
BLANK = "____"
_COMMENT = re.compile(r"\s+#\s.*$")


def ordering_question(skill: Skill, ordering: Ordering, outline: ExamOutline, rng: random.Random,
                      steps: tuple[str, ...] | None = None) -> DrillQuestion:
    """Put some of the steps in order (a subset keeps the source's relative order)."""
    if steps is None:
        count = min(ORDER_STEPS, len(ordering.steps))
        picked = sorted(rng.sample(range(len(ordering.steps)), count))
        steps = tuple(ordering.steps[i] for i in picked)
    names = tuple(f"step{ordering.steps.index(s) + 1}" for s in steps)
    shown = list(names)
    while len(shown) > 1 and shown == list(names):
        rng.shuffle(shown)
    label = dict(zip(names, steps, strict=True))
    position = {n: i + 1 for i, n in enumerate(names)}
    notes = tuple(f"{label[n]} comes {_ordinal(position[n])} of these: "
                  + " → ".join(label[m] for m in names) + "." for n in shown)
    content = f"{ordering.id}:{'|'.join(names)}"
    return DrillQuestion(
        id="o" + hashlib.sha1(content.encode("utf-8")).hexdigest()[:12], decision=f"{ORDER_SECTION}:{ordering.id}",
        section=ORDER_SECTION, facts={"steps": list(names)}, origin=f"ordering:{ordering.id}", description=None,
        options=tuple(shown), correct=names[0], recommended=frozenset(names), consultation=None,
        kind=ORDERING, keys=names, labels=tuple(label[n] for n in shown), notes=notes,
        domain=outline.domain_of_skill(skill.id), skill=skill.id,
        stem=ordering.stem + " Arrange them in sequence.", scenario="", source=ordering.source)


def rebuild_ordering(decision: str, facts: dict, outline: ExamOutline, rng: random.Random) -> DrillQuestion | None:
    """A stored ordering question asked again (None if the outline no longer has its steps)."""
    wanted = decision.removeprefix(f"{ORDER_SECTION}:")
    for skill, ordering in outline.orderings():
        if ordering.id != wanted:
            continue
        try:
            steps = tuple(ordering.steps[int(str(n).removeprefix("step")) - 1] for n in facts.get("steps", ()))
        except (ValueError, IndexError):
            return None
        return ordering_question(skill, ordering, outline, rng, steps) if len(steps) >= 2 else None
    return None


def _ordinal(n: int) -> str:
    return {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth"}.get(n, f"number {n}")


def completion_question(base: DrillQuestion, outline: ExamOutline, knowledge: KnowledgeBase,
                        rng: random.Random) -> DrillQuestion | None:
    """The decision question's scenario with the YAML file emit writes for it, the decided
    value blanked; None when the decision has no completion or the file does not show it."""
    from advisor.azureml import emit

    item = outline.item(base.decision)
    if item is None or item.completion is None or base.kind != SINGLE or base.consultation is None:
        return None
    completion = item.completion
    key = completion.values.get(base.correct)
    if key is None:
        return None
    plan = emit.plan(base.consultation, knowledge, "exam")
    file = next((f for f in plan.files if f.kind == completion.file or f.kind.endswith(completion.file)), None)
    if file is None:
        return None
    snippet = blank_field(file.text, completion.field, key, completion.hide)
    if snippet is None:
        return None
    stem = f"You write this YAML file for the Azure ML CLI (v2). Which value completes the blank ({BLANK})?"
    others = [v for v in dict.fromkeys([*completion.values.values(), *completion.distractors]) if v != key]
    picked = pick_options("\n\n".join([base.scenario, snippet, stem]), [key], others, 4)
    if picked is None or len(picked) < 2:
        return None
    options = list(picked)
    rng.shuffle(options)
    why = {**{v: f"{v} is what you would set for "
                 f"{knowledge.vocabulary.decision(base.decision).choices[c]}, not what this scenario needs."
              for c, v in completion.values.items()}, **completion.distractors}
    notes = tuple(base.note(base.correct) if o == key else why[o] for o in options)
    question = replace(base, id=question_id(base.facts, base.decision, COMPLETION), kind=COMPLETION,
                       options=tuple(options), correct=key, keys=(key,), labels=tuple(options), notes=notes,
                       stem=stem, snippet=snippet)
    return question


def blank_field(text: str, field: str, value: str, hide: tuple[str, ...] = ()) -> str | None:
    """The YAML text without comments, the line at dotted `field` showing BLANK instead of
    `value`, and the lines at `hide` left out; None if the field does not hold that value."""
    lines = []
    path: list[tuple[int, str]] = []
    found = False
    for raw in text.splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        line = _COMMENT.sub("", raw)
        indent = len(line) - len(line.lstrip())
        key, _, rest = line.strip().partition(":")
        while path and path[-1][0] >= indent:
            path.pop()
        dotted = ".".join([p for _, p in path] + [key])
        path.append((indent, key))
        if dotted in hide or any(dotted.startswith(h + ".") for h in hide):
            continue
        if dotted == field:
            if rest.strip().strip("'\"") != value:
                return None
            line = f"{' ' * indent}{key}: {BLANK}"
            found = True
        lines.append(line)
    return "\n".join(lines) if found else None
