"""The scenario file format (pydantic); facts are checked against the vocabulary by the loader."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Expectations(BaseModel):
    """What a scenario expects of the advisor; every part is optional."""

    model_config = ConfigDict(extra="forbid")
    decisions: dict[str, str | list[str]] = Field(
        default_factory=dict,
        description="Expected choice per decision (a list for decisions that take several choices).")
    open: list[str] = Field(default_factory=list, description="Decisions expected to stay open.")
    fires: list[str] = Field(default_factory=list, description="Rule ids expected to fire.")
    does_not_fire: list[str] = Field(default_factory=list, description="Rule ids expected not to fire.")
    warns: list[str] = Field(default_factory=list, description="Rule ids expected to raise a warning.")


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, description="A short title for the scenario.")
    description: str | None = Field(default=None, description="The situation in plain words.")
    facts: dict[str, Any] = Field(description="Facts of the situation, by name (see `advisor vocabulary`).")
    expect: Expectations | None = Field(default=None, description="Expected results, checked by `advisor evaluate`.")
