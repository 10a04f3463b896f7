"""The forward-chaining engine: compiled experta rules plus an explanation trace."""

# First, before any module here imports experta: pip resolves experta's frozendict pin.
from advisor.engine import _experta_compat  # noqa: F401, I001
from advisor.engine.advisor import Advisor, get_advisor
from advisor.engine.results import Consultation, Firing, Recommendation

__all__ = ["Advisor", "Consultation", "Firing", "Recommendation", "get_advisor"]
