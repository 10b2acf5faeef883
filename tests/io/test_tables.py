"""Proposals from tables: CSV, Excel and DataFrames, errors located by row and column."""

from __future__ import annotations

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
