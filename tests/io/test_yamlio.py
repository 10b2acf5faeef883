import os
import time
from pathlib import Path
from random import Random

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from wellbeing_budget import YAMLError
from wellbeing_budget.io.files import write_text_atomic
from wellbeing_budget.io.yamlio import (
    Limits,
    dump_yaml,
    load_yaml,
    load_yaml_text,
)


def test_reads_plain_data_with_yaml_1_2_scalars() -> None:
    doc = load_yaml_text(
        "a: no\nb: 2024-01-01\nc: 0x1F\nd: 1.5e3\ne: true\nf: null\ng: '3'\nh: NO\n"
    )
    assert doc.data == {
        "a": "no",
        "b": "2024-01-01",
        "c": 31,
        "d": 1500.0,
        "e": True,
        "f": None,
        "g": "3",
        "h": "NO",
    }


def test_locates_every_path_lazily() -> None:
    doc = load_yaml_text("a: 1\nb:\n  - x\n  - {c: 2}\n", name="f.yaml")
    assert doc.locate(("a",)) == (1, 4)
    assert doc.locate(("b", 1, "c")) == (4, 9)
    assert doc.locate(("b", 1, "missing")) == (4, 5)  # falls back to the nearest ancestor
    assert doc.locate(("b", 1, "c"), key=True) == (4, 6)
    problem = doc.problem(("b", 0), "bad")
    assert str(problem) == "f.yaml:3:5: b[0]: bad"


def test_duplicate_keys_are_reported_not_dropped() -> None:
    doc = load_yaml_text("a: 1\nb:\n  x: 1\n  x: 2\na: 3\n", name="f.yaml")
    messages = [str(p) for p in doc.problems]
    assert messages[0].startswith("f.yaml:4:3: b.x: duplicate key 'x' (first at line 3)")
    assert messages[1].startswith("f.yaml:5:1: a: duplicate key 'a' (first at line 1)")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: !!python/object/apply:os.system [ls]", "is not allowed"),
        ("a: !custom x", "is not allowed"),
        ("a: &x [1, *x]", "recursive"),
        ("a: *nowhere", "no anchor"),
        ("<<: {a: 1}\n", "merge keys"),
        ("--- 1\n--- 2\n", "one YAML document"),
        ("? [a]\n: 1\n", "mapping keys must be plain"),
        ("a: [1\n", "YAML syntax error"),
        ("a: !!int x", "not a valid int"),
        ("[" * 100 + "]" * 100, "nesting deeper than"),
    ],
)
def test_refuses_unsafe_or_broken_yaml(text: str, message: str) -> None:
    with pytest.raises(YAMLError, match=message):
        load_yaml_text(text)


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 12):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    start = time.perf_counter()
    with pytest.raises(YAMLError, match="billion laughs"):
        load_yaml_text("\n".join(lines))
    assert time.perf_counter() - start < 1.0


def test_moderate_alias_use_is_allowed() -> None:
    text = "t: &t {start: 2020, duration: 10 years}\nitems:\n" + "".join(
        f"  - {{id: p{i}, timing: *t}}\n" for i in range(2000)
    )
    doc = load_yaml_text(text)
    assert len(doc.data["items"]) == 2000


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 200 + "\n")
    with pytest.raises(YAMLError, match="limit"):
        load_yaml(path, limits=Limits(max_bytes=100))


def test_non_utf8_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: Tr\xe6ning\n".encode("latin-1"))
    with pytest.raises(YAMLError, match="not UTF-8"):
        load_yaml(path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_not_read_forever(tmp_path: Path) -> None:
    fifo = tmp_path / "framework.yaml"
    os.mkfifo(fifo)  # opening it to read would block until a writer comes
    with pytest.raises(YAMLError, match="not a regular file"):
        load_yaml(fifo)


def test_missing_file_is_a_located_error(tmp_path: Path) -> None:
    with pytest.raises(YAMLError, match="cannot read file"):
        load_yaml(tmp_path / "nope.yaml")


def test_dump_quotes_strings_that_would_change_type() -> None:
    data = {"a": "no", "b": "0o17", "c": "2024-01-01", "d": "null", "e": "1e3", "f": " x", "g": 1.5}
    assert load_yaml_text(dump_yaml(data)).data == data


def test_atomic_write_replaces_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "out.txt"
    write_text_atomic(path, "first")
    write_text_atomic(path, "second")
    assert path.read_text() == "second"
    assert [p.name for p in path.parent.iterdir()] == ["out.txt"]


_keys = st.sampled_from(["a", "b", "c", "id", "x y"])
_scalars = st.one_of(st.integers(-5, 5), st.sampled_from(["s", "t", "", "1.5 kg"]), st.none())
_data = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=4),
    max_leaves=25,
)


def _paths(data: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Every path of ``data``, with a child that is not there under each container."""
    found = [prefix]
    if isinstance(data, dict):
        found.append((*prefix, "missing"))
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        found.append((*prefix, len(data)))
        for i, value in enumerate(data):
            found += _paths(value, (*prefix, i))
    return found


@settings(max_examples=150, deadline=None)
@given(data=_data, style=st.sampled_from([False, None]), choice=st.randoms(use_true_random=False))
def test_locating_a_few_paths_in_one_pass_equals_the_full_record(
    data: object, style: bool | None, choice: Random
) -> None:
    """A file's first problems are located by a pass that records only their paths and
    stops once all are found; the places must be those of the full record, keys included."""
    text = dump_yaml(data) if style is False else yaml.safe_dump(data, default_flow_style=None)
    paths = _paths(data)
    asked = choice.sample(paths, k=min(len(paths), choice.randint(1, 4)))
    full = load_yaml_text(text)
    few = load_yaml_text(text)
    few.prepare(asked)
    for path in asked:
        for key in (False, True):
            assert few.locate(path, key=key) == full.locate(path, key=key), (text, path)


def test_duplicate_keys_beyond_the_cap_are_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("wellbeing_budget.io.yamlio.MAX_PROBLEMS", 3)
    doc = load_yaml_text("a: 1\n" * 10)
    assert len(doc.problems) == 3 and doc.more == 6
