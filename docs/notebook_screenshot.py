"""Makes docs/notebook.png: runs a two-cell notebook with nbclient (the advisor's real output)
and photographs its cells with headless Chromium at 1280 px. Run: uv run python docs/notebook_screenshot.py"""

from __future__ import annotations

import html
import shutil
import subprocess
import tempfile
from pathlib import Path

import nbclient
import nbformat

CELLS = ["import advisor\nreport = advisor.consult(\"image-classifier\")\nreport",
         "print(report.why(\"CPU or GPU\"))"]
PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><style>
body {{ font: 14px system-ui, sans-serif; margin: 0; padding: 1rem 2rem; background: #fff; }}
.cell {{ display: grid; grid-template-columns: 5rem 1fr; margin: .6rem 0; }}
.prompt {{ color: #303f9f; font: 13px ui-monospace, monospace; padding-top: .4rem; }}
.prompt.out {{ color: #d84315; }}
pre.input {{ background: #f5f5f5; border: 1px solid #e0e0e0; padding: .4rem .6rem; margin: 0;
             font: 13px ui-monospace, monospace; }}
pre.stream {{ margin: 0; font: 12px ui-monospace, monospace; white-space: pre-wrap; }}
</style></head><body>{cells}</body></html>"""


def main() -> None:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    parts = []
    for n, cell in enumerate(notebook.cells, 1):
        parts.append(f'<div class="cell"><div class="prompt">In [{n}]:</div>'
                     f'<pre class="input">{html.escape(cell.source)}</pre></div>')
        for output in cell.outputs:
            if output.output_type == "execute_result":
                body = output.data["text/html"]
            else:
                body = f'<pre class="stream">{html.escape(output.get("text", ""))}</pre>'
            parts.append(f'<div class="cell"><div class="prompt out">Out[{n}]:</div><div>{body}</div></div>')
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "notebook.html"
        page.write_text(PAGE.format(cells="\n".join(parts)), encoding="utf-8")
        target = Path(__file__).with_name("notebook.png")
        browser = shutil.which("chromium") or shutil.which("google-chrome")
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        f"--user-data-dir={folder}/profile", "--window-size=1280,1000",
                        f"--screenshot={target}", page.as_uri()], check=True, capture_output=True, timeout=120)
    print(target)


if __name__ == "__main__":
    main()
