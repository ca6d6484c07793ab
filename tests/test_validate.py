"""Output validation: each table against its schema, and the cross-table invariants."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis import schema, validate


def _folder(tmp_path, facts_rows=None, tvo_rows=None):
    docs = pd.DataFrame({"doc_id": ["a", "b"], "region": ["荔湾区", "荔湾区"], "report_year": [2021, 2022],
                         "doc_type": ["work_report"] * 2, "status": ["ok", "ok"]})
    facts = pd.DataFrame(facts_rows or [
        {"doc_id": "a", "region": "荔湾区", "role": "target", "period": "2021", "indicator": "gdp",
         "measure": "growth_pct", "value": 6.0, "stretch": False, "derived": False, "quote": "增长6%左右"},
        {"doc_id": "b", "region": "荔湾区", "role": "outcome", "period": "2021", "indicator": "gdp",
         "measure": "growth_pct", "value": 6.5, "stretch": False, "derived": False, "quote": "增长6.5%"}])
    tvo = pd.DataFrame(tvo_rows or [
        {"region": "荔湾区", "indicator": "gdp", "measure": "growth_pct", "period": "2021", "status": "met",
         "target_doc": "a", "outcome_doc": "b", "target_quote": "增长6%左右", "outcome_quote": "增长6.5%",
         "derived": False}])
    for name, df in (("documents", docs), ("facts", facts), ("targets_vs_outcomes", tvo)):
        df = df.reindex(columns=[c for c in schema.table(name).names if c in df.columns or schema.table(name).column(c).required])
        schema.write_table(df, tmp_path / f"{name}.csv")
    return tmp_path


def test_a_consistent_folder_is_valid(tmp_path):
    assert validate.validate_outputs(_folder(tmp_path)) == []


def test_a_pair_whose_fact_is_missing_is_named(tmp_path):
    out = _folder(tmp_path)
    tvo = schema.read_table(out / "targets_vs_outcomes.csv")
    tvo.loc[0, "outcome_quote"] = "增长9.9%"
    schema.write_table(tvo, out / "targets_vs_outcomes.csv")
    problems = validate.validate_outputs(out)
    assert len(problems) == 1 and "outcome quote that is not in facts.csv" in problems[0]


def test_a_computed_span_outcome_cites_its_documents_not_a_quote(tmp_path):
    # a plan target's span outcome computed from yearly outcomes (match.py) has a summary as its quote
    computed = {"region": "荔湾区", "indicator": "gdp", "measure": "growth_pct", "period": "2021-2022",
                "status": "met", "target_doc": "a", "outcome_doc": "a;b", "target_quote": "增长6%左右",
                "outcome_quote": "mean of yearly outcomes: 2021 6.5 | 2022 6", "derived": False,
                "comparison": "span_computed"}
    assert validate.validate_outputs(_folder(tmp_path, tvo_rows=[computed])) == []
    stray = dict(computed, outcome_doc="a;zz")
    problems = validate.validate_outputs(_folder(tmp_path, tvo_rows=[stray]))
    assert len(problems) == 1 and "computed span outcome" in problems[0] and "zz" in problems[0]
    # an ordinary pair still needs its quote among the facts
    plain = dict(computed, comparison="same_period", outcome_doc="b")
    assert "outcome quote that is not in facts.csv" in validate.validate_outputs(_folder(tmp_path, tvo_rows=[plain]))[0]


def test_wrong_type_unknown_value_unknown_column_and_duplicate_key_are_named(tmp_path):
    out = _folder(tmp_path)
    path = out / "documents.csv"
    text = path.read_text(encoding="utf-8").replace("2022", "twenty").replace("work_report\n", "work_report\n", 1)
    path.write_text(text, encoding="utf-8")
    assert any("report_year should be int" in p and "'twenty'" in p for p in validate.validate_outputs(out))
    facts = schema.read_table(out / "facts.csv")
    facts.loc[0, "role"] = "promise"
    facts["colour"] = "red"
    facts.to_csv(out / "facts.csv", index=False)
    problems = validate.validate_outputs(out)
    assert any("'promise'" in p and "not one of target, outcome" in p for p in problems)
    assert any("column 'colour' is not in analysis/schema.py" in p for p in problems)
    docs = pd.DataFrame({"doc_id": ["a", "a"], "status": ["ok", "ok"], "region": ["x", "x"]})
    schema.write_table(docs, out / "documents.csv")
    assert any("share a key (doc_id)" in p for p in validate.validate_outputs(out))


def test_manifest_counts_must_equal_rows(tmp_path):
    out = _folder(tmp_path)
    (out / "manifest.json").write_text(json.dumps({"row_counts": {"facts": 5}}), encoding="utf-8")
    problems = validate.validate_outputs(out)
    assert problems == ["manifest.json: facts has 5 rows in the manifest but 2 in facts.csv"]
    with pytest.raises(validate.ValidationError, match="facts has 5 rows"):
        validate.check(out)


def test_facts_of_an_unread_document_are_named(tmp_path):
    out = _folder(tmp_path)
    docs = schema.read_table(out / "documents.csv")
    schema.write_table(docs[docs["doc_id"] == "a"], out / "documents.csv")
    assert any("facts.csv: 1 doc_id(s) not in documents.csv, e.g. b" in p for p in validate.validate_outputs(out))
