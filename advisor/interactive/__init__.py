"""The interactive consultation: ask only what can still change a recommendation."""

from advisor.interactive.answers import Answers
from advisor.interactive.drafts import DraftStore
from advisor.interactive.interview import Interrupted
from advisor.interactive.planner import Planner, QuestionPlan, area_closure
from advisor.interactive.prompts import Action, Prompt, Prompter, RealTerminal
from advisor.interactive.session import InteractiveConsultation

__all__ = ["Action", "Answers", "DraftStore", "InteractiveConsultation", "Interrupted", "Planner", "QuestionPlan",
           "Prompt", "Prompter", "RealTerminal", "area_closure"]
