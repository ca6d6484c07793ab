"""Our report-year GDP growth targets against the literature's hand-coded provincial targets
(Li, Liu, Weng & Zhou 2019), on the shared corpus; plus the comparison rules on hand-made rows.

The corpus tests need ../shared (or $GWR_SHARED) for the gold and the corpus (unpacked by
tests/_shared_corpus.py); they skip cleanly without them. It takes about half a minute.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from _shared_corpus import corpus_root
from analysis.score import (_matches_text, corpus_report, meeting_year, provincial_agreement, read_adjudication,
                            target_agrees)

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GWR_SHARED") or REPO / ".." / "shared")
GOLD = SHARED / "gold" / "provincial_gdp_targets.csv"
ADJUDICATION = REPO / "tests" / "data" / "provincial_gold_adjudication.csv"


def test_target_agrees_under_the_gold_conventions():
    assert target_agrees({"value": 7.0, "value_high": 7.5, "comparator": "range"}, 7.25)  # a range's midpoint
    assert target_agrees({"value": 10.0, "value_high": None, "comparator": "at_least"}, 10.05)  # 10%以上
    assert target_agrees({"value": 10.0, "value_high": None, "comparator": "at_least"}, 10.0)
    assert not target_agrees({"value": 10.0, "value_high": None, "comparator": "approx"}, 10.05)
    assert not target_agrees({"value": 7.0, "value_high": 7.5, "comparator": "range"}, 7.0)
    assert not target_agrees(None, 8.0)


def test_adjudicated_case_must_match_the_text():
    case = pd.Series({"text_value": "11", "text_value_high": ""})
    assert _matches_text({"value": 11.0, "value_high": None}, case)
    assert not _matches_text({"value": 10.0, "value_high": None}, case)
    none = pd.Series({"text_value": "", "text_value_high": ""})  # the report states no numeric target
    assert _matches_text(None, none) and not _matches_text({"value": 9.0, "value_high": None}, none)


def test_meeting_year_from_the_date_line():
    assert meeting_year("政府工作报告\n——二〇一二年一月六日在某省第十一届人民代表大会第五次会议上") == 2012
    assert meeting_year("在某省第十一届人民代表大会第三次会议上（2010年1月26日）") == 2010
    assert meeting_year("各位代表：") is None


def test_adjudication_rows_without_a_reason_are_ignored(tmp_path):
    p = tmp_path / "adj.csv"
    p.write_text("province,year,gold,text_value,reason\n甲省,2001,9,8,report states 8%\n乙省,2002,9,8,\n",
                 encoding="utf-8")
    adj = read_adjudication(p)
    assert list(adj["province"]) == ["甲省"]


@pytest.mark.skipif(not GOLD.exists(), reason="needs ../shared gold")
def test_provincial_gdp_targets_agree_with_the_hand_coded_gold(tmp_path_factory):
    corpus = corpus_root(tmp_path_factory)
    gold = pd.read_csv(GOLD)
    adjudication = read_adjudication(ADJUDICATION)
    table = provincial_agreement(corpus, gold, adjudication)
    assert len(table) == gold["corpus_path"].notna().sum() == 439
    raw = (table["status"] == "agree").mean()
    assert raw >= 0.96, table[table["status"] != "agree"].to_string()
    if len(adjudication):
        # gold errors count only when listed with a reason and we read the text's own value
        assert table["status"].isin(["agree", "adjudicated"]).mean() >= 0.97


def test_corpus_report_metadata_from_the_folder(tmp_path_factory):
    corpus = corpus_root(tmp_path_factory)
    rel = next(iter(sorted(corpus.glob("政府工作报告-省自治区/*/2012.md"))), None)
    if rel is None:
        pytest.skip("no 2012 provincial report")
    doc = corpus_report(corpus, str(rel.relative_to(corpus)))
    assert doc.region == rel.parent.name and doc.doc_type == "work_report" and doc.level == "province"
    assert doc.doc_id == str(rel.relative_to(corpus).with_suffix("")) and doc.report_year in (2012, 2013)
