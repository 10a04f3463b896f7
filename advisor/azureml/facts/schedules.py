"""Schedules."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from advisor.azureml.facts.reader import (
    Reader,
    mapping,
)


def schedule(r: Reader) -> None:
    trigger = mapping(r.get("trigger"))
    start, end = _when(trigger.get("start_time")), _when(trigger.get("end_time"))
    if start is not None and end is not None:
        r.set("schedule_ends_before_start", end <= start, "trigger", "end_time")
    create_job = r.get("create_job")
    if isinstance(create_job, dict):
        r.refer("compute", "compute", create_job.get("compute"), "create_job", "compute")


def _when(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).replace(tzinfo=None)
        except ValueError:
            return None
    return None

