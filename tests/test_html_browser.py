"""The HTML report in a real browser (headless Chromium from the system packages; .ci/run
installs it where missing): it renders offline, with no request for anything, and at 1280 px
the architecture summary and the diagram under it are on the first screen, above the fold.
Skipped, with the reason, only when no browser is installed."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from itertools import accumulate
from pathlib import Path

import pytest

from advisor.presentation.consultation.data import build_report
from advisor.presentation.consultation.html import render_html
from advisor.scenarios import load_scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "end-to-end" / "real-time-fraud-detection.yaml"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
WIDTH, HEIGHT = 1280, 900
# Measured by the page itself after layout, written onto <html> for --dump-dom to carry out.
MEASURE = """<script>
addEventListener("load", () => {
  const top = (selector) => { const e = document.querySelector(selector); if (!e) return -1;
                              const r = e.getBoundingClientRect(); return [r.top, r.bottom].join(","); };
  const root = document.documentElement.dataset;
  root.viewport = [innerWidth, innerHeight].join(",");
  root.summaryHeading = top("#summary h2");
  root.summaryFirstRow = top("#summary ul.architecture li");
  root.summaryLastRow = top("#summary ul.architecture li:last-child");
  root.diagram = top("#architecture svg");
  root.recommendations = top("#recommendations");
  root.resources = performance.getEntriesByType("resource").length;
  root.openDetails = document.querySelectorAll("details[open]").length;
  root.closedDetails = document.querySelectorAll("details:not([open])").length;
  root.svgWidth = top("#architecture svg");
});
</script>"""


def browser() -> str | None:
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


pytestmark = pytest.mark.skipif(browser() is None, reason="no Chromium or Chrome installed (apt-get install chromium)")


def run_browser(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    profile.mkdir()
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", f"--window-size={WIDTH},{HEIGHT}", "--hide-scrollbars",
             # No network: every host resolves to nothing and every request would go to a dead proxy.
             "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
             "--proxy-bypass-list=<-loopback>"]
    return subprocess.run([browser(), *flags, *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def report_file(tmp_path_factory, advisor):
    scenario = load_scenario(SCENARIO, advisor.knowledge)
    report = build_report(advisor.consult(scenario.facts), advisor.knowledge,
                          {"name": scenario.name, "file": str(SCENARIO), "description": scenario.description})
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(render_html(report), encoding="utf-8")
    return path


def pixels(png: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and unfiltered RGB rows of an 8-bit truecolour PNG (what Chromium writes).
    Rows filtered "up" (most of a screenshot) are added as one integer each and "sub" rows per
    channel: a byte at a time in Python, a 1280x900 shot took ~1.5 CPU seconds."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, data, width = 8, b"", 0
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        chunk = png[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8 and colour in (2, 6)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            data += chunk
        pos += 12 + length
    raw, stride, rows = zlib.decompress(data), width * channels, []
    previous = bytearray(stride)
    low, high = int.from_bytes(b"\x7f" * stride, "big"), int.from_bytes(b"\x80" * stride, "big")
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if kind == 2:  # up: each byte plus the one above, mod 256, without carries between bytes
            a, b = int.from_bytes(line, "big"), int.from_bytes(previous, "big")
            line = bytearray((((a & low) + (b & low)) ^ ((a ^ b) & high)).to_bytes(stride, "big"))
        elif kind == 1:  # sub: each channel a running sum mod 256
            for c in range(channels):
                line[c::channels] = bytes(accumulate(line[c::channels], lambda total, x: (total + x) & 255))
        elif kind in (3, 4):
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                up, corner = previous[i], previous[i - channels] if i >= channels else 0
                if kind == 3:
                    line[i] = (line[i] + (left + up) // 2) & 255
                else:
                    p = left + up - corner
                    pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                    line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append(line)
        previous = line
    if channels == 4:
        for line in rows:
            del line[3::4]  # the alpha channel
    return width, height, [bytes(line) for line in rows]


def test_the_report_renders_offline_with_the_summary_on_the_first_screen(report_file, tmp_path):
    measured = report_file.with_name("measured.html")
    measured.write_text(report_file.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"),
                        encoding="utf-8")
    result = run_browser(tmp_path, "--dump-dom", "--virtual-time-budget=5000", measured.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    root = re.search(r"<html[^>]*>", result.stdout).group(0)
    values = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', root))
    # The new headless mode keeps room for browser chrome: the page's viewport is at most the
    # window; the first screen is what the page itself measured (the stricter of the two).
    view_width, view_height = map(int, values["viewport"].split(","))
    assert view_width == WIDTH and 700 <= view_height <= HEIGHT
    assert values["resources"] == "0", "the page asked for something over the network"
    heading_top, heading_bottom = map(float, values["summary-heading"].split(","))
    row_top, row_bottom = map(float, values["summary-first-row"].split(","))
    assert 0 <= heading_top < heading_bottom <= row_top < row_bottom <= view_height, values
    last_bottom = float(values["summary-last-row"].split(",")[1])
    diagram_top, diagram_bottom = map(float, values["diagram"].split(","))
    assert last_bottom <= diagram_top < diagram_bottom <= view_height, values  # the diagram above the fold
    print(f"fold at {view_height} px: summary {row_top:.0f}-{last_bottom:.0f}, diagram {diagram_top:.0f}-"
          f"{diagram_bottom:.0f}")
    assert float(values["recommendations"].split(",")[0]) > diagram_bottom
    assert values["open-details"] == "0" and int(values["closed-details"]) >= 21


def test_a_screenshot_shows_a_rendered_page(report_file, tmp_path):
    shot = tmp_path / "report.png"
    result = run_browser(tmp_path, f"--screenshot={shot}", report_file.as_uri())
    assert result.returncode == 0 and shot.exists(), result.stderr[-2000:]
    width, height, rows = pixels(shot.read_bytes())
    assert (width, height) == (WIDTH, HEIGHT)
    rows = [row if min(row) < 67 else b"" for row in rows]  # a pixel under 200 has a byte under 67
    dark = sum(1 for row in rows for i in range(0, len(row), 3) if sum(row[i:i + 3]) < 200)
    assert dark > 2000, "the first screen holds almost no text"
    # the summary table's rows alternate text and borders: many rows of the top half carry ink
    inked = sum(1 for row in rows[: height // 2] if any(sum(row[i:i + 3]) < 200 for i in range(0, len(row), 3)))
    assert inked > height // 8


def pdf_pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


def test_printing_opens_every_derivation(report_file, tmp_path):
    """On screen each derivation is folded; on paper the print stylesheet unfolds them all,
    so the printout is longer than the same page with that rule taken out."""
    html = report_file.read_text(encoding="utf-8")
    rule = re.search(r"details::details-content \{[^}]*\}", html)
    assert rule, "the print stylesheet unfolds <details>"
    folded = report_file.with_name("folded.html")
    folded.write_text(html.replace(rule.group(0), ""), encoding="utf-8")
    printed, plain = tmp_path / "printed.pdf", tmp_path / "folded.pdf"
    for page, pdf in ((report_file, printed), (folded, plain)):
        result = run_browser(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri())
        assert result.returncode == 0 and pdf.exists(), result.stderr[-2000:]
    assert pdf_pages(printed) > pdf_pages(plain) >= 2
