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
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from wellbeing_budget.cli import main

from ..conftest import ROOT
from .cdp import Browser

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


# -- the live report, driven over the DevTools protocol -----------------------------------------


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    assert CHROMIUM is not None
    session = Browser(CHROMIUM, tmp_path_factory.mktemp("cdp-profile"))
    try:
        yield session
    finally:
        session.close()


RANKED = "Array.from(document.querySelectorAll('table.ranking tbody tr[data-id]')).map(r => r.dataset.id)"


def library_ranking(
    pillar: dict[str, float], domain: dict[str, float], future: float, schedule: str | None
) -> list[str]:
    """The library's ranking for the weights the sliders set: domain weight times pillar
    weight, ranked by current + future weight x future."""
    import wellbeing_budget as wb

    framework = wb.load_framework("nz-wellbeing-budget-2019")
    domains = tuple(
        d.model_copy(
            update={"weight": domain.get(d.id, d.weight) * pillar.get(d.pillar.value, 1.0)}
        )
        for d in framework.domains
    )
    card = wb.score(
        framework.model_copy(update={"domains": domains}),
        wb.load_proposals(EXAMPLE),
        wellbeing_discount=schedule,
        future_weight=future,
    )
    return [str(p) for p in card.summary(sort_by="combined_total").index]


def set_control(browser: Browser, kind: str, index: int, value: float) -> None:
    browser.evaluate(
        f'(() => {{ const i = document.querySelector(\'#reweight [data-kind="{kind}"]'
        f"[data-index=\"{index}\"]'); i.value = '{value}';"
        " i.dispatchEvent(new Event('input', {bubbles: true})); })()"
    )


@pytest.mark.slow
def test_sliders_rank_like_the_library(report: Path, browser: Browser) -> None:
    import wellbeing_budget as wb

    framework = wb.load_framework("nz-wellbeing-budget-2019")
    domain_ids = [d.id for d in framework.domains]
    pillars = ["people", "society", "environment", "public_finances"]
    browser.open(report.as_uri(), 1400)
    static = browser.evaluate(RANKED)
    assert static == library_ranking({}, {}, 0.0, None)
    assert browser.evaluate("document.getElementById('reweight').hidden") is False

    rng = np.random.default_rng(7)
    for _ in range(3):
        pillar = {p: float(rng.choice([0.0, 0.25, 1.0, 2.0, 3.0])) for p in pillars}
        domain = {d: float(rng.choice([0.0, 0.5, 1.0, 2.5])) for d in rng.choice(domain_ids, 6)}
        future = float(rng.choice([0.0, 0.3, 1.0]))
        for k, p in enumerate(pillars):
            set_control(browser, "p", k, pillar[p])
        for d, w in domain.items():
            set_control(browser, "d", domain_ids.index(d), w)
        set_control(browser, "f", 0, future)
        ranked = browser.evaluate(RANKED)
        assert ranked == library_ranking(pillar, domain, future, None), (pillar, domain, future)
        assert len(set(ranked)) == len(static)
        # the fragment keeps the weights: a fresh page opened on it ranks the same
        shared = browser.evaluate("location.href")
        assert "#" in shared
        browser.open(shared, 1400)
        assert browser.evaluate(RANKED) == ranked
        browser.evaluate("document.getElementById('reweight-reset').click()")
        assert browser.evaluate(RANKED) == static

    # a precomputed discount schedule: no discounting at all, future weight 1
    options = browser.evaluate(
        "Array.from(document.querySelectorAll('#reweight select option')).map(o => o.text)"
    )
    assert any("no discounting" in o for o in options), options
    index = next(n for n, o in enumerate(options) if "no discounting" in o)
    browser.evaluate(
        f"(() => {{ const s = document.querySelector('#reweight select'); s.value = '{index}';"
        " s.dispatchEvent(new Event('change', {bubbles: true})); })()"
    )
    set_control(browser, "f", 0, 1.0)
    assert browser.evaluate(RANKED) == library_ranking({}, {}, 1.0, "none")
    total = browser.evaluate("document.getElementById('key-future').textContent")
    card = wb.score(framework, wb.load_proposals(EXAMPLE), wellbeing_discount="none")
    from wellbeing_budget.views.i18n import format_number

    assert total == format_number(float(card.summary().future_total.sum()))


@pytest.mark.slow
@pytest.mark.parametrize("width", [1400, 390])
def test_ranking_fits_the_window(
    report: Path, browser: Browser, width: int, tmp_path: Path
) -> None:
    browser.open(report.as_uri(), width)
    page = browser.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert page[0] <= page[1], page
    table = browser.evaluate(
        "(() => { const t = document.querySelector('table.ranking');"
        " return [t.scrollWidth, t.parentElement.clientWidth]; })()"
    )
    assert table[0] <= table[1], table
    if width == 1400:
        # every column of the ranking is on screen, headers included, with no scrolling
        rights = browser.evaluate(
            "Array.from(document.querySelectorAll('table.ranking thead th'))"
            ".map(th => [th.textContent, th.getBoundingClientRect().right])"
        )
        labels = [label for label, _ in rights]
        for wanted in ("#", "Proposal", "Current generation", "Future generations", "Net cost"):
            assert any(label.startswith(wanted) for label in labels), labels
        assert any(label.startswith("EY per m NZD") for label in labels)
        assert all(right <= width for _, right in rights), rights
    else:
        # a card per proposal: each row is a block no wider than the screen
        widths = browser.evaluate(
            "Array.from(document.querySelectorAll('table.ranking tbody tr[data-id]'))"
            ".map(r => [getComputedStyle(r).display, r.getBoundingClientRect().width])"
        )
        assert all(display == "block" and w <= width for display, w in widths), widths
        assert (
            browser.evaluate(
                "getComputedStyle(document.querySelector('table.ranking thead')).display"
            )
            == "none"
        )
    shot = tmp_path / f"report-{width}.png"
    browser.screenshot(shot)
    not_blank(shot)


@pytest.mark.slow
def test_no_scientific_notation_on_the_page(report: Path, browser: Browser) -> None:
    import re

    browser.open(report.as_uri(), 1400)
    browser.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    text = browser.evaluate("document.body.innerText")
    assert "sustainable-land-use" in text
    assert re.findall(r"\d(?:\.\d+)?e[-+]?\d", text) == []
    assert "< 0.001" in text


@pytest.mark.slow
def test_report_is_complete_without_scripts(report: Path, tmp_path: Path) -> None:
    assert CHROMIUM is not None
    session = Browser(CHROMIUM, tmp_path / "noscript")
    try:
        session.open("about:blank", 1400)
        session.send("Emulation.setScriptExecutionDisabled", {"value": True})
        session.events.clear()
        session.send("Page.navigate", {"url": report.as_uri()})
        session.wait_for_event("Page.loadEventFired")
        html = session.send(
            "DOM.getOuterHTML", {"nodeId": session.send("DOM.getDocument")["root"]["nodeId"]}
        )["outerHTML"]
    finally:
        session.close()
    assert 'id="reweight" hidden' in html  # the sliders stay out of the way
    assert html.count('<tr data-id="') == len(
        __import__("wellbeing_budget").load_proposals(EXAMPLE)
    )
