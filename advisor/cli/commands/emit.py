"""`advisor emit SCENARIO -o DIR`: the Azure ML CLI v2 YAML the recommendations imply."""

from __future__ import annotations

import sys
from pathlib import Path

from advisor.cli import framework as cli


def write_plan(plan, out: Path, force: bool) -> list[Path]:
    """Write every planned file into `out`; refuse to overwrite unless forced."""
    from advisor.errors import AdvisorError
    from advisor.files import make_folders, write_text_file

    if out.exists() and not out.is_dir():
        raise AdvisorError("exists and is not a folder", where=str(out))
    targets = [(out / f.name, f.text) for f in plan.files] + [(out / rel, text) for rel, text in plan.support_files]
    if not force:
        existing = [str(p) for p, _ in targets if p.exists()]
        if existing:
            raise AdvisorError(f"would overwrite {', '.join(existing)}; use --force to replace them")
    try:
        for path, _ in targets:
            make_folders(path.parent)
    except OSError as exc:
        raise AdvisorError(f"cannot create the folder: {exc.strerror or exc}", where=str(out)) from None
    for path, text in targets:
        write_text_file(path, text)  # a failure is one AdvisorError naming the file
    return [p for p, _ in targets]


def register(app: cli.App) -> None:
    @app.command()
    def emit(
        scenario: Path = cli.Argument(..., metavar="SCENARIO", help="A scenario YAML file."),
        out: Path = cli.Option(..., "--output", "-o", "--out", metavar="FOLDER",
                                 help="Folder to write the Azure ML YAML files into (--out is the old name)."),
        force: bool = cli.Option(False, "--force", help="Overwrite files that already exist."),
    ) -> None:
        """Write the Azure ML CLI v2 YAML (sweep job, compute cluster, deployment) a scenario's
        recommendations imply, each headed by the rules behind it."""
        from advisor.azureml.emit import plan as plan_files
        from advisor.engine import get_advisor
        from advisor.presentation.emit import render_written
        from advisor.scenarios import load_scenario

        advisor = get_advisor()
        loaded = load_scenario(scenario, advisor.knowledge)
        consultation = advisor.consult(loaded.facts)
        plan = plan_files(consultation, advisor.knowledge, loaded.name)
        written = write_plan(plan, out, force)
        sys.stdout.write(render_written(plan, out, written))
