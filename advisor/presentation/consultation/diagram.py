"""The architecture the report recommends, as a picture: SVG (the HTML report, `--format svg`)
and Mermaid (the Markdown report).

Drawn from the report object alone. Each component is a box holding the chosen value of
every decision that belongs to it; a decision still open is written as open and a box with
nothing chosen yet is dashed. Arrows show how data and models flow: data store, datastore
and data asset into training; training into tracking and the model registry; the registry
into the endpoint; the endpoint into monitoring; monitoring into the retraining trigger,
which feeds training again. An application built on a language model has its own lane:
grounding data into the index, retrieved chunks into the flow, prompts into the deployed
model, its replies (or the fine-tuned model's) into evaluation.

The layout is a small layered one of our own: one column per stage, boxes stacked in a
column, arrows between the columns. Graphviz would need its system binary (`dot`), which a
fresh machine and a pip install don't have; the diagram has a fixed shape, so fixed layers
lay it out as well as a general layout engine would.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING

from advisor.presentation.escape.terminal import visible
from advisor.presentation.escape.xml import xml_text

if TYPE_CHECKING:
    from advisor.presentation.consultation.data import Report


@dataclass(frozen=True)
class Component:
    id: str
    title: str
    stage: str
    decisions: tuple[str, ...]


LANGUAGE_MODEL = "Language model"
STAGES = ("Data", "Workspace data", "Training", "Models", "Serving", "Operations", LANGUAGE_MODEL)
# The goals (fact solution_goal) that build on a language model. With no goal given, the
# language-model lane is drawn only once something in it is decided: 19 open boxes for a
# question nobody answered would be noise (the report lists those decisions open).
LANGUAGE_MODEL_GOALS = frozenset({"language_model_app", "both"})

COMPONENTS = (
    Component("ingestion", "Data ingestion", "Data", ("ingestion_tool",)),
    Component("data_store", "Data store", "Data", ("training_data_store",)),
    Component("datastore", "Datastore", "Workspace data", ("datastore_type", "datastore_auth")),
    Component("data_asset", "Data asset", "Workspace data", ("data_asset_type",)),
    Component("training_service", "Training service", "Training", ("training_service",)),
    Component("training_job", "Training job", "Training", ("job_type", "automl_primary_metric")),
    Component("sweep", "Sweep", "Training", ("sampling", "early_termination")),
    Component("training_compute", "Training compute", "Training",
              ("training_compute", "processor", "vm_family", "distributed_processing", "cluster_tier",
               "cluster_scaling")),
    Component("environment", "Environment", "Training", ("environment",)),
    Component("development_compute", "Development compute", "Training",
              ("development_compute", "instance_cost_controls")),
    Component("tracking", "Experiment tracking", "Models", ("experiment_logging",)),
    Component("registry", "Model registry", "Models", ("model_type",)),
    Component("responsible_ai", "Responsible AI dashboard", "Models", ("responsible_ai_components",)),
    Component("endpoint", "Endpoint", "Serving", ("endpoint_type", "scoring_mode", "rollout", "scoring_assets")),
    Component("endpoint_compute", "Endpoint compute", "Serving", ("deployment_compute",)),
    Component("monitoring", "Monitoring", "Operations", ("monitoring",)),
    Component("retraining", "Retraining trigger", "Operations", ("retraining_trigger",)),
    # The language-model lane (exam domain 4), top to bottom in the order its data flows.
    Component("lm_approach", "Approach and prompts", LANGUAGE_MODEL,
              ("optimization_approach", "prompt_design", "sampling_setting")),
    Component("grounding_data", "Grounding data", LANGUAGE_MODEL, ("rag_components",)),
    Component("lm_index", "Index", LANGUAGE_MODEL, ("rag_index_store", "chunking", "vector_algorithm")),
    Component("prompt_flow", "Prompt flow", LANGUAGE_MODEL, ("prompt_flow_type", "flow_setup")),
    Component("lm_model", "Model and deployment", LANGUAGE_MODEL,
              ("language_model", "model_comparison", "lm_deployment", "content_safety")),
    Component("fine_tuning", "Fine-tuning", LANGUAGE_MODEL,
              ("fine_tuning_compute", "fine_tuning_technique", "fine_tuning_steps")),
    Component("lm_evaluation", "Evaluation", LANGUAGE_MODEL, ("evaluation_metrics", "evaluation_method")),
    Component("responsible_genai", "Responsible generative AI", LANGUAGE_MODEL, ("responsible_genai",)),
)
WORKSPACES = "workspace_layout"
DRAWN_DECISIONS = frozenset(d for c in COMPONENTS for d in c.decisions) | {WORKSPACES}

# (from, to, what flows): each end is the first component of its list that is drawn.
FLOWS = (
    (("ingestion",), ("data_store",), "loads"),
    (("data_store",), ("datastore", "data_asset"), "connects"),
    (("datastore",), ("data_asset",), "registers"),
    (("data_asset", "datastore", "data_store"), ("training_job", "training_service", "training_compute"), "data"),
    (("training_job", "training_service", "training_compute"), ("tracking",), "metrics"),
    (("training_job", "training_service", "training_compute"), ("registry",), "model"),
    (("registry",), ("endpoint",), "deploy"),
    (("endpoint",), ("monitoring",), "predictions"),
    (("monitoring",), ("retraining",), "signals"),
    (("retraining",), ("training_job", "training_service", "training_compute"), "retrain"),
    (("grounding_data",), ("lm_index",), "chunks, embeddings"),
    (("lm_index",), ("prompt_flow", "lm_model"), "retrieved chunks"),
    (("prompt_flow",), ("lm_model",), "prompts"),
    (("lm_model",), ("fine_tuning",), "base model"),
    (("fine_tuning", "lm_model"), ("lm_evaluation",), "replies"),
)


@dataclass
class Box:
    component: Component
    lines: list[tuple[str, bool]]        # (text, is_open)
    chosen: int = 0                      # decisions with a recommendation

    @property
    def open(self) -> bool:
        return self.chosen == 0


@dataclass
class Diagram:
    boxes: list[Box]
    flows: list[tuple[str, str, str]]
    workspaces: str | None = None        # the workspace layout line, if decided or open
    workspaces_open: bool = False
    by_id: dict[str, Box] = field(default_factory=dict)


def build_diagram(report: Report) -> Diagram:
    chosen: dict[str, list[str]] = {}
    for rec in report.recommendations:
        chosen.setdefault(rec.decision, []).append(rec.label)
    # Decisions the scope set aside are never drawn, not even as open (the engine reports none).
    moot = {d for item in report.set_aside for d in item.decisions}
    open_titles = {item.decision: item.title for item in report.open if item.decision not in moot}
    chosen = {d: labels for d, labels in chosen.items() if d not in moot}
    boxes = []
    for component in COMPONENTS:
        lines, decided = [], 0
        for decision in component.decisions:
            if decision in chosen:
                decided += 1
                lines += [(label, False) for label in chosen[decision]]
            elif decision in open_titles:
                lines.append((f"{open_titles[decision]}: open", True))
        if lines:
            boxes.append(Box(component, lines, decided))
    if not _language_model_lane_drawn(report, boxes):
        boxes = [b for b in boxes if b.component.stage != LANGUAGE_MODEL]
    by_id = {b.component.id: b for b in boxes}
    flows = []
    for sources, targets, what in FLOWS:
        source = next((s for s in sources if s in by_id), None)
        target = next((t for t in targets if t in by_id), None)
        if source and target and source != target and (source, target) not in [(f, t) for f, t, _ in flows]:
            flows.append((source, target, what))
    diagram = Diagram(boxes, flows, by_id=by_id)
    if WORKSPACES in chosen:
        diagram.workspaces = "Workspaces: " + ", ".join(chosen[WORKSPACES])
    elif WORKSPACES in open_titles:
        diagram.workspaces, diagram.workspaces_open = f"{open_titles[WORKSPACES]}: open", True
    return diagram


def _language_model_lane_drawn(report: Report, boxes: list[Box]) -> bool:
    """The lane is drawn when the goal includes a language model or something in it is decided."""
    return (report.facts.get("solution_goal") in LANGUAGE_MODEL_GOALS
            or any(b.chosen for b in boxes if b.component.stage == LANGUAGE_MODEL))


def component_labels(report: Report) -> dict[str, str]:
    """Every recommendation the diagram draws: decision -> the label written in it."""
    return {rec.decision: rec.label for rec in report.recommendations if rec.decision in DRAWN_DECISIONS}


# --- SVG --------------------------------------------------------------------------------------

BOX_WIDTH, COLUMN_GAP, ROW_GAP = 200, 72, 26
LINE_HEIGHT, TITLE_HEIGHT, PADDING = 15, 20, 8
WRAP = 27
FONT = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"
MARGIN, BANNER = 16, 34


def _svg_text(text: str) -> str:
    return escape(xml_text(visible(text, one_line=True)), quote=True)


def _wrapped(box: Box) -> list[tuple[str, bool]]:
    out = []
    for text, is_open in box.lines:
        parts = textwrap.wrap(text, WRAP, break_long_words=False, break_on_hyphens=False)  # words stay whole
        out += [(part, is_open) for part in parts or [""]]
    return out


def render_svg(report: Report, *, standalone: bool = True) -> str:
    """The diagram as SVG: a document of its own, or (standalone=False) an element for HTML."""
    diagram = build_diagram(report)
    name = report.title
    columns = [[b for b in diagram.boxes if b.component.stage == stage] for stage in STAGES]
    columns = [c for c in columns if c]
    top = MARGIN + (BANNER if diagram.workspaces else 0) + 22
    place: dict[str, tuple[float, float, float]] = {}   # id -> x, y, height
    height = top
    for index, column in enumerate(columns):
        x = MARGIN + index * (BOX_WIDTH + COLUMN_GAP) + (12 if diagram.workspaces else 0)
        y = top
        for box in column:
            h = TITLE_HEIGHT + PADDING + LINE_HEIGHT * len(_wrapped(box)) + PADDING // 2
            place[box.component.id] = (x, y, h)
            y += h + ROW_GAP
        height = max(height, y)
    back = [f for f in diagram.flows if _column(place, f[1]) < _column(place, f[0])]
    frame = 24 if diagram.workspaces else 0
    width = MARGIN * 2 + max(1, len(columns)) * (BOX_WIDTH + COLUMN_GAP) - COLUMN_GAP + frame
    height += (30 if back else 0) + MARGIN
    out = []
    if standalone:
        out.append('<?xml version="1.0" encoding="UTF-8"?>')
    out.append(f'<svg xmlns="http://www.w3.org/2000/svg" class="architecture" role="img" '
               f'viewBox="0 0 {width} {height:.0f}" width="{width}" height="{height:.0f}" '
               f'font-family="{FONT}" font-size="12">')
    out.append(f"<title>Recommended architecture: {_svg_text(name)}</title>")
    out.append('<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
               'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#57606a"/></marker></defs>')
    out.append(f'<rect x="0" y="0" width="{width}" height="{height:.0f}" fill="#ffffff"/>')
    if diagram.workspaces:
        dash = ' stroke-dasharray="6 4"' if diagram.workspaces_open else ""
        banner = f"Azure Machine Learning · {diagram.workspaces}"
        out.append(f'<g class="workspaces"><title>{_svg_text(banner)}</title>')
        out.append(f'<rect x="{MARGIN / 2}" y="{MARGIN / 2}" width="{width - MARGIN}" height="{height - MARGIN:.0f}" '
                   f'rx="10" fill="#f6f8fa" stroke="#8c959f"{dash}/>')
        out.append(f'<text x="{MARGIN + 4}" y="{MARGIN + 14}" font-weight="600" fill="#24292f">'
                   f"{_svg_text(banner)}</text></g>")
    for stage in dict.fromkeys(b.component.stage for b in diagram.boxes):
        column = [b for b in diagram.boxes if b.component.stage == stage]
        x, y, _ = place[column[0].component.id]
        out.append(f'<text x="{x}" y="{y - 8}" fill="#57606a" font-size="11" letter-spacing=".05em">'
                   f"{_svg_text(stage.upper())}</text>")
    for source, target, what in diagram.flows:
        out.append(_edge(place, source, target, what, height))
    for box in diagram.boxes:
        out.append(_box(box, *place[box.component.id]))
    out.append("</svg>")
    return "\n".join(out) + ("\n" if standalone else "")


def _column(place: dict[str, tuple[float, float, float]], node: str) -> float:
    return place[node][0]


def _box(box: Box, x: float, y: float, h: float) -> str:
    stroke, fill, dash = ("#8c959f", "#ffffff", ' stroke-dasharray="5 3"') if box.open else ("#1a7f37", "#ffffff", "")
    full = box.component.title + ": " + "; ".join(text for text, _ in box.lines)
    parts = [f'<g class="component{" open" if box.open else ""}" data-component="{box.component.id}">',
             f"<title>{_svg_text(full)}</title>",
             f'<rect x="{x}" y="{y}" width="{BOX_WIDTH}" height="{h}" rx="6" fill="{fill}" stroke="{stroke}" '
             f'stroke-width="1.5"{dash}/>',
             f'<text x="{x + PADDING}" y="{y + 16}" font-weight="600" fill="#24292f">'
             f"{_svg_text(box.component.title)}</text>"]
    for i, (text, is_open) in enumerate(_wrapped(box)):
        style = ' font-style="italic" fill="#6e7781"' if is_open else ' fill="#24292f"'
        parts.append(f'<text x="{x + PADDING}" y="{y + TITLE_HEIGHT + PADDING + 4 + i * LINE_HEIGHT}"{style}>'
                     f"{_svg_text(text)}</text>")
    parts.append("</g>")
    return "\n".join(parts)


def _edge(place: dict[str, tuple[float, float, float]], source: str, target: str, what: str, height: float) -> str:
    sx, sy, sh = place[source]
    tx, ty, th = place[target]
    label_style = 'fill="#57606a" font-size="10" stroke="#ffffff" stroke-width="3" paint-order="stroke"'
    if sx == tx:  # same column: straight down (or up)
        x = sx + BOX_WIDTH / 2
        y1, y2 = (sy + sh, ty) if ty > sy else (sy, ty + th)
        path = f"M{x},{y1} L{x},{y2}"
        label = f'<text x="{x + 6}" y="{(y1 + y2) / 2 + 3}" {label_style}>{_svg_text(what)}</text>'
        dash = ""
    elif tx > sx:  # forward: right side to left side
        x1, y1, x2, y2 = sx + BOX_WIDTH, sy + min(sh / 2, 30), tx, ty + min(th / 2, 30)
        mid = (x1 + x2) / 2
        path = f"M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}"
        label = f'<text x="{mid}" y="{(y1 + y2) / 2 - 4}" text-anchor="middle" {label_style}>{_svg_text(what)}</text>'
        dash = ""
    else:  # back to an earlier column: below everything, up the gap before it, into its left side
        bottom = height - MARGIN - 8
        x1, gap_x, y2 = sx + BOX_WIDTH / 2, tx - COLUMN_GAP / 3, ty + th - 10
        path = f"M{x1},{sy + sh} L{x1},{bottom} L{gap_x},{bottom} L{gap_x},{y2} L{tx},{y2}"
        label = (f'<text x="{(x1 + gap_x) / 2}" y="{bottom - 4}" text-anchor="middle" {label_style}>'
                 f"{_svg_text(what)}</text>")
        dash = ' stroke-dasharray="6 4"'
    return (f'<path class="flow" d="{path}" fill="none" stroke="#57606a" stroke-width="1.4"{dash} '
            f'marker-end="url(#arrow)"/>\n{label}')


# --- Mermaid ----------------------------------------------------------------------------------

def _mermaid_text(text: str) -> str:
    """A label inside "...": Mermaid's entity codes for the characters that would end it or
    be read as markup."""
    shown = visible(text, one_line=True)
    for char, code in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("&", "#amp;"),
                       ("`", "#96;"), ("|", "#124;"), ("[", "#91;"), ("]", "#93;"), ("{", "#123;"), ("}", "#125;")):
        shown = shown.replace(char, code)
    return shown


def render_mermaid(report: Report) -> str:
    """A `flowchart LR` (without the code fence)."""
    diagram = build_diagram(report)
    lines = ["flowchart LR"]
    indent = "  "
    if diagram.workspaces:
        lines.append(f'  subgraph workspaces["Azure Machine Learning · {_mermaid_text(diagram.workspaces)}"]')
        indent = "    "
    for stage in STAGES:
        column = [b for b in diagram.boxes if b.component.stage == stage]
        if not column:
            continue
        lines.append(f'{indent}subgraph {stage.lower().replace(" ", "_")}_stage["{_mermaid_text(stage)}"]')
        for box in column:
            text = "<br/>".join([f"<b>{_mermaid_text(box.component.title)}</b>"]
                                + [_mermaid_text(t) if not o else f"<i>{_mermaid_text(t)}</i>" for t, o in box.lines])
            lines.append(f'{indent}  {box.component.id}["{text}"]')
        lines.append(f"{indent}end")
    if diagram.workspaces:
        lines.append("  end")
    for source, target, what in diagram.flows:
        back = diagram.boxes.index(diagram.by_id[target]) < diagram.boxes.index(diagram.by_id[source])
        arrow = "-.->" if back else "-->"
        lines.append(f'  {source} {arrow}|"{_mermaid_text(what)}"| {target}')
    open_ids = [b.component.id for b in diagram.boxes if b.open]
    lines.append("  classDef open stroke-dasharray: 5 3,color:#6e7781")
    if open_ids:
        lines.append(f"  class {','.join(open_ids)} open")
    return "\n".join(lines) + "\n"
