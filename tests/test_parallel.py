"""analysis.parallel: the map over documents gives the same tables whatever the number of workers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import corpus, extract, parallel, text
from analysis.paths import SEEDS_DIR


@pytest.fixture(scope="module")
def seed_corpus(tmp_path_factory) -> Path:
    """The seeds twice, in two sub-folders (so the second copy of each report is a copy), 10 files."""
    root = tmp_path_factory.mktemp("corpus")
    for sub in ("a", "b"):
        shutil.copytree(SEEDS_DIR, root / sub)
    return root


def _tables(run: parallel.CorpusRun) -> dict[str, pd.DataFrame]:
    facts, assessments = run.facts_tables()
    emphasis, distinctive, kwic = run.text_tables(kwic_per_term=None)
    return {"documents": run.documents_table(), "removed": run.removed_spans_table(), "facts": facts,
            "assessments": assessments, "emphasis": emphasis, "distinctive": distinctive, "kwic": kwic}


def test_two_workers_give_the_same_tables_as_one(seed_corpus, tmp_path):
    assert len(corpus.plan_inputs(seed_corpus)) >= parallel.MIN_FILES_FOR_POOL  # the pool is used
    one = _tables(parallel.process_corpus(seed_corpus, tmp_path / "one", jobs=1))
    two = _tables(parallel.process_corpus(seed_corpus, tmp_path / "two", jobs=2))
    for name in one:
        pd.testing.assert_frame_equal(one[name], two[name], obj=name)
    assert len(one["facts"]) > 100


def test_same_tables_as_the_document_by_document_functions(tmp_path):
    docs = corpus.load_corpus(SEEDS_DIR)
    run = parallel.process_corpus(SEEDS_DIR, tmp_path, jobs=1, use_cache=False)
    got = _tables(run)
    pd.testing.assert_frame_equal(got["documents"], corpus.documents_table(docs))
    pd.testing.assert_frame_equal(got["removed"], corpus.removed_spans_table(docs))
    facts, assessments = extract.extract_facts(docs)
    pd.testing.assert_frame_equal(got["facts"], facts)
    pd.testing.assert_frame_equal(got["assessments"], assessments)
    pd.testing.assert_frame_equal(got["emphasis"], text.emphasis_table(docs))
    pd.testing.assert_frame_equal(got["distinctive"], text.distinctive_terms(docs))
    pd.testing.assert_frame_equal(got["kwic"], text.kwic(docs))


def test_copies_across_folders_are_marked_and_give_no_facts(seed_corpus, tmp_path):
    run = parallel.process_corpus(seed_corpus, tmp_path, jobs=1)
    documents = run.documents_table()
    assert documents["doc_id"].str.startswith("a/").sum() == 5
    copies = documents[documents["status"] == "copy"]
    assert len(copies) == 5 and copies["doc_id"].str.startswith("b/").all()
    facts, _ = run.facts_tables()
    assert facts["doc_id"].str.startswith("a/").all()


def test_doc_id_is_the_path_under_the_corpus_root(seed_corpus):
    names = [item.doc_id for item in corpus.plan_inputs(seed_corpus)]
    assert names[0] == "a/" + sorted(SEEDS_DIR.iterdir())[0].stem
    assert [item.doc_id for item in corpus.plan_inputs([SEEDS_DIR / names[0].split("/")[1]])] == [names[0][2:]]


def test_map_in_order_keeps_order_with_a_pool():
    items = list(range(40))
    assert list(parallel.map_in_order(abs, [-i for i in items], jobs=2)) == items


def test_unreadable_file_is_kept_with_its_status(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(sorted(SEEDS_DIR.iterdir())[0], folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    run = parallel.process_corpus(folder, tmp_path / "out", jobs=1)
    documents = run.documents_table().set_index("doc_id")
    assert documents.loc["empty", "status"] == "empty"
    assert "empty.txt" in documents.loc["empty", "warnings"]
    assert documents.loc["good", "status"] == "ok"


def test_default_jobs_is_the_cores_available():
    assert parallel.default_jobs() >= 1
