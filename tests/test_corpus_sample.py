"""The hand-coded sample of the shared corpus (tests/data/corpus_sample_facts*.csv, coded by hand and
checked a second time) scored with the same scorer as ``analysis score``.

Needs the shared corpus (see tests/_shared_corpus.py) and the sample files; skips without them.
Goal F1 >= 0.95; the assertion is the level reached so far (see the README for the number).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from _shared_corpus import corpus_root
from analysis.extract import extract_facts
from analysis.schema import read_table
from analysis.score import corpus_report, format_score, score_facts

REPO = Path(__file__).resolve().parents[1]
SAMPLES = sorted((REPO / "tests" / "data").glob("corpus_sample_facts*.csv"))


@pytest.mark.skipif(not SAMPLES, reason="needs the hand-coded sample")
def test_corpus_sample_f1(tmp_path_factory):
    corpus = corpus_root(tmp_path_factory)
    gold = pd.concat([read_table(p) for p in SAMPLES], ignore_index=True)
    docs = [corpus_report(corpus, f"{d}.md") for d in sorted(set(gold["doc_id"]))]
    assert all(d.ok for d in docs), [d.doc_id for d in docs if not d.ok]
    facts, _ = extract_facts(docs)
    score = score_facts(facts, gold)
    print(format_score(score, title="corpus sample", max_rows=20))
    assert score.f1 >= 0.97, format_score(score, title="corpus sample")
    assert score.wrong_values <= 0.03 * len(gold)  # a wrong number is worse than a missing one
