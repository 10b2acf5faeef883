"""The HTML report in a real browser: headless Chromium renders it, prints it to PDF, and
fetches nothing from the network.

Chromium comes from Debian (``apt-get install chromium poppler-utils``); ``.ci/run`` installs
both and sets ``WELLBEING_BUDGET_BROWSER_TESTS=required``, so that in CI a missing browser
fails the run instead of skipping these tests.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from wellbeing_budget.cli import main

from ..conftest import ROOT

EXAMPLE = ROOT / "examples" / "nz-wellbeing-budget-2019" / "proposals.yaml"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRED = os.environ.get("WELLBEING_BUDGET_BROWSER_TESTS") == "required"

if CHROMIUM is None:
    if REQUIRED:
        raise RuntimeError("Chromium is required for the browser tests but is not installed")
    pytestmark = pytest.mark.skip(reason="Chromium is not installed (apt-get install chromium)")


def chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
    ]
    return subprocess.run(
        [CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    path = folder / "report.html"
    out = io.StringIO()
    status = main(
        ["dashboard", str(EXAMPLE), "--framework", "nz-wellbeing-budget-2019", "-o", str(path)],
        out=out,
    )
    assert status == 0, out.getvalue()
    return path


def not_blank(png: Path) -> None:
    import matplotlib.image

    pixels = matplotlib.image.imread(png)[..., :3]
    assert pixels.std() > 0.05
    assert (pixels.mean(axis=2) < 0.9).mean() > 0.01  # some ink on the page


@pytest.mark.slow
def test_report_renders_every_title_and_pillar_without_network(
    report: Path, tmp_path: Path
) -> None:
    netlog = tmp_path / "netlog.json"
    result = chromium([f"--log-net-log={netlog}", "--dump-dom", report.as_uri()], tmp_path / "p")
    dom = result.stdout
    import wellbeing_budget as wb

    for proposal in wb.load_proposals(EXAMPLE):
        assert proposal.title.replace("'", "&#x27;").replace("&", "&amp;") in dom or (
            proposal.title in dom
        ), proposal.title
    for pillar in ("People", "Society", "Environment", "Public finances"):
        assert pillar in dom
    events = json.loads(netlog.read_text())
    types = {v: k for k, v in events["constants"]["logEventTypes"].items()}
    fetched = [
        e["params"]["url"]
        for e in events["events"]
        if types.get(e["type"]) == "URL_REQUEST_START_JOB"
        and "file://" in e["params"].get("network_isolation_key", "")
        and not e["params"]["url"].startswith("file://")
    ]
    assert fetched == []


@pytest.mark.slow
def test_report_screenshot_is_not_blank(report: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    chromium([f"--screenshot={shot}", "--window-size=1280,1800", report.as_uri()], tmp_path / "p")
    assert shot.is_file()
    not_blank(shot)


@pytest.mark.slow
def test_report_prints_to_a4_pdf(report: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    chromium([f"--print-to-pdf={pdf}", "--no-pdf-header-footer", report.as_uri()], tmp_path / "p")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    # A4 is 595 x 842 points
    assert b"/MediaBox [0 0 594.95996 841.91998]" in data or b"595" in data
    pages = data.count(b"/Type /Page") - data.count(b"/Type /Pages")
    assert pages >= 2
    if shutil.which("pdftoppm") is None:
        assert not REQUIRED, "pdftoppm (poppler-utils) is required to check the printed pages"
        return
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "2", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    pages_png = sorted(tmp_path.glob("page*.png"))
    assert len(pages_png) == 2
    for png in pages_png:
        not_blank(png)
    first = np.asarray(__import__("matplotlib.image").image.imread(pages_png[0]))
    assert first.shape[0] > first.shape[1]  # portrait
