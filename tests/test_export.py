"""CSV / Parquet / Stata outputs of the matching step: round trips, labels, identical bytes on reruns."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import export, match

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    facts = pd.read_csv(DATA / "seed_facts.csv")
    tvo = match.match_targets(facts, pd.read_csv(DATA / "seed_assessments.csv"))
    return tvo, match.build_panel(tvo)


def test_writes_all_formats(tables, tmp_path):
    tvo, panel = tables
    paths = match.write_match_outputs(tvo, panel, tmp_path / "out")
    names = sorted(p.name for p in paths)
    assert names == sorted(f"{t}.{e}" for t in ("targets_vs_outcomes", "panel") for e in ("csv", "parquet", "dta"))
    assert all(p.exists() and p.stat().st_size > 0 for p in paths)


def test_identical_bytes_on_rerun(tables, tmp_path):
    tvo, panel = tables
    first = match.write_match_outputs(tvo, panel, tmp_path / "a")
    second = match.write_match_outputs(tvo, panel, tmp_path / "b")
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_stata_round_trip_keeps_chinese_values_and_labels(tables, tmp_path):
    tvo, panel = tables
    match.write_match_outputs(tvo, panel, tmp_path)
    back = pd.read_stata(tmp_path / "targets_vs_outcomes.dta")
    assert list(back.columns) == match.TVO_COLUMNS
    assert len(back) == len(tvo)
    assert list(back["region"]) == list(tvo["region"])
    assert list(back["target_quote"]) == list(tvo["target_quote"])
    pd.testing.assert_series_equal(back["gap"], tvo["gap"], check_names=False)
    # Booleans come back as 1/0 with missing kept missing.
    assert list(back["revised"].astype(bool)) == list(tvo["revised"])
    assert back["assessment_agrees"].isna().sum() == tvo["assessment_agrees"].isna().sum()
    with pd.io.stata.StataReader(tmp_path / "targets_vs_outcomes.dta") as reader:
        labels = reader.variable_labels()
    assert labels["gap"] == match.TVO_DESCRIPTIONS["gap"]
    panel_back = pd.read_stata(tmp_path / "panel.dta")
    assert list(panel_back["region"]) == list(panel["region"])
    assert panel_back["gdp_g_gap"].equals(panel["gdp_g_gap"].astype(float))
    with pd.io.stata.StataReader(tmp_path / "panel.dta") as reader:
        assert reader.variable_labels()["gdp_g_target"].startswith("GDP growth")


def test_csv_and_parquet_round_trip(tables, tmp_path):
    tvo, panel = tables
    match.write_match_outputs(tvo, panel, tmp_path)
    from_parquet = pd.read_parquet(tmp_path / "targets_vs_outcomes.parquet")
    assert list(from_parquet.columns) == match.TVO_COLUMNS and len(from_parquet) == len(tvo)
    assert list(from_parquet["status"]) == list(tvo["status"])
    from_csv = pd.read_csv(tmp_path / "targets_vs_outcomes.csv", dtype={"period": str, "target_period": str})
    assert list(from_csv["period"]) == list(tvo["period"])
    assert from_csv["outcome_value"].equals(tvo["outcome_value"])


def test_csv_output_can_be_matched_again(tables, tmp_path):
    # A facts table written to CSV and read back matches to the same pairs (types normalised on input).
    facts = pd.read_csv(DATA / "seed_facts.csv")
    facts.to_csv(tmp_path / "facts.csv", index=False)
    again = match.match_targets(pd.read_csv(tmp_path / "facts.csv"), pd.read_csv(DATA / "seed_assessments.csv"))
    pd.testing.assert_frame_equal(again, tables[0])


def test_invalid_stata_names_are_refused(tmp_path):
    frame = pd.DataFrame({"a_name_that_is_much_longer_than_thirty_two_chars": [1]})
    with pytest.raises(ValueError, match="Stata"):
        export.write_stata(frame, tmp_path / "x.dta")
    with pytest.raises(ValueError, match="Stata"):
        export.write_stata(pd.DataFrame({"地区": [1]}), tmp_path / "y.dta")


def test_long_text_goes_to_strl(tmp_path):
    frame = pd.DataFrame({"quote": ["长" * 1500, "短"], "n": [1, 2]})
    path = export.write_stata(frame, tmp_path / "long.dta")
    assert pd.read_stata(path)["quote"].tolist() == frame["quote"].tolist()


def test_revisions_written_when_given(tmp_path):
    facts = pd.read_csv(DATA / "match_spans.csv")
    tvo = match.match_targets(facts)
    paths = match.write_match_outputs(tvo, match.build_panel(tvo), tmp_path, revisions=match.revisions_table(facts))
    assert (tmp_path / "revisions.dta") in paths
    assert len(pd.read_stata(tmp_path / "revisions.dta")) == 2


def test_a_few_long_quotes_do_not_widen_every_row(tmp_path):
    # Fixed-width str# would store every one of the 5,001 values at the longest one's 300 bytes (1.5 MB).
    frame = pd.DataFrame({"quote": ["短句"] * 5000 + ["长" * 100], "n": range(5001)})
    path = export.write_stata(frame, tmp_path / "quotes.dta")
    assert path.stat().st_size < 400_000
    assert pd.read_stata(path)["quote"].tolist() == frame["quote"].tolist()
