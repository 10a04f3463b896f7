"""Review existing Azure ML YAML: its settings become facts, the whole rule base runs on them,
and every warning it raises is a finding, with the rule, its reason, the guide's link and the
lines of the settings behind it.

Files are reviewed together: a job that names a compute cluster, or a deployment that names
an endpoint, is checked against that cluster or endpoint when its file is reviewed too. Inline
`# advisor: ignore[rule.id] reason` comments and the configuration's skipped rules turn
findings into suppressed ones, which are counted, never dropped.
"""

from __future__ import annotations

from dataclasses import field
from pathlib import Path
from typing import Any

from advisor.azureml.checks import SEVERITIES, check
from advisor.azureml.documents import AzureMLDocument, kubernetes_endpoint_signal, read_document
from advisor.azureml.facts import ReadFacts, mapping, number, read_facts, read_step, step_kind, text
from advisor.azureml.suppressions import Suppression, inline_suppressions
from advisor.engine.advisor import Advisor
from advisor.engine.results import Consultation, Firing
from advisor.records import record

# Facts that say what kind of asset a file is (its `type`, `endpoint_name`): a finding sits on
# the setting to change, so these give its line only when no other fact does.
CONTEXT_FACTS = frozenset({"planned_endpoint_type", "algorithm_selection", "stage", "stage_known", "ml_task"})


__all__ = ["SEVERITIES", "FileReview", "ReviewFinding", "ReviewOptions", "at_or_above", "review_all",
           "review_documents", "review_file"]


@record(frozen=True)
class FactRead:
    name: str
    value: Any
    line: int | None   # None: not from a line of the file
    origin: str        # "file", "default", "not in the file", "command line", "config", "not given" or "other file"
    path: str | None = None  # the other file a cross-file fact was read from


@record(frozen=True)
class ReviewFinding:
    rule_id: str
    kind: str
    message: str
    because: str
    source: str
    line: int | None
    facts: tuple[FactRead, ...]
    title: str = ""
    certainty: float = 1.0
    step: str | None = None  # the pipeline step it is about, if any

    @property
    def severity(self) -> str:
        """The check's impact (checks.yaml), not how sure the rule base is (certainty)."""
        return check(self.rule_id).severity

    @property
    def hint(self) -> bool:
        """A caution that asks for context (the stage), reported once as a hint."""
        return check(self.rule_id).hint


@record(frozen=True)
class SuppressedFinding:
    finding: ReviewFinding
    reason: str
    by: str  # "inline comment (line N)", "file comment (line N)" or "config"


@record(frozen=True)
class FileReview:
    path: str
    kind: str
    title: str
    facts: tuple[FactRead, ...]
    findings: tuple[ReviewFinding, ...]
    notes: tuple[str, ...]
    suppressed: tuple[SuppressedFinding, ...] = ()
    hints: tuple[ReviewFinding, ...] = ()  # cautions that ask for context; never fail a run


@record
class ReviewOptions:
    context: dict[str, Any] = field(default_factory=dict)   # --fact: name -> value
    config_facts: dict[str, Any] = field(default_factory=dict)
    skip_rules: dict[str, str] = field(default_factory=dict)  # rule id -> why (config)


def review_file(path: str | Path, advisor: Advisor, context: dict[str, Any] | None = None) -> FileReview:
    """Review one file on its own; raises AdvisorError when it can't be read as Azure ML YAML."""
    return review_documents([read_document(path)], advisor, ReviewOptions(context=dict(context or {})))[0]


def review_documents(documents: list[AzureMLDocument], advisor: Advisor,
                     options: ReviewOptions | None = None) -> list[FileReview]:
    """Review files together, so checks that need two of them (a job and its cluster, a
    deployment and its endpoint) can run; raises the first file's failure."""
    reviews, failures = review_all(documents, advisor, options)
    if failures:
        raise failures[0][1]
    return reviews


def review_all(documents: list[AzureMLDocument], advisor: Advisor, options: ReviewOptions | None = None
               ) -> tuple[list[FileReview], list[tuple[AzureMLDocument, Exception]]]:
    """Review files together, each file on its own guard: a file that fails is returned with
    its error and left out of the cross-file index, and every other file keeps every finding
    it can prove, cross-file ones included."""
    options = options or ReviewOptions()
    failures: list[tuple[AzureMLDocument, Exception]] = []
    read: dict[int, ReadFacts] = {}
    good: list[AzureMLDocument] = []
    for document in documents:
        try:
            read[id(document)] = read_facts(document, advisor.knowledge.vocabulary)
            good.append(document)
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the others
            failures.append((document, exc))
    index = _FolderIndex(good, read)
    consult = _Consultations(advisor)
    reviews: list[FileReview] = []
    for document in good:
        try:
            reviews.append(_review(document, read[id(document)], index, consult, options))
        except Exception as exc:  # noqa: BLE001
            failures.append((document, exc))
    return reviews, failures


class _Consultations:
    """The rule base's answer for each distinct set of facts, computed once per review: files
    and pipeline steps that state the same settings (46,000 identical inline steps) share it."""

    def __init__(self, advisor: Advisor) -> None:
        self.advisor = advisor
        self.answers: dict[tuple, Consultation] = {}

    def __call__(self, facts: dict[str, Any]) -> Consultation:
        try:
            key = tuple(sorted((name, repr(value)) for name, value in facts.items()))
        except Exception:  # noqa: BLE001 - a value without a stable repr is consulted afresh
            return self.advisor.consult(facts)
        if key not in self.answers:
            self.answers[key] = self.advisor.consult(facts)
        return self.answers[key]


def _review(document: AzureMLDocument, read: ReadFacts, index: _FolderIndex, consult: _Consultations,
            options: ReviewOptions) -> FileReview:
    advisor = consult.advisor
    notes = [*document.duplicates, *read.notes]
    if document.kind == "other":
        article = "an" if document.title[:1].lower() in "aeiou" else "a"
        notes.append(f"{article} {document.title}: advisor has no checks for this kind")
    units: list[tuple[str | None, ReadFacts]] = [(None, read)]
    if document.kind == "pipeline_job":
        for name, step in mapping(document.data.get("jobs")).items():
            kind = step_kind(step)
            if kind is None:
                continue
            step_read = read_step(document, advisor.knowledge.vocabulary, str(name), step, kind)
            if "compute" not in step_read.references and "compute" in read.references:
                step_read.references["compute"] = read.references["compute"]
            units.append((str(name), step_read))
    findings: list[ReviewFinding] = []
    facts: dict[str, FactRead] = {}
    for step, unit in units:
        unit_facts, unit_notes = _facts(document, unit, read, index, options)
        notes.extend(f"step {step}: {n}" if step else n for n in unit_notes)
        consultation = consult({name: f.value for name, f in unit_facts.items()})
        fallback = _missing_setting_line(document, step)
        findings.extend(_finding(w, consultation, advisor, unit_facts, step, fallback) for w in consultation.warnings)
        if step is None:
            facts = unit_facts
    findings.sort(key=lambda f: (f.line or 0, f.rule_id, f.step or ""))
    kept, suppressed = _suppress(findings, document, options, advisor, notes)
    return FileReview(document.path, document.kind, document.title, tuple(facts.values()),
                      tuple(f for f in kept if not f.hint), tuple(notes), tuple(suppressed),
                      tuple(f for f in kept if f.hint))


def _facts(document: AzureMLDocument, unit: ReadFacts, whole: ReadFacts, index: _FolderIndex,
           options: ReviewOptions) -> tuple[dict[str, FactRead], list[str]]:
    """The facts of one reviewed unit: the file's, the stage tag of the whole file, those from
    other files it names, the config's, then the command line's (each later one wins)."""
    notes: list[str] = []
    reads = {n: FactRead(n, v, unit.lines.get(n), unit.origins[n]) for n, v in unit.facts.items()}
    if "stage" in whole.facts and "stage" not in reads:
        reads["stage"] = FactRead("stage", whole.facts["stage"], whole.lines.get("stage"), whole.origins["stage"])
    for fact in index.related(document, unit):
        reads.setdefault(fact.name, fact)
    for origin, given in (("config", options.config_facts), ("command line", options.context)):
        for name, value in given.items():
            if name in reads and reads[name].value != value and reads[name].origin in ("file", "default"):
                notes.append(f"{name}: the {origin}'s {value!r} replaces the file's {reads[name].value!r}")
            reads[name] = FactRead(name, value, None, origin)
    if "stage_known" not in reads:
        reads["stage_known"] = FactRead("stage_known", "stage" in reads, None,
                                        "not given" if "stage" not in reads else reads["stage"].origin)
    return reads, notes


class _FolderIndex:
    """What each reviewed file defines, by name, for the checks that need two files. A name
    defined by several files is resolved to the one in the same folder, or else left alone
    (two unrelated examples may both call their endpoint `my-endpoint`)."""

    def __init__(self, documents: list[AzureMLDocument], read: dict[int, ReadFacts]) -> None:
        # name -> folder -> the documents defining it there: resolving a name is two lookups,
        # so a folder of N same-named clusters and N jobs is reviewed in linear time.
        self.computes: dict[str, dict[Path, list[AzureMLDocument]]] = {}
        self.endpoints: dict[str, dict[Path, list[AzureMLDocument]]] = {}
        self.counts: dict[int, int] = {}  # id(a by-folder dict) -> documents defining that name
        for document in documents:
            name = text(document.data.get("name"))
            if document.kind in ("compute", "compute_instance", "kubernetes_compute") and name:
                self._add(self.computes, name, document)
            elif document.kind in ("online_endpoint", "batch_endpoint") and name:
                self._add(self.endpoints, name, document)
        self.deployments: dict[int, set[str]] = {}  # id(endpoint document) -> deployment names
        for document in documents:
            name = text(document.data.get("name"))
            endpoint = read[id(document)].references.get("endpoint")
            if document.kind in ("online_deployment", "batch_deployment") and endpoint and name:
                target = self._resolve(self.endpoints, endpoint.name, document)
                if target is not None:
                    self.deployments.setdefault(id(target), set()).add(name)

    def _add(self, defined: dict[str, dict[Path, list[AzureMLDocument]]], name: str,
             document: AzureMLDocument) -> None:
        by_folder = defined.setdefault(name, {})
        by_folder.setdefault(document.folder, []).append(document)
        self.counts[id(by_folder)] = self.counts.get(id(by_folder), 0) + 1

    def _resolve(self, defined: dict[str, dict[Path, list[AzureMLDocument]]], name: str,
                 near: AzureMLDocument) -> AzureMLDocument | None:
        by_folder = defined.get(name)
        if not by_folder:
            return None
        same_folder = by_folder.get(near.folder, [])
        if len(same_folder) == 1:
            return same_folder[0]
        if self.counts[id(by_folder)] == 1:
            return next(iter(by_folder.values()))[0]
        return None

    def related(self, document: AzureMLDocument, unit: ReadFacts) -> list[FactRead]:
        facts: list[FactRead] = []
        compute = unit.references.get("compute")
        other = self._resolve(self.computes, compute.name, document) if compute else None
        if other is not None:
            facts.extend(self._compute_facts(other))
        endpoint = unit.references.get("endpoint")
        other = self._resolve(self.endpoints, endpoint.name, document) if endpoint else None
        if other is not None:
            facts.append(FactRead("endpoint_kind_in_folder", _endpoint_kind(other), other.line("name"),
                                  "other file", other.path))
        deployments = self.deployments.get(id(document))
        if document.kind == "online_endpoint" and deployments:
            traffic = mapping(document.data.get("traffic"))
            unknown = [d for d in traffic if str(d) not in deployments]
            facts.append(FactRead("traffic_names_unknown_deployment", bool(unknown),
                                  document.line("traffic", unknown[0]) if unknown else document.line("traffic"),
                                  "file"))
        default = unit.references.get("default_deployment")
        if document.kind == "batch_endpoint" and default and deployments:
            facts.append(FactRead("batch_default_deployment_found", default.name in deployments,
                                  default.line, "file"))
        return facts

    @staticmethod
    def _compute_facts(other: AzureMLDocument) -> list[FactRead]:
        kind = {"compute": "compute_cluster", "compute_instance": "compute_instance",
                "kubernetes_compute": "kubernetes"}[other.kind]
        facts = [FactRead("target_compute_kind", kind, other.line("type"), "other file", other.path)]
        high = number(other.data.get("max_instances"))
        if other.kind == "compute" and high is not None and high >= 0:
            facts.append(FactRead("target_cluster_max_instances", high, other.line("max_instances"),
                                  "other file", other.path))
        return facts


def _endpoint_kind(document: AzureMLDocument) -> str:
    if document.kind == "batch_endpoint":
        return "batch"
    return "managed_online" if kubernetes_endpoint_signal(document.data) is None else "kubernetes_online"


def _suppress(findings: list[ReviewFinding], document: AzureMLDocument, options: ReviewOptions,
              advisor: Advisor, notes: list[str]) -> tuple[list[ReviewFinding], list[SuppressedFinding]]:
    comments = inline_suppressions(document.text)
    for comment in comments:
        for rule_id in sorted(comment.rules - {"*"}):
            if advisor.knowledge.rule(rule_id) is None:
                notes.append(f"line {comment.line}: advisor: ignore[{rule_id[:80]}] names no rule, so it suppresses "
                             "nothing (rule ids as `advisor review --list` shows them)")
    by_line: dict[int, list[Suppression]] = {}
    for comment in comments:
        if not comment.whole_file:
            by_line.setdefault(comment.line, []).append(comment)
    whole_file = [c for c in comments if c.whole_file]
    kept: list[ReviewFinding] = []
    suppressed: list[SuppressedFinding] = []
    for finding in findings:
        if finding.rule_id in options.skip_rules:
            suppressed.append(SuppressedFinding(finding, options.skip_rules[finding.rule_id], "config"))
            continue
        match = _matching(whole_file, by_line, finding)
        if match is not None:
            scope = "file comment" if match.whole_file else "inline comment"
            suppressed.append(SuppressedFinding(finding, match.reason, f"{scope} (line {match.line})"))
        else:
            kept.append(finding)
    return kept, suppressed


def _matching(whole_file: list[Suppression], by_line: dict[int, list[Suppression]],
              finding: ReviewFinding) -> Suppression | None:
    """The comment on the finding's line, else on the line above, else in the file's header."""
    near = [] if finding.line is None else [*by_line.get(finding.line, ()), *by_line.get(finding.line - 1, ())]
    return next((c for c in (*near, *whole_file) if c.covers(finding.rule_id)), None)


def _user_facts(firing: Firing, by_rule: dict[str, Firing], seen: set[str]) -> list[str]:
    """The given facts behind a firing, through the rules that concluded its premises."""
    names: list[str] = []
    for evidence in firing.matched:
        if evidence.from_user:
            names.append(evidence.name)
        elif evidence.origin in by_rule and evidence.origin not in seen:
            names.extend(_user_facts(by_rule[evidence.origin], by_rule, seen | {evidence.origin}))
    return list(dict.fromkeys(names))


def _missing_setting_line(document: AzureMLDocument, step: str | None) -> int | None:
    """Where a finding about settings the file lacks sits: the step's key in a pipeline, else the
    line saying what the file is (`type`, else `$schema`, else `name`), else its first setting."""
    if step is not None:
        return document.line("jobs", step)
    for key in ("type", "$schema", "name"):
        if key in document.data:
            return document.line(key)
    return next((document.line(key) for key in document.data), None)


def _finding(warning: Any, consultation: Consultation, advisor: Advisor, reads: dict[str, FactRead],
             step: str | None, fallback: int | None = None) -> ReviewFinding:
    rule = advisor.knowledge.rule(warning.rule_id)
    assert rule is not None
    by_rule = {f.rule_id: f for f in consultation.fired}  # once per finding, not once per premise
    firing = next(f for f in consultation.fired if f.rule_id == warning.rule_id)
    behind = tuple(reads[n] for n in _user_facts(firing, by_rule, {firing.rule_id}) if n in reads)
    at = check(warning.rule_id).line  # the fact whose setting the warning tells to change, if declared
    lines = [reads[at].line] if at in reads and reads[at].line and reads[at].path is None else []
    lines = lines or [f.line for f in behind if f.line and f.path is None and f.name not in CONTEXT_FACTS] or \
        [f.line for f in behind if f.line and f.path is None]
    message = " ".join(warning.message.split())
    return ReviewFinding(warning.rule_id, warning.kind, f"step {step}: {message}" if step else message,
                         rule.because, rule.source, min(lines) if lines else fallback, behind, rule.title,
                         firing.certainty, step)


def at_or_above(findings: tuple[ReviewFinding, ...] | list[ReviewFinding], level: str) -> list[ReviewFinding]:
    floor = SEVERITIES.index(level)
    return [f for f in findings if SEVERITIES.index(f.severity) >= floor]

