"""Loading frameworks from YAML: built-ins, extends, and every problem reported at once."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

import wellbeing_budget as wb
from wellbeing_budget import FrameworkNotFoundError, ValidationError, WellbeingBudgetError

from ..conftest import FIXTURES, ROOT

INVALID = sorted((FIXTURES / "invalid").glob("*.yaml"))


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_each_invalid_fixture_gives_its_one_located_error(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each file holds one fault; its first line says the error expected
    (``# expect: LINE:COL path: message``)."""
    expected = path.read_text(encoding="utf-8").splitlines()[0].removeprefix("# expect: ")
    monkeypatch.chdir(path.parent)
    with pytest.raises(ValidationError) as info:
        wb.load_framework(path.name)
    problems = info.value.problems
    assert len(problems) == 1, [str(p) for p in problems]
    rendered = str(problems[0])
    assert problems[0].file == path.name
    located = re.sub(r"^(\d+:\d+): ", r"\1 ", rendered.removeprefix(f"{path.name}:"))
    if expected[:1].isdigit():
        assert located.startswith(expected), rendered
    else:
        assert expected in rendered


def test_all_problems_of_a_file_are_reported_at_once(write_yaml: Callable[..., Path]) -> None:
    path = write_yaml(
        """
        extends: nz-lsf-2021
        id: many
        name: A
        name: B
        domains:
          - id: health
            weight: -2
            colour: red
          - id: parks
            name: Parks
            pillar: environment
            indicators: [nz.life-expectncy]
        """
    )
    with pytest.raises(ValidationError) as info:
        wb.load_framework(path)
    lines = [str(p).split(": ", 1)[1] for p in info.value.problems]
    assert len(lines) == 4
    assert lines[0].startswith("name: duplicate key 'name'")
    assert lines[1].startswith("domains[0].weight: input should be greater than or equal to 0")
    assert lines[2].startswith("domains[0].colour: unknown key 'colour'")
    assert lines[3] == (
        "domains[1].indicators[0]: unknown indicator 'nz.life-expectncy'; "
        "did you mean 'nz.life-expectancy'?"
    )
    positions = [(p.line, p.column) for p in info.value.problems]
    assert positions == sorted(positions)  # in file order


def test_builtins_load_and_list() -> None:
    ids = wb.list_frameworks()
    assert {"default", "nz-lsf-2021", "nz-wellbeing-budget-2019"} <= set(ids)
    for framework_id in ids:
        framework = wb.load_framework(framework_id)
        assert framework.id == framework_id
    for framework_id in ("default", "nz-lsf-2021", "nz-wellbeing-budget-2019"):
        assert set(wb.load_framework(framework_id).pillars) == set(wb.Pillar)


def test_unknown_builtin_suggests_close_id() -> None:
    with pytest.raises(FrameworkNotFoundError, match="did you mean 'nz-lsf-2021'"):
        wb.load_framework("nz-lsf-2012")
    with pytest.raises(FrameworkNotFoundError):
        wb.load_framework("missing/file.yaml")


def test_extends_reweights_adds_and_drops(write_yaml: Callable[..., Path]) -> None:
    path = write_yaml(
        """
        extends: nz-lsf-2021
        id: my-lsf
        name: My reweighted LSF
        drop_domains: [leisure-and-play]
        domains:
          - {id: health, weight: 2}
          - {id: housing, weight: 1.5}
          - id: local-parks
            name: Local parks
            pillar: environment
            indicators: [my.park-area]
        indicators:
          - id: my.park-area
            name: Park area per person
            unit: meter ** 2 / person
            direction: higher_is_better
            scale: 2 meter ** 2 / person
            scale_basis: judgement
            source: {title: Our parks survey (illustrative), url: "https://example.org/parks"}
        """
    )
    framework = wb.load_framework(path)
    parent = wb.load_framework("nz-lsf-2021")
    assert framework.based_on == ("nz-lsf-2021",)
    assert framework.domain("health").weight == 2
    assert framework.domain("housing").weight == 1.5
    assert framework.domain("safety").weight == 1
    assert "leisure-and-play" not in [d.id for d in framework.domains]
    assert len(framework.domains) == len(parent.domains)  # one dropped, one added
    frame = framework.indicators_frame()
    weights = frame.groupby("domain")["domain_weight"].first()
    assert weights["health"] == 2 and weights["housing"] == 1.5
    assert frame.loc[frame.indicator == "my.park-area", "pillar"].item() == "environment"
    # the parent keeps its own weights
    assert parent.domain("health").weight == 1


def test_extends_a_relative_file_in_the_same_folder(write_yaml: Callable[..., Path]) -> None:
    write_yaml(
        """
        extends: default
        id: base
        currency: DKK
        """,
        "base.yaml",
    )
    child = write_yaml(
        """
        extends: ./base.yaml
        id: child
        domains:
          - {id: people, weight: 3}
        """,
        "child.yaml",
    )
    framework = wb.load_framework(child)
    assert framework.currency == "DKK"
    assert framework.based_on == ("default", "base")
    assert framework.domain("people").weight == 3


def test_extends_cycle_is_refused(write_yaml: Callable[..., Path]) -> None:
    write_yaml("extends: b.yaml\nid: a\n", "a.yaml")
    b = write_yaml("extends: a.yaml\nid: b\n", "b.yaml")
    with pytest.raises(WellbeingBudgetError, match="circle"):
        wb.load_framework(b)


def test_extends_through_a_symlink_outside_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    inside = tmp_path / "inside"
    outside.mkdir()
    inside.mkdir()
    (outside / "secret.yaml").write_text("extends: default\nid: secret\n")
    (inside / "link.yaml").symlink_to(outside / "secret.yaml")
    (inside / "mine.yaml").write_text("extends: link.yaml\nid: mine\n")
    with pytest.raises(ValidationError, match="leaves the folder"):
        wb.load_framework(inside / "mine.yaml")


def test_absolute_extends_is_refused(write_yaml: Callable[..., Path]) -> None:
    target = ROOT / "frameworks" / "default.yaml"
    path = write_yaml(f"extends: {target}\nid: abs\n")
    with pytest.raises(ValidationError, match="relative to the file"):
        wb.load_framework(path)


def test_errors_in_a_parent_file_name_the_parent(write_yaml: Callable[..., Path]) -> None:
    write_yaml("extends: default\nid: base\ncurrency: NKD\n", "base.yaml")
    child = write_yaml("extends: base.yaml\nid: child\n", "child.yaml")
    with pytest.raises(ValidationError) as info:
        wb.load_framework(child)
    assert info.value.problems[0].file is not None
    assert info.value.problems[0].file.endswith("base.yaml")


def test_a_framework_without_extends_must_be_complete(write_yaml: Callable[..., Path]) -> None:
    path = write_yaml("id: bare\nname: Bare\n")
    with pytest.raises(ValidationError) as info:
        wb.load_framework(path)
    missing = {
        m.group(1)
        for p in info.value.problems
        if (m := re.search(r"missing required key '(\w+)'", p.message))
    }
    assert {"version", "jurisdiction", "source", "currency", "domains"} <= missing


def test_not_a_mapping(write_yaml: Callable[..., Path]) -> None:
    with pytest.raises(ValidationError, match="a framework is a mapping"):
        wb.load_framework(write_yaml("- just\n- a list\n"))


# -- one confined lookup for every named reference (issue 10) --------------------------------


def test_a_discount_schedule_name_cannot_read_an_absolute_path(
    write_yaml: Callable[..., Path], tmp_path: Path
) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("the-first-line-is-secret: 1\n")
    path = write_yaml(f"extends: default\nid: x\ndiscounting:\n  money: {secret}\n")
    with pytest.raises(ValidationError) as info:
        wb.load_framework(path)
    (problem,) = info.value.problems
    assert (problem.line, problem.path) == (4, ("discounting", "money"))
    assert "leaves the folder" in problem.message
    assert "secret" not in str(info.value).replace(str(secret), "")


@pytest.mark.parametrize("reference", ["../up.yaml", "sub/../../up.yaml", "~/x.yaml"])
def test_named_references_never_leave_the_folder(
    write_yaml: Callable[..., Path], reference: str
) -> None:
    path = write_yaml(f"extends: default\nid: x\ndiscounting:\n  wellbeing: {reference}\n")
    with pytest.raises(ValidationError, match="leaves the folder"):
        wb.load_framework(path)


def test_a_schedule_beside_the_file_is_read_and_its_faults_not_quoted(
    write_yaml: Callable[..., Path],
) -> None:
    write_yaml("kind: constant\nrate: 3 percent\n", name="ours.yaml")
    path = write_yaml("extends: default\nid: x\ndiscounting:\n  money: ours.yaml\n")
    assert wb.load_framework(path).discounting.money.rate_for_year(1) == pytest.approx(0.03)
    write_yaml("kind: constant\nrate: private-words\n", name="ours.yaml")
    with pytest.raises(ValidationError) as info:
        wb.load_framework(path)
    (problem,) = info.value.problems
    assert "private-words" not in str(info.value)
    assert problem.line == 4 and "'ours.yaml' is not valid (1 problem)" in problem.message


def test_a_link_leading_out_of_the_folder_is_refused(
    write_yaml: Callable[..., Path], tmp_path: Path
) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside.yaml"
    outside.write_text("kind: constant\nrate: 3 percent\n")
    (tmp_path / "linked.yaml").symlink_to(outside)
    path = write_yaml("extends: default\nid: x\ndiscounting:\n  money: linked.yaml\n")
    with pytest.raises(ValidationError, match="through a link"):
        wb.load_framework(path)


def test_extends_chains_are_bounded(tmp_path: Path) -> None:
    from wellbeing_budget.io.loading import MAX_EXTENDS_DEPTH

    (tmp_path / "f0.yaml").write_text("extends: default\nid: f0\n")
    for n in range(1, 200):
        (tmp_path / f"f{n}.yaml").write_text(f"extends: f{n - 1}.yaml\nid: f{n}\n")
    with pytest.raises(ValidationError, match=f"at most {MAX_EXTENDS_DEPTH} frameworks"):
        wb.load_framework(tmp_path / "f199.yaml")
    assert wb.load_framework(tmp_path / "f5.yaml").id == "f5"


def test_problems_without_lines_sort_by_row_number() -> None:
    from wellbeing_budget.errors import Problem
    from wellbeing_budget.io.validation import sort_problems

    problems = [Problem("x", ("rows", n, "change"), "t.csv") for n in (10, 2, 100)]
    assert [p.path[1] for p in sort_problems(problems)] == [2, 10, 100]


def test_problems_beyond_the_cap_are_counted_not_stored(tmp_path: Path) -> None:
    """A proposals file with a fault on every impact: the first MAX_PROBLEMS are listed,
    located, the rest only counted ("and N more"), so the error has a bounded size."""
    from wellbeing_budget.errors import MAX_PROBLEMS

    bids = MAX_PROBLEMS // 2 + 100  # two impacts with an unknown evidence level each
    lines = ["proposals:"]
    for i in range(bids):
        lines += [
            f"  - id: bid-{i}",
            "    title: A bid",
            "    lead_agency: A ministry",
            "    impacts:",
        ]
        for _ in range(2):
            lines.append(
                "      - {indicator: nz.life-satisfaction, change: 0.1 point, "
                "timing: {start: 2025, duration: 2 years}, evidence: strong}"
            )
    path = tmp_path / "many.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        wb.load_proposals(path)
    error = info.value
    assert len(error.problems) == MAX_PROBLEMS
    assert error.more == 2 * bids - MAX_PROBLEMS == 200
    assert str(error).endswith("... and 200 more problems")
    first = error.problems[0]
    assert (first.line, first.column) == (6, lines[5].index("strong") + 1)
    assert "must be one of high, medium, low, got 'strong'" in first.message


def test_repeated_proposal_ids_beyond_the_cap_are_counted(tmp_path: Path) -> None:
    from wellbeing_budget.errors import MAX_PROBLEMS

    path = tmp_path / "same.yaml"
    bid = (
        "  - {id: same, title: A, lead_agency: B, impacts: [{indicator: nz.life-satisfaction, "
        "change: 0.1 point, timing: {start: 2025, duration: 2 years}, evidence: low}]}\n"
    )
    path.write_text("proposals:\n" + bid * (MAX_PROBLEMS + 51), encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        wb.load_proposals(path)
    assert len(info.value.problems) == MAX_PROBLEMS and info.value.more == 50
    first = info.value.problems[0]
    assert (first.line, first.message) == (
        3,
        "proposal id 'same' is used twice (first at proposals[0])",
    )


def test_a_framework_with_a_fault_on_every_line_lists_the_cap_and_counts_the_rest(
    write_yaml: Callable[..., Path],
) -> None:
    from wellbeing_budget.errors import MAX_PROBLEMS

    domains = "".join(
        f"  - {{id: d{i}, name: D, pillar: people, indicators: [nz.life-expectncy]}}\n"
        for i in range(MAX_PROBLEMS + 40)
    )
    path = write_yaml(f"extends: nz-lsf-2021\nid: many\nname: Many\ndomains:\n{domains}")
    with pytest.raises(ValidationError) as info:
        wb.load_framework(path)
    error = info.value
    assert len(error.problems) == MAX_PROBLEMS and error.more == 40
    first = error.problems[0]
    assert (first.line, first.column) == (5, 52)
    assert first.message.startswith("unknown indicator 'nz.life-expectncy'; did you mean")
