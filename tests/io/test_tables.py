"""Proposals from tables: CSV, Excel and DataFrames, errors located by row and column."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

import wellbeing_budget as wb

from ..conftest import ROOT

LSF = wb.load_framework("nz-wellbeing-budget-2019")
EXAMPLE = ROOT / "examples" / "nz-wellbeing-budget-2019" / "proposals.yaml"


def example_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The NZ example written as two tables, the way an analyst keeps bids."""
    impacts, costs = [], []
    for bid in wb.load_proposals(EXAMPLE):
        for n, impact in enumerate(bid.impacts):
            row = {
                "proposal": bid.id,
                "indicator": impact.indicator,
                "change": str(impact.change) if impact.change else None,
                "relative_change": str(impact.relative_change) if impact.relative_change else None,
                "people": impact.people.magnitude if impact.people else None,
                "group": impact.group,
                "start": impact.timing.start,
                "ramp_up": str(impact.timing.ramp_up),
                "duration": str(impact.timing.duration),
                "persistence": impact.timing.persistence,
                "evidence": impact.evidence,
            }
            if n == 0:
                row |= {
                    "title": bid.title,
                    "lead_agency": bid.lead_agency,
                    "partner_agencies": "; ".join(bid.partner_agencies),
                    "groups": "; ".join(bid.groups),
                    "priorities": "; ".join(bid.priorities),
                }
            impacts.append(row)
        for line in bid.costs:
            costs.append({"proposal": bid.id, "year": line.year, "amount": str(line.amount)})
        for effect in bid.fiscal_effects:
            costs.append(
                {
                    "proposal": bid.id,
                    "year": effect.year,
                    "amount": str(effect.amount),
                    "kind": effect.kind,
                }
            )
    # object columns keep None as None: an empty cell, where a float column would hold NaN
    return pd.DataFrame(impacts, dtype=object), pd.DataFrame(costs, dtype=object)


def same_scores(a: wb.Scorecard, b: wb.Scorecard) -> None:
    pd.testing.assert_frame_equal(a.summary(), b.summary(), check_exact=False, rtol=1e-12)


def test_dataframes_score_like_the_yaml() -> None:
    impacts, costs = example_tables()
    from_yaml = wb.score(LSF, wb.load_proposals(EXAMPLE))
    from_frames = wb.score(LSF, wb.load_proposals(impacts, costs))
    same_scores(from_yaml, from_frames)


def test_csv_and_excel_score_like_the_yaml(tmp_path: Path) -> None:
    impacts, costs = example_tables()
    impacts.to_csv(tmp_path / "impacts.csv", index=False)
    costs.to_csv(tmp_path / "costs.csv", index=False)
    with pd.ExcelWriter(tmp_path / "bids.xlsx") as book:
        impacts.to_excel(book, sheet_name="impacts", index=False)
        costs.to_excel(book, sheet_name="costs", index=False)
    from_yaml = wb.score(LSF, wb.load_proposals(EXAMPLE))
    same_scores(
        from_yaml,
        wb.score(LSF, wb.load_proposals(tmp_path / "impacts.csv", tmp_path / "costs.csv")),
    )
    same_scores(from_yaml, wb.score(LSF, wb.load_proposals(tmp_path / "bids.xlsx")))


def test_csv_errors_are_located_by_line_and_column(tmp_path: Path) -> None:
    impacts, costs = example_tables()
    impacts.loc[3, "change"] = "-8 hectare"
    impacts.loc[5, "evidence"] = "strong"
    impacts.loc[7, "title"] = "Another title"
    costs.loc[0, "amount"] = "5 million"
    impacts.to_csv(tmp_path / "impacts.csv", index=False)
    costs.to_csv(tmp_path / "costs.csv", index=False)
    with pytest.raises(wb.ValidationError) as info:
        wb.score(LSF, wb.load_proposals(tmp_path / "impacts.csv", tmp_path / "costs.csv"))
    messages = [str(p) for p in info.value.problems]
    column = list(impacts.columns).index
    assert any(
        m.startswith(f"{tmp_path / 'costs.csv'}:2:3: rows[0].amount: amount must be money")
        for m in messages
    ), messages
    assert any(
        m.startswith(f"{tmp_path / 'impacts.csv'}:7:{column('evidence') + 1}: rows[5].evidence")
        for m in messages
    ), messages
    assert any("rows[7].title: title differs" in m for m in messages), messages


def test_framework_mismatch_in_a_table_points_at_the_cell(tmp_path: Path) -> None:
    impacts, _ = example_tables()
    impacts.loc[3, "change"] = "-8 hectare"
    impacts.to_csv(tmp_path / "impacts.csv", index=False)
    bids = wb.load_proposals(tmp_path / "impacts.csv")
    with pytest.raises(wb.ValidationError) as info:
        wb.score(LSF, bids)
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (5, list(impacts.columns).index("change") + 1)
    assert problem.path == ("rows", 3, "change")


def test_unknown_columns_are_refused_with_a_suggestion() -> None:
    frame = pd.DataFrame([{"proposal": "p", "indicatr": "nz.life-expectancy"}])
    with pytest.raises(wb.ValidationError, match="did you mean 'indicator'"):
        wb.load_proposals(frame)


def test_dataframe_errors_name_row_and_column() -> None:
    impacts, _ = example_tables()
    impacts["start"] = impacts["start"].astype(object)
    impacts.loc[2, "start"] = "soon"
    with pytest.raises(wb.ValidationError, match=r"rows\[2\]\.start"):
        wb.load_proposals(impacts)


def test_other_file_types_are_refused(tmp_path: Path) -> None:
    (tmp_path / "bids.txt").write_text("hello")
    with pytest.raises(wb.WellbeingBudgetError, match=r"\.yaml, \.csv or \.xlsx"):
        wb.load_proposals(tmp_path / "bids.txt")


# -- inputs that cannot be misread (issue 10) -------------------------------------------------

HEADER = "proposal,title,lead_agency,indicator,change,people,start,duration,evidence"
ROW = "p1,Bid,Ministry,nz.psychological-distress,-0.4 percentage_point,,2020,5 years,medium"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_decimal_comma_in_a_csv_is_refused_with_the_fix(tmp_path: Path) -> None:
    row = ROW.replace("-0.4 percentage_point", '"-0,4 percentage_point"')
    path = write(tmp_path / "impacts.csv", f"{HEADER}\n{row}\n")
    with pytest.raises(wb.ValidationError) as info:
        wb.load_proposals(path)
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (2, 5)
    assert "write '-0.4 percentage_point'" in problem.message


def test_a_table_read_with_decimal_comma_scores_like_one_with_points(tmp_path: Path) -> None:
    danish = (
        HEADER.replace(",", ";")
        + "\n"
        + (
            "p1;Bid;Ministry;nz.psychological-distress;-0,4 percentage_point;1.500;2020;"
            "2,5 years;medium\n"
        )
    )
    plain = f"{HEADER}\n" + ROW.replace(",,", ",1500,").replace("5 years", "2.5 years") + "\n"
    a = wb.load_proposals(write(tmp_path / "dk.csv", danish), decimal=",")
    b = wb.load_proposals(write(tmp_path / "plain.csv", plain))
    assert a.proposals == b.proposals
    assert a[0].impacts[0].people_count == 1500


def test_line_numbers_are_physical_after_blank_lines_and_multiline_cells(tmp_path: Path) -> None:
    header = HEADER + ",note"
    good = ROW + ',"a note\nover two lines"'
    bad = ROW.replace("p1,", "p2,").replace("medium", "strong") + ",x"
    path = write(tmp_path / "impacts.csv", f"{header}\n\n{good}\n\n{bad}\n")
    with pytest.raises(wb.ValidationError) as info:
        wb.load_proposals(path)
    (problem,) = info.value.problems
    assert problem.line == 6  # header, blank, two lines of the first row, blank, then this
    assert problem.path == ("rows", 1, "evidence")


def test_encoding_errors_give_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "impacts.csv"
    path.write_bytes(f"{HEADER}\n".encode() + ROW.replace("Bid", "B\xf8d").encode("latin-1"))
    with pytest.raises(wb.ValidationError) as info:
        wb.load_proposals(path)
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (2, 5)
    assert "UTF-8" in problem.message


def test_proposal_level_columns_may_be_given_on_a_later_row(tmp_path: Path) -> None:
    header = HEADER + ",partner_agencies"
    first = "p1,,,nz.psychological-distress,-0.4 percentage_point,,2020,5 years,medium,"
    second = ROW.replace("-0.4", "-0.2") + ",Treasury; Police"
    bids = wb.load_proposals(write(tmp_path / "impacts.csv", f"{header}\n{first}\n{second}\n"))
    assert bids[0].title == "Bid"
    assert bids[0].partner_agencies == ("Treasury", "Police")


def test_identical_impact_rows_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "impacts.csv", f"{HEADER}\n{ROW}\n{ROW}\n")
    with pytest.raises(wb.ValidationError, match="identical to the one at line 2") as info:
        wb.load_proposals(path)
    assert info.value.problems[0].line == 3


def test_a_header_only_table_is_refused(tmp_path: Path) -> None:
    with pytest.raises(wb.ValidationError, match="no rows"):
        wb.load_proposals(write(tmp_path / "impacts.csv", f"{HEADER}\n"))


def test_missing_value_markers_are_refused(tmp_path: Path) -> None:
    row = ROW.replace(",,", ",NA,")
    with pytest.raises(wb.ValidationError, match="'NA' marks a missing value") as info:
        wb.load_proposals(write(tmp_path / "impacts.csv", f"{HEADER}\n{row}\n"))
    assert info.value.problems[0].path == ("rows", 0, "people")


def test_dataframe_nan_in_people_is_refused() -> None:
    frame = pd.DataFrame([dict(zip(HEADER.split(","), ROW.split(","), strict=True))])
    frame["people"] = float("nan")
    with pytest.raises(wb.ValidationError, match=r"rows\[0\]\.people: NaN"):
        wb.load_proposals(frame)
    frame["people"] = None
    assert wb.load_proposals(frame)[0].impacts[0].people is None


def test_problems_stop_at_a_cap_and_say_how_many_more(tmp_path: Path) -> None:
    rows = "\n".join(ROW.replace("p1", f"p{i}").replace("medium", "strong") for i in range(500))
    with pytest.raises(wb.ValidationError) as info:
        wb.load_proposals(write(tmp_path / "impacts.csv", f"{HEADER}\n{rows}\n"))
    assert len(info.value.problems) == 200
    assert info.value.more == 300
    assert "and 300 more problems" in str(info.value)


def test_row_limit_is_enforced(tmp_path: Path) -> None:
    from wellbeing_budget.io.tables import TableLimits, load_proposal_tables

    rows = "\n".join(ROW.replace("p1", f"p{i}") for i in range(20))
    path = write(tmp_path / "impacts.csv", f"{HEADER}\n{rows}\n")
    with pytest.raises(wb.WellbeingBudgetError, match="up to 10 rows"):
        load_proposal_tables(path, limits=TableLimits(max_rows=10))


openpyxl = pytest.importorskip("openpyxl")


def workbook(path: Path, rows: list[list[object]], sheets: tuple[str, ...] = ()) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "impacts"
    sheet.append(HEADER.split(","))
    for row in rows:
        sheet.append(row)
    for name in sheets:
        book.create_sheet(name).append(["proposal", "year", "amount"])
    book.save(path)
    return path


def excel_row(**changes: object) -> list[object]:
    cells = dict(zip(HEADER.split(","), ROW.split(","), strict=True))
    cells["people"] = None
    cells.update(changes)
    return list(cells.values())


@pytest.mark.parametrize("value", ["#N/A", "=NA()", "=1/0"])
def test_excel_error_values_and_uncached_formulas_are_refused(tmp_path: Path, value: str) -> None:
    path = workbook(tmp_path / "bids.xlsx", [excel_row(people=value)])
    with pytest.raises(wb.ValidationError) as info:
        wb.load_proposals(path)
    (problem,) = info.value.problems
    assert (problem.line, problem.column, problem.path) == (2, 6, ("rows", 0, "people"))


def test_an_unknown_sheet_name_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    path = workbook(tmp_path / "bids.xlsx", [excel_row()], sheets=("Cost",))
    with pytest.raises(wb.ValidationError, match="did you mean 'costs'"):
        wb.load_proposals(path)
    path = workbook(tmp_path / "ok.xlsx", [excel_row()], sheets=("notes",))
    assert len(wb.load_proposals(path)) == 1


def test_a_huge_sheet_is_refused_quickly(tmp_path: Path) -> None:
    from wellbeing_budget.io.tables import TableLimits, load_proposal_tables

    path = workbook(tmp_path / "bids.xlsx", [excel_row(proposal=f"p{i}") for i in range(30)])
    with pytest.raises(wb.WellbeingBudgetError, match="up to 20 rows"):
        load_proposal_tables(path, limits=TableLimits(max_rows=20))


TABLE_FIXTURES = sorted(
    p for p in (ROOT / "tests" / "fixtures" / "invalid").iterdir() if p.suffix in (".csv", ".xlsx")
)


@pytest.mark.parametrize("path", TABLE_FIXTURES, ids=[p.name for p in TABLE_FIXTURES])
def test_each_table_fixture_gives_its_one_located_error(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each table holds one fault; ``<name>.expect`` beside it says the error expected
    (``LINE:COL path: message``, or ``path: message`` when it has no line)."""
    expected = path.with_name(path.name + ".expect").read_text(encoding="utf-8").strip()
    monkeypatch.chdir(path.parent)
    with pytest.raises(wb.ValidationError) as info:
        wb.load_proposals(path.name)
    problems = info.value.problems
    assert len(problems) == 1, [str(p) for p in problems]
    problem = problems[0]
    assert problem.file is not None and problem.file.startswith(path.name)
    where = ":".join(str(n) for n in (problem.line, problem.column) if n is not None)
    rest = str(problem).split(": ", 1)[1]  # after the file (and line, column)
    located = f"{where} {rest}" if where else rest
    assert located.startswith(expected), str(problem)


def test_a_costs_table_marks_capital_spending(tmp_path: Path) -> None:
    impacts = tmp_path / "impacts.csv"
    impacts.write_text(
        "proposal,title,lead_agency,indicator,change,start,duration,evidence\n"
        "p1,Bid,Min,nz.psychological-distress,-0.4 percentage_point,2020,5 years,medium\n",
        encoding="utf-8",
    )
    costs = tmp_path / "costs.csv"
    costs.write_text(
        "proposal,year,amount,kind,budget\n"
        "p1,2020,5 million NZD,cost,capital\np1,2021,5 million NZD,cost,operating\n",
        encoding="utf-8",
    )
    bids = wb.load_proposals(impacts, costs)
    assert [line.budget for line in bids[0].costs] == ["capital", "operating"]
    costs.write_text(
        "proposal,year,amount,kind,budget\np1,2020,5 million NZD,cost,capitl\n", encoding="utf-8"
    )
    with pytest.raises(wb.ValidationError, match=r"costs.csv:2:5: .*did you mean 'capital'"):
        wb.load_proposals(impacts, costs)


def test_without_openpyxl_excel_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """openpyxl is the 'excel' extra: imported only for a workbook, and its absence is one
    clear message, not an ImportError (here hidden from import as if not installed)."""
    import subprocess
    import sys

    code = (
        "import sys, wellbeing_budget as wb; wb.load_proposals; wb.read_sdr; "
        "import wellbeing_budget.io.tables, wellbeing_budget.io.columns, "
        "wellbeing_budget.io.readers, wellbeing_budget.cli; print('openpyxl' in sys.modules)"
    )
    assert (
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.strip()
        == "False"
    )
    workbook = tmp_path / "bids.xlsx"
    workbook.write_bytes(b"PK\x03\x04 not really a workbook")
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(
        wb.WellbeingBudgetError, match=r"needs openpyxl: pip install 'wellbeing-budget\[excel\]'"
    ):
        wb.load_proposals(workbook)
    with pytest.raises(wb.WellbeingBudgetError, match="needs openpyxl"):
        wb.read_sdr(workbook)
    from wellbeing_budget.cli import main

    for command in (["validate", str(workbook)], ["index", "sdg-index", str(workbook)]):
        assert main(command, out=io.StringIO()) == 1
        assert "needs openpyxl: pip install 'wellbeing-budget[excel]'" in capsys.readouterr().err
