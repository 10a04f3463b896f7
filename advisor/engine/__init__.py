"""The forward-chaining engine: compiled experta rules plus an explanation trace."""

from advisor.engine.advisor import Advisor, get_advisor
from advisor.engine.results import Consultation, Firing, Recommendation

__all__ = ["Advisor", "Consultation", "Firing", "Recommendation", "get_advisor"]
