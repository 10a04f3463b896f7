"""The figures as a table: plain text for the terminal, Markdown for docs/benchmark.md."""

from __future__ import annotations

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
