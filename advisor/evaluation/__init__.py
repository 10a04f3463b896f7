"""Batch evaluation of scenario files against their expectations (`advisor evaluate`)."""

from advisor.evaluation.collect import Collection, collect
from advisor.evaluation.results import EvaluationRun, Mismatch, ScenarioResult, Summary
from advisor.evaluation.runner import default_jobs, evaluate_file, run

__all__ = ["Collection", "EvaluationRun", "Mismatch", "ScenarioResult", "Summary", "collect",
           "default_jobs", "evaluate_file", "run"]
