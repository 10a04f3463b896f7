"""The figures as a table: plain text for the terminal, Markdown for docs/benchmark.md."""

from __future__ import annotations

import datetime
import os
import platform

Row = tuple[str, ...]  # e.g. measure, figure, target / note


def markdown(title: str, header: Row, rows: list[Row]) -> str:
    lines = [f"**{title}**", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def plain(title: str, header: Row, rows: list[Row]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)).rstrip()  # noqa: E731
    return "\n".join([title, line(header), line(tuple("-" * w for w in widths)), *map(line, rows)]) + "\n"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def us(seconds: float) -> str:
    return f"{seconds * 1e6:,.0f} µs"


def verdict(value: float, limit: float) -> str:
    return "met" if value <= limit else "NOT met"


def phase_rows(phases: dict[str, dict[str, float]]) -> list[Row]:
    """Each phase's median wall and CPU time and its share of the CPU total, then the totals."""
    total = {kind: sum(times[kind] for times in phases.values()) for kind in ("wall", "cpu")}
    rows = [(phase, ms(times["wall"]), ms(times["cpu"]), f"{times['cpu'] / total['cpu']:.0%}")
            for phase, times in phases.items()]
    return rows + [("total after interpreter start", ms(total["wall"]), ms(total["cpu"]), "100%")]


def machine() -> str:
    """Date, machine and Python, for a table's title."""
    return (f"{datetime.date.today().isoformat()}, {platform.machine()} {os.cpu_count()} cores (shared), "
            f"Python {platform.python_version()}")


def load(start: float) -> str:
    return f"load average {start:.1f} at start, {os.getloadavg()[0]:.1f} at end"
