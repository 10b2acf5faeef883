"""The README and the docs pages show code that runs.

In each page, YAML blocks whose first line is ``# file: NAME`` are written to a scratch folder;
Python blocks then run there, in order, in one namespace; console blocks run each
``$ wellbeing-budget ...`` line and compare the lines printed below it, when any are given.
"""

from __future__ import annotations

import io
import re
import shlex
from pathlib import Path

import pytest

from wellbeing_budget.cli import main

from .conftest import ROOT

PAGES = [
    ROOT / "README.md",
    *sorted((ROOT / "docs").glob("*.md")),
    *sorted((ROOT / "examples").glob("*/README.md")),
]
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)


def blocks(page: Path) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in BLOCK.finditer(page.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_page_code_runs(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    (tmp_path / "tests").symlink_to(ROOT / "tests")
    namespace: dict[str, object] = {}
    for language, body in blocks(page):
        first = body.splitlines()[0] if body else ""
        if language == "yaml" and first.startswith("# file: "):
            (tmp_path / first.removeprefix("# file: ").strip()).write_text(body)
        elif language == "python":
            exec(compile(body, f"{page.name}:python", "exec"), namespace)
        elif language == "console":
            run_console(body, tmp_path)
    capsys.readouterr()


def run_console(body: str, folder: Path) -> None:
    commands: list[tuple[list[str], list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            command = shlex.split(line[2:], comments=True)
            commands.append((command, []))
        elif commands:
            commands[-1][1].append(line)
    for command, expected in commands:
        assert command[0] == "wellbeing-budget"
        if any(not (folder / a).exists() for a in command[1:] if a.endswith(".yaml")):
            assert "my-" in " ".join(command), f"missing file in {command}"
            continue  # a placeholder name such as my-framework.yaml
        out = io.StringIO()
        status = main(command[1:], out=out)
        assert status == 0, out.getvalue()
        if expected:
            assert out.getvalue().splitlines() == expected


def test_frameworks_page_is_generated_from_the_yaml() -> None:
    import importlib.util

    script = ROOT / "docs" / "scripts" / "generate_frameworks_page.py"
    spec = importlib.util.spec_from_file_location("generate_frameworks_page", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = (ROOT / "docs" / "frameworks.md").read_text(encoding="utf-8")
    assert committed == module.render(), "run: python docs/scripts/generate_frameworks_page.py"
