"""The package's floors: imports run down only, and module-level imports form no circle.

Floors, from the ground up (see docs/layout.md): ``errors``/``units``/``_version``, ``model/``,
``io/``, ``engine/``, ``analysis/``, ``views/``, then ``cli`` and the package ``__init__``.
The one upward step allowed is a notebook convenience on a model or result class (a method
such as ``_repr_html_`` or ``to_html``) importing its implementation when called.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

import wellbeing_budget

PACKAGE = Path(wellbeing_budget.__file__).parent
NAME = "wellbeing_budget"

FLOORS = {"ground": 0, "model": 1, "io": 2, "engine": 3, "analysis": 4, "views": 5, "top": 6}
GROUND = {"errors", "units", "_version"}
TOP = {"cli", "__init__", "__main__"}

#: Methods that may import a higher floor when called: notebook and export conveniences.
CONVENIENCES = {
    "_repr_html_",
    "plot",
    "style",
    "to_html",
    "to_excel",
    "to_csv",
    "to_json",
    "to_yaml",
    "to_framework",
    "index",
    "status",
    "matrix",
}

#: What ``engine/`` may not import outside its door, ``compile.py``.
ENGINE_FORBIDDEN = {"pandas", "pint", "pydantic", "pydantic_core", "yaml"}
#: Floors that pull pydantic or pint in: the engine reaches them only through compile.py.
ENGINE_DOOR_ONLY = {"model", "io"}


@dataclass(frozen=True)
class Import:
    source: str  # importing module, dotted, without the package name
    target: str  # imported module or package, dotted, without the package name ('' = package)
    external: str | None  # top-level name of a third-party or stdlib import
    line: int
    lazy: bool  # inside a function
    method: tuple[str, str] | None  # (class, method) for an import inside a method


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts)


def _floor(module: str) -> int:
    head = module.split(".")[0]
    if module in GROUND or head in GROUND:
        return FLOORS["ground"]
    if module in TOP or module == "":
        return FLOORS["top"]
    if head in FLOORS:
        return FLOORS[head]
    raise AssertionError(f"module {module!r} is on no floor: put it in one of {sorted(FLOORS)}")


def _resolve(module: str, is_package: bool, level: int, name: str | None) -> str:
    base = module.split(".") if module else []
    if not is_package:
        base = base[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join([*base, *(name.split(".") if name else [])])


def _is_module(dotted: str) -> bool:
    path = PACKAGE.joinpath(*dotted.split(".")) if dotted else PACKAGE
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: Path) -> list[Import]:
    module = _module_name(path)
    is_package = path.name == "__init__.py"
    if is_package:
        module = module.removesuffix("__init__").rstrip(".")
    found: list[Import] = []

    def visit(node: ast.AST, function: bool, method: tuple[str, str] | None, cls: str | None):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for sub in child.orelse:
                    visit(sub, function, method, cls)
                continue  # imports for type checkers only never run
            if isinstance(child, ast.ClassDef):
                visit(child, function, method, child.name)
                continue
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                inner = (cls, child.name) if cls is not None and not function else method
                visit(child, True, inner, None)
                continue
            if isinstance(child, ast.Import):
                for alias in child.names:
                    top = alias.name.split(".")[0]
                    if top == NAME:
                        target = alias.name.removeprefix(NAME).lstrip(".")
                        found.append(Import(module, target, None, child.lineno, function, method))
                    else:
                        found.append(Import(module, "", top, child.lineno, function, method))
            elif isinstance(child, ast.ImportFrom):
                if child.level == 0:
                    top = (child.module or "").split(".")[0]
                    if top != NAME:
                        found.append(Import(module, "", top, child.lineno, function, method))
                        continue
                    base = (child.module or "").removeprefix(NAME).lstrip(".")
                else:
                    base = _resolve(module, is_package, child.level, child.module)
                for alias in child.names:
                    candidate = f"{base}.{alias.name}" if base else alias.name
                    target = candidate if _is_module(candidate) else base
                    found.append(Import(module, target, None, child.lineno, function, method))
            else:
                visit(child, function, method, cls)

    visit(ast.parse(path.read_text(encoding="utf-8")), False, None, None)
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "_data" not in p.parts)
ALL_IMPORTS = [imp for path in MODULES for imp in _imports(path)]


def test_every_module_is_on_a_floor() -> None:
    for path in MODULES:
        module = _module_name(path).removesuffix(".__init__").removesuffix("__init__")
        _floor(module)


def test_imports_run_down_only_except_conveniences() -> None:
    wrong = []
    for imp in ALL_IMPORTS:
        if imp.external is not None:
            continue
        if _floor(imp.target) <= _floor(imp.source):
            continue
        allowed = (
            imp.lazy
            and imp.method is not None
            and imp.method[1] in CONVENIENCES
            and _floor(imp.source) in (FLOORS["model"], FLOORS["analysis"])
        )
        if not allowed:
            wrong.append(f"{imp.source}:{imp.line} imports {imp.target} (a higher floor)")
    assert not wrong, "\n".join(wrong)


def test_conveniences_are_kept_in_one_place_per_class() -> None:
    """A class's upward-reaching methods sit together, not scattered among its logic."""
    for path in MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = _module_name(path)
        upward = {
            imp.method
            for imp in _imports(path)
            if imp.method is not None
            and imp.external is None
            and _floor(imp.target) > _floor(imp.source)
        }
        for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
            methods = [
                n.name for n in cls.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
            ]
            marks = [i for i, m in enumerate(methods) if (cls.name, m) in upward]
            if not marks:
                continue
            between = methods[marks[0] : marks[-1] + 1]
            strays = [m for m in between if m not in CONVENIENCES and (cls.name, m) not in upward]
            assert not strays, f"{module}.{cls.name}: conveniences interleaved with {strays}"


def test_engine_imports_no_pandas_pint_or_pydantic_outside_compile() -> None:
    wrong = []
    for imp in ALL_IMPORTS:
        if not imp.source.startswith("engine.") or imp.source == "engine.compile":
            continue
        if imp.external in ENGINE_FORBIDDEN:
            wrong.append(f"{imp.source}:{imp.line} imports {imp.external}")
        if imp.external is None and (
            imp.target.split(".")[0] in ENGINE_DOOR_ONLY
            or imp.target in {"units", "engine.compile"}
        ):
            wrong.append(f"{imp.source}:{imp.line} imports {imp.target} (compile.py is the door)")
    assert not wrong, "\n".join(wrong)


def test_model_reads_no_files_and_holds_no_arrays_at_import() -> None:
    wrong = [
        f"{imp.source}:{imp.line} imports {imp.external or imp.target}"
        for imp in ALL_IMPORTS
        if imp.source.startswith("model.")
        and not imp.lazy
        and (imp.external in {"numpy", "pandas", "yaml", "os", "pathlib"})
    ]
    assert not wrong, "\n".join(wrong)


def test_views_know_no_yaml() -> None:
    wrong = [
        f"{imp.source}:{imp.line} imports {imp.external or imp.target}"
        for imp in ALL_IMPORTS
        if imp.source.startswith("views.")
        and (imp.external == "yaml" or imp.target in {"io.yamlio", "io.loading"})
    ]
    assert not wrong, "\n".join(wrong)


def test_no_circle_among_module_level_imports() -> None:
    graph: dict[str, set[str]] = {}
    for imp in ALL_IMPORTS:
        if imp.external is None and not imp.lazy and imp.target != imp.source:
            graph.setdefault(imp.source, set()).add(imp.target)
    # Importing a module runs its package's __init__ first: a package depends on nothing of
    # its children unless its __init__ imports them, which the edges above already say.
    state: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def walk(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                circles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                walk(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            walk(node)
    assert not circles, "\n".join(" -> ".join(c) for c in circles)


def test_each_floor_says_what_it_holds() -> None:
    for floor in ("model", "io", "engine", "analysis", "views"):
        init = PACKAGE / floor / "__init__.py"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc, f"{floor}/__init__.py: say in two lines what the floor holds"
        assert 1 <= len(doc.strip().splitlines()) <= 3


@pytest.mark.parametrize(
    ("source", "target", "expected_ok"),
    [("engine.scoring", "analysis.results", False), ("analysis.results", "engine.scoring", True)],
)
def test_the_floor_order_itself(source: str, target: str, expected_ok: bool) -> None:
    assert (_floor(target) <= _floor(source)) is expected_ok


def test_the_checker_sees_a_planted_upward_import(tmp_path: Path) -> None:
    """The walker is not blind: an upward import written into a module is found."""
    planted = tmp_path / "wellbeing_budget" / "engine" / "planted.py"
    planted.parent.mkdir(parents=True)
    planted.write_text("from ..analysis.results import Scorecard\nimport pandas\n")
    global PACKAGE
    saved = PACKAGE
    PACKAGE = tmp_path / "wellbeing_budget"
    try:
        found = _imports(planted)
    finally:
        PACKAGE = saved
    assert [(i.target, i.external) for i in found] == [
        ("analysis.results", None),
        ("", "pandas"),
    ]
    assert _floor(found[0].target) > _floor(found[0].source)
