"""Which files a review reads: the files named, and every YAML file below the folders named,
less what the configuration excludes. In a folder, YAML that isn't Azure ML YAML at all
(a conda file, a workflow) is skipped and counted; a named file that isn't is an error."""

from __future__ import annotations

import os
from dataclasses import field, replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from advisor.azureml.checks import SEVERITIES
from advisor.azureml.config import ReviewConfig
from advisor.azureml.documents import AzureMLDocument, NotAzureML, TemplateFile, read_document
from advisor.azureml.review import FileReview, ReviewOptions, review_all
from advisor.engine.advisor import Advisor
from advisor.errors import AdvisorError
from advisor.records import record

if TYPE_CHECKING:  # the baseline module (and hashlib) is imported only by runs that use one
    from advisor.azureml.baseline import BaselineKey

YAML_SUFFIXES = (".yml", ".yaml")


# Named tuples: a class of them is made in ~0.2 ms against ~1 ms for a frozen dataclass, at
# every review's start.
class Unreadable(NamedTuple):
    path: str
    message: str  # the whole one-line error, file and line included


class SkippedFile(NamedTuple):
    path: str
    reason: str
    why: str = "excluded"  # "excluded", "not Azure ML" or "template": what the summary counts


@record
class ReviewRun:
    reviews: list[FileReview] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict, repr=False)  # path -> text (for baselines)
    below_severity: int = 0  # findings left out by --severity
    in_baseline: int = 0     # findings left out because the baseline holds them

    @property
    def findings(self) -> int:
        return sum(len(r.findings) for r in self.reviews)

    @property
    def suppressed(self) -> int:
        return sum(len(r.suppressed) for r in self.reviews)

    @property
    def hints(self) -> int:
        return sum(len(r.hints) for r in self.reviews)

    def baseline_keys(self, folder: Path) -> list[BaselineKey]:
        from advisor.azureml.baseline import key_of

        return [key_of(f, r.path, self.texts.get(r.path, ""), folder) for r in self.reviews for f in r.findings]

    def shown(self, level: str, baseline: set[BaselineKey] | None = None, folder: Path | None = None) -> ReviewRun:
        """The run as reported: findings below `level`, and those the baseline holds, left out
        (and counted), so what is printed, annotated and written is what fails the run."""
        if baseline:
            from advisor.azureml.baseline import key_of
        floor = SEVERITIES.index(level)
        reviews, below, known = [], 0, 0
        for review in self.reviews:
            kept = []
            for finding in review.findings:
                if SEVERITIES.index(finding.severity) < floor:
                    below += 1
                elif baseline and key_of(finding, review.path, self.texts.get(review.path, ""),
                                         folder or Path.cwd()) in baseline:
                    known += 1
                else:
                    kept.append(finding)
            # A review that keeps every finding is itself (immutable): no copy per file.
            reviews.append(review if len(kept) == len(review.findings) else replace(review, findings=tuple(kept)))
        return ReviewRun(reviews, self.unreadable, self.skipped, self.texts, below, known)


def yaml_files_below(folder: Path, unreadable: list[Unreadable] | None = None) -> list[Path]:
    """Every .yml/.yaml file below `folder`, sorted; hidden folders and symlinked folders
    are not entered (no loops). A folder that can't be listed goes to `unreadable`: a review
    that skipped it silently would pass files it never read."""
    def report(exc: OSError) -> None:
        if unreadable is not None:
            where = str(exc.filename or folder)
            unreadable.append(Unreadable(where, f"{where}: cannot read the folder: {exc.strerror or exc}"))

    found: list[Path] = []
    for root, dirs, files in os.walk(folder, onerror=report, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(Path(root) / f for f in sorted(files) if f.lower().endswith(YAML_SUFFIXES))
    return found


def _identity(path: Path) -> object:
    """The same file however it is named (twice, through a folder, a symlink): device and
    inode, one stat (resolving every path cost more than reading the file)."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return path  # reading it reports why
    return (info.st_dev, info.st_ino)


def run_review(targets: list[Path], advisor: Advisor, config: ReviewConfig,
               context: dict | None = None, skip_unknown: bool = False) -> ReviewRun:
    """Review the files and folders named; `skip_unknown` skips a named file that isn't Azure
    ML YAML (as a folder review does) instead of counting it unreadable."""
    run = ReviewRun()
    documents: list[AzureMLDocument] = []
    seen: set[object] = set()
    for target in targets:
        in_folder = target.is_dir()
        for path in yaml_files_below(target, run.unreadable) if in_folder else [target]:
            key = _identity(path)
            if key in seen:
                continue
            seen.add(key)
            if config.excludes(path):
                run.skipped.append(SkippedFile(str(path), "excluded by the configuration"))
                continue
            try:
                documents.append(read_document(path))
            except TemplateFile as exc:
                run.skipped.append(SkippedFile(str(path), exc.message,
                                               "template"))
            except NotAzureML as exc:
                if in_folder or skip_unknown:
                    empty = exc.message.startswith("empty")
                    run.skipped.append(SkippedFile(str(path), "empty (no settings)" if empty else "not Azure ML YAML",
                                                   "not Azure ML"))
                else:
                    run.unreadable.append(Unreadable(str(path), exc.render()))
            except AdvisorError as exc:
                run.unreadable.append(Unreadable(str(path), exc.render()))
    options = ReviewOptions(context=dict(context or {}), config_facts=dict(config.facts),
                            skip_rules=dict(config.skip))
    run.texts = {d.path: d.text for d in documents}
    run.reviews, failures = review_all(documents, advisor, options)
    for document, exc in failures:
        # A shape no reader expected: the file is named, the others keep their findings.
        run.unreadable.append(Unreadable(document.path, f"{document.path}: could not be reviewed: a setting "
                                                        f"has a shape advisor does not handle ({type(exc).__name__}: "
                                                        f"{str(exc)[:200]}); please report it"))
    return run
