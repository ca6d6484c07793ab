"""The one schema module: types survive a round trip, CSVs are formula-safe, generated docs do not drift."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from analysis import schema


def test_parse_bool_reads_the_written_forms_and_refuses_others():
    assert [schema.parse_bool(v) for v in ("true", "False", "1", "0", "yes", "no", True, False)] == \
        [True, False, True, False, True, False, True, False]
    assert schema.parse_bool("") is None and schema.parse_bool(float("nan")) is None
    with pytest.raises(ValueError):
        schema.parse_bool("maybe")


def test_facts_round_trip_keeps_booleans_integers_and_text(tmp_path):
    facts = pd.DataFrame({"doc_id": ["a", "b"], "role": ["target", "outcome"], "indicator": ["gdp", "other"],
                          "period": ["2021", "2021-2025"], "value": [6.5, None], "stretch": ["false", "true"],
                          "derived": [False, False], "char_start": [3, None], "quote": ["增长6.5%", "=HYPERLINK(1)"]})
    schema.write_table(facts, tmp_path / "facts.csv")
    back = schema.read_table(tmp_path / "facts.csv")
    assert back["stretch"].tolist() == [False, True] and back["stretch"].dtype == bool
    assert str(back["char_start"].dtype) == "Int64" and back["char_start"].isna().tolist() == [False, True]
    assert back["quote"].tolist() == ["增长6.5%", "=HYPERLINK(1)"]
    assert back["period"].tolist() == ["2021", "2021-2025"]


@pytest.mark.parametrize("cell", ["=1+2", "+86", "-x", "@SUM(A1)", "\tcmd", "\rcmd", "'plain", "it's"])
def test_csv_cells_never_start_a_formula_and_read_back_exactly(tmp_path, cell):
    df = pd.DataFrame({"doc_id": [cell], "region": ["荔湾区"], "term": [cell], "count": [-3], "zscore": [-1.5]})
    schema.write_table(df, tmp_path / "distinctive.csv")
    with open(tmp_path / "distinctive.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) == 2
    for raw in rows[1][:3]:
        assert raw[:1] not in ("=", "+", "-", "@", "\t", "\r")
    assert rows[1][3:] == ["-3", "-1.5"]  # numbers are never prefixed
    back = schema.read_table(tmp_path / "distinctive.csv")
    assert back["term"].tolist() == [cell] and back["count"].tolist() == [-3]


def test_escaping_twice_changes_nothing(tmp_path):
    assert schema.csv_escape(schema.csv_escape("=1+2")) == "'=1+2"
    df = pd.DataFrame({"region": ["x"], "term": ["=1+2"], "count": [1], "zscore": [0.5]})
    schema.write_table(df, tmp_path / "distinctive.csv")
    before = (tmp_path / "distinctive.csv").read_bytes()
    assert not schema.make_csv_file_safe(tmp_path / "distinctive.csv")
    assert (tmp_path / "distinctive.csv").read_bytes() == before


def test_parquet_keeps_the_exact_value(tmp_path):
    df = pd.DataFrame({"region": ["x"], "term": ["=1+2"], "count": [1], "zscore": [0.5]})
    paths = schema.write_table(df, tmp_path / "distinctive", formats=("csv", "parquet"))
    assert [p.suffix for p in paths] == [".csv", ".parquet"]
    assert pd.read_parquet(tmp_path / "distinctive.parquet")["term"].tolist() == ["=1+2"]
    assert pd.read_csv(tmp_path / "distinctive.csv")["term"].tolist() == ["'=1+2"]


def test_make_csv_file_safe_escapes_text_and_leaves_numbers(tmp_path):
    path = tmp_path / "kwic.csv"
    path.write_text("doc_id,region,report_year,area,term,left,keyword,right,char_start\n"
                    "=1+2,荔湾区,2021,digital,互联网+,-前文,+互联网,后文,-0\n", encoding="utf-8")
    assert schema.make_csv_file_safe(path)
    row = path.read_text(encoding="utf-8").splitlines()[1]
    assert row.startswith("'=1+2,") and ",'-前文,'+互联网," in row and row.endswith(",-0")
    assert schema.read_table(path)["doc_id"].tolist() == ["=1+2"]


def test_every_table_has_described_typed_columns():
    for t in schema.TABLES.values():
        assert t.row and t.formats
        for c in t.columns:
            assert c.description, (t.name, c.name)
        assert set(t.key) <= set(t.names), t.name
    assert schema.table("facts").column("estimate").dtype == "bool"
    assert schema.table("panel").column("gdp_g_met").dtype == "int"
    with pytest.raises(KeyError, match="no table"):
        schema.table("factz")


def test_generated_docs_do_not_drift():
    assert schema.DICTIONARY_PATH.read_text(encoding="utf-8") == schema.data_dictionary(), \
        "docs/data_dictionary.md is stale: run python -m analysis.schema"
    current = schema.OUTPUTS_README_PATH.read_text(encoding="utf-8")
    assert schema.outputs_readme(current) == current, "outputs/README.md is stale: run python -m analysis.schema"
    for name in schema.TABLES:
        assert f"`{name}" in current


def test_bool_series_reads_a_nullable_boolean_column_with_missing_cells():
    flags = pd.Series([True, pd.NA, False], dtype="boolean")
    assert schema.bool_series(flags).tolist() == [True, False, False]
    assert schema.bool_series(flags, missing=None).isna().tolist() == [False, True, False]


def test_period_is_written_like_every_other_text_column(tmp_path):
    import pyarrow.parquet as pq

    facts = pd.DataFrame({"doc_id": ["a", "b"], "role": ["target", "outcome"], "indicator": ["gdp", "gdp"],
                          "period": ["2021", "2021-2025"], "quote": ["增长6.5%", "增长7%"]})
    [path] = schema.write_table(facts, tmp_path / "facts.parquet")
    types = pq.read_schema(path)
    assert schema.coerce(facts, "facts")["period"].dtype == object
    assert {str(types.field(c).type) for c in ("doc_id", "period", "quote")} == {str(types.field("quote").type)}
