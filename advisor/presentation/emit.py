"""What `advisor emit` wrote, skipped and what to run next, as terminal text."""

from __future__ import annotations

from pathlib import Path

from advisor.azureml.emit import EmitPlan
from advisor.presentation.escape.terminal import visible
from advisor.presentation.words import count


def render_written(plan: EmitPlan, out: Path, written: list[Path]) -> str:
    folder = Path(visible(str(out), one_line=True))
    lines = []
    for f in plan.files:
        lines.append(f"wrote {folder / f.name}: {count(f.placeholders, 'placeholder')} to fill in; "
                     f"rules: {', '.join(f.rules)}")
        lines.append(f"  then: {visible(f.create_command, one_line=True)}")
    lines += [f"wrote {folder / rel}: a placeholder for your code" for rel, _ in plan.support_files]
    lines += [f"skipped {s.name}: {visible(s.reason)}" for s in plan.skipped]
    if not written:
        lines.append("nothing to write: no recommendation implies an Azure ML YAML file")
    return "\n".join(lines) + "\n"
