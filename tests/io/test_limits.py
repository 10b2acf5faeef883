"""Money limits read from CSV: located problems, and a file named by mistake never quoted."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import wellbeing_budget as wb
from wellbeing_budget.cli import main
from wellbeing_budget.io.limits import load_limits, parse_limits

from ..conftest import ROOT

SECRET = "hunter:x:1000:1000:Hunter Two:/home/hunter:/bin/zsh"


def test_another_file_is_refused_without_printing_its_content(tmp_path: Path) -> None:
    other = tmp_path / "passwd"
    other.write_text(SECRET + "\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n", encoding="utf-8")
    with pytest.raises(wb.ValidationError) as info:
        load_limits(other)
    text = str(info.value)
    assert "hunter" not in text and "daemon" not in text
    assert f"column 1 is a cell of {len(SECRET)} characters" in text
    assert "expected headers: limit, year, kind" in text
    assert info.value.problems[0].column == 1


def test_the_command_line_never_prints_the_named_files_first_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "notes.csv"
    other.write_text(f"{SECRET},token=3f9a8b7c6d5e4f3a2b1c\n", encoding="utf-8")
    proposals = str(ROOT / "examples" / "nz-wellbeing-budget-2019" / "proposals.yaml")
    argv = ["portfolio", proposals, "--framework", "nz-wellbeing-budget-2019"]
    status = main([*argv, "--limits", str(other)])
    printed = capsys.readouterr()
    assert status == 1
    shown = printed.err + printed.out
    assert "hunter" not in shown and "3f9a8b" not in shown
    assert "column 2 is a cell of 26 characters" in shown


def test_a_close_header_gets_a_suggestion_and_a_far_one_none() -> None:
    with pytest.raises(wb.ValidationError) as info:
        parse_limits("limit,year,knd,colour\n1 million NZD,2020,total,red\n", "l.csv")
    first, second = (str(p) for p in info.value.problems)
    assert first.startswith("l.csv:1:3: column 3 is 'knd', not a limits column; did you mean")
    assert second.startswith("l.csv:1:4: column 4 is 'colour', not a limits column (expected")


@pytest.mark.parametrize("cell", ["Ünïcode-name", "a\x1b[31mred", "x" * 17, "=cmd|' /C calc'!A0"])
def test_a_header_cell_is_quoted_only_when_a_short_printable_word(cell: str) -> None:
    with pytest.raises(wb.ValidationError) as info:
        parse_limits(f"limit,{cell}\n1 million NZD,\n", "l.csv")
    assert cell not in str(info.value)
    assert f"column 2 is a cell of {len(cell)} characters" in str(info.value)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_device_a_pipe_or_a_binary_file_is_refused_cleanly(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for target in (fifo, Path("/dev/zero")):
        with pytest.raises(wb.ValidationError, match="not a regular file"):
            load_limits(target)
    binary = tmp_path / "image.csv"
    binary.write_bytes(b"limit\n\xff\xfe\x00")
    with pytest.raises(wb.ValidationError, match="2: not UTF-8 text"):
        load_limits(binary)
    with pytest.raises(wb.ValidationError, match=r"(?i)no such file"):
        load_limits(tmp_path / "missing.csv")
