"""Compute: clusters, compute instances, Kubernetes compute."""

from __future__ import annotations

from advisor.azureml.facts.reader import (
    Reader,
    shown,
    text,
)


def compute_cluster(r: Reader) -> None:
    low, high = r.get("min_instances"), r.get("max_instances")
    if low is not None:
        r.set("cluster_min_instances", low, "min_instances")
    if high is not None:
        r.set("cluster_max_instances", high, "max_instances")
    tier = r.get("tier")
    if tier is None:
        r.set("planned_cluster_tier", "dedicated", origin="default")
        r.note("tier not set: Azure ML uses dedicated")
    elif text(tier):
        normalized = text(tier).lower().replace("lowpriority", "low_priority")  # type: ignore[union-attr]
        r.set("planned_cluster_tier", normalized, "tier")
    else:
        r.note(f"tier {shown(tier)} is not dedicated or low_priority; not checked")
    r.vm_size("size")


def compute_instance(r: Reader) -> None:
    idle = r.get("idle_time_before_shutdown_minutes") or r.get("idle_time_before_shutdown")
    r.set("instance_idle_shutdown", idle is not None,
          *(("idle_time_before_shutdown_minutes",) if idle is not None else ()),
          origin="file" if idle is not None else "not in the file")
    schedules = r.get("schedules", "compute_start_stop")
    stops = [s for s in schedules if isinstance(s, dict) and text(s.get("action")) in ("stop", "Stop")] \
        if isinstance(schedules, list) else []
    r.set("instance_stop_schedule", bool(stops), *(("schedules",) if stops else ()),
          origin="file" if stops else "not in the file")
    r.vm_size("size")


def nothing(r: Reader) -> None:
    """Kinds with no settings of their own to read (checks still see stage tags and secrets)."""

