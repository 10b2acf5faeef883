"""The wheel carries the built-in YAML: install it elsewhere and load a framework."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from .conftest import ROOT


@pytest.mark.slow
def test_wheel_installs_and_loads_builtin_framework_outside_the_checkout(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
    )
    (wheel,) = wheels.glob("wellbeing_budget-*.whl")
    env_dir = tmp_path / "env"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / ("Scripts" if sys.platform == "win32" else "bin") / "python"
    # The new environment borrows the dependencies of this one (pydantic, numpy...) but not
    # its editable install of the package: paths listed in a .pth file are added to sys.path
    # without processing the .pth files inside them.
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    borrowed = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(purelib, "_borrowed_dependencies.pth").write_text("\n".join(sorted(borrowed)) + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "-q",
            str(wheel),
        ],
        check=True,
    )
    script = (
        "import wellbeing_budget as wb\n"
        "from wellbeing_budget.io.loading import data_dir\n"
        "print(wb.__file__)\n"
        "print(data_dir())\n"
        "print(wb.load_framework('nz-lsf-2021'))\n"
        "print(len(wb.list_frameworks()))\n"
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [str(python), "-c", script], cwd=elsewhere, capture_output=True, text=True, check=True
    )
    module_file, data, framework, count = result.stdout.splitlines()
    assert Path(module_file).is_relative_to(env_dir)
    assert Path(data).is_relative_to(env_dir) and Path(data).name == "_data"
    assert framework.startswith("Living Standards Framework 2021")
    assert int(count) >= 3
    # The main job works from the wheel too: the demo finds the bundled example.
    demo = subprocess.run(
        [str(python), "-m", "wellbeing_budget.cli", "demo"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "The dashboard report is at" in demo.stdout
    assert (elsewhere / "wellbeing-report.html").is_file()
