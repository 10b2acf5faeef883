"""Write docs/images/dashboard.png: the NZ example's report at 1400 px, as headless Chromium
draws it. Run from the repository root: ``python docs/scripts/dashboard_screenshot.py``."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import wellbeing_budget as wb

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "docs" / "images" / "dashboard.png"


def main() -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.stderr.write("needs Chromium (apt-get install chromium)\n")
        return 1
    card = wb.score(
        wb.load_framework("nz-wellbeing-budget-2019"),
        wb.load_proposals(ROOT / "examples" / "nz-wellbeing-budget-2019" / "proposals.yaml"),
    )
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.html"
        card.to_html(report)
        # a shared view: the future weighed at 0.3 and the environment pillar doubled
        url = report.as_uri() + "#f=0.3&p.environment=2"
        subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--user-data-dir={Path(folder) / 'profile'}",
                "--window-size=1400,1250",
                f"--screenshot={TARGET}",
                url,
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
