"""The examples in the docstrings run (from the repository root, as a reader would)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import wellbeing_budget

from .conftest import ROOT

MODULES = [
    "wellbeing_budget",
    *sorted(m.name for m in pkgutil.walk_packages(wellbeing_budget.__path__, "wellbeing_budget.")),
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
