"""analysis.cache: per-document results re-read only when the file or the package changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import cache, parallel
from analysis.paths import DATA_DIR


def write_report(path: Path, district: str, year: int, growth: float) -> None:
    """A short work report in the genre's style (hand-written for the tests)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = (f"{district}{year}年政府工作报告\n"
            f"——{year}年1月10日在{district}第一届人民代表大会第三次会议上\n"
            "各位代表：\n"
            f"现在，我代表{district}人民政府，向大会报告工作，请予审议。\n"
            f"一、{year - 1}年工作回顾\n"
            f"过去一年，全区实现地区生产总值{300 + growth * 10:.2f}亿元，增长{growth:.1f}%。"
            "一般公共预算收入20.5亿元，增长6.1%。我们坚持创新驱动，推进营商环境改革，加强生态环境保护。\n"
            f"二、{year}年工作安排\n"
            f"{year}年经济社会发展的主要预期目标是：地区生产总值增长{growth - 0.5:.1f}%左右，"
            "一般公共预算收入增长5%，城镇登记失业率控制在3.5%以内。\n"
            "我们要深化改革开放，推动数字经济发展，办好民生实事。\n")
    path.write_text(body * 1, encoding="utf-8")


def make_corpus(root: Path, districts: list[str], years=(2019, 2020)) -> None:
    for i, district in enumerate(districts):
        for year in years:
            write_report(root / district / f"{year}.txt", district, year, 6.0 + i * 0.1)


DISTRICTS = ["甲山区", "乙水区", "丙林区", "丁河区", "戊田区", "己湖区", "庚石区", "辛桥区"]


def test_adding_ten_reports_rereads_only_those_ten(tmp_path):
    corpus_dir, out = tmp_path / "corpus", tmp_path / "out"
    make_corpus(corpus_dir, DISTRICTS[:3])
    first = parallel.process_corpus(corpus_dir, out, jobs=1)
    assert first.read == 6
    facts_before, _ = first.facts_tables()
    assert (facts_before["role"] == "target").any() and (facts_before["role"] == "outcome").any()
    make_corpus(corpus_dir, DISTRICTS[3:8])  # five districts × two years = ten new reports
    second = parallel.process_corpus(corpus_dir, out, jobs=1)
    assert second.read == 10
    assert len(second.docs) == 16
    third = parallel.process_corpus(corpus_dir, out, jobs=1)
    assert third.read == 0
    facts_cached, _ = third.facts_tables()
    facts_fresh, _ = parallel.process_corpus(corpus_dir, tmp_path / "fresh", jobs=1, use_cache=False).facts_tables()
    pd.testing.assert_frame_equal(facts_cached, facts_fresh)


def test_a_changed_file_is_read_again(tmp_path):
    corpus_dir, out = tmp_path / "corpus", tmp_path / "out"
    make_corpus(corpus_dir, DISTRICTS[:2])
    parallel.process_corpus(corpus_dir, out, jobs=1)
    write_report(corpus_dir / DISTRICTS[0] / "2020.txt", DISTRICTS[0], 2020, 9.9)
    run = parallel.process_corpus(corpus_dir, out, jobs=1)
    assert run.read == 1
    facts, _ = run.facts_tables()
    assert 9.9 in set(facts["value"])


def test_a_changed_codebook_invalidates_everything(tmp_path, monkeypatch):
    corpus_dir, out = tmp_path / "corpus", tmp_path / "out"
    make_corpus(corpus_dir, DISTRICTS[:2])
    assert parallel.process_corpus(corpus_dir, out, jobs=1).read == 4
    assert parallel.process_corpus(corpus_dir, out, jobs=1).read == 0
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    with open(data / "codebook.csv", "a", encoding="utf-8") as fh:
        fh.write("\n")  # any byte changed
    monkeypatch.setattr(cache, "DATA_DIR", data)
    cache.package_fingerprint.cache_clear()
    try:
        run = parallel.process_corpus(corpus_dir, out, jobs=1)
        assert run.read == 4
        # entries of the old fingerprint are gone
        assert [p.name for p in (out / cache.CACHE_DIRNAME).iterdir()] == [cache.package_fingerprint()]
    finally:
        cache.package_fingerprint.cache_clear()


def test_no_cache_reads_everything_and_writes_nothing(tmp_path):
    corpus_dir, out = tmp_path / "corpus", tmp_path / "out"
    make_corpus(corpus_dir, DISTRICTS[:2])
    parallel.process_corpus(corpus_dir, out, jobs=1)
    run = parallel.process_corpus(corpus_dir, tmp_path / "out2", jobs=1, use_cache=False)
    assert run.read == 4
    assert not (tmp_path / "out2" / cache.CACHE_DIRNAME).exists()


def test_a_damaged_entry_is_a_miss(tmp_path):
    store = cache.ResultCache(tmp_path)
    key = store.key(__file__, "x")
    store.put(key, [1, 2])
    assert store.get(key) == [1, 2]
    next(store.folder.rglob("*.pkl")).write_bytes(b"not a pickle")
    assert store.get(key) is None


@pytest.mark.parametrize("name", ["a", "b"])
def test_key_depends_on_content_and_name(tmp_path, name):
    f = tmp_path / "r.txt"
    f.write_text("一", encoding="utf-8")
    store = cache.ResultCache(tmp_path)
    k1 = store.key(f, name)
    assert k1 != store.key(f, name + "x")
    f.write_text("二", encoding="utf-8")
    assert k1 != store.key(f, name)


def test_report_and_figure_modules_do_not_invalidate_but_extraction_does(tmp_path, monkeypatch):
    import analysis

    pkg = tmp_path / "pkg"
    shutil.copytree(Path(analysis.__file__).parent, pkg, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "PACKAGE_DIR", pkg)
    cache.package_fingerprint.cache_clear()
    try:
        before = cache.package_fingerprint()
        (pkg / "report.py").write_text("# changed\n", encoding="utf-8")
        cache.package_fingerprint.cache_clear()
        assert cache.package_fingerprint() == before
        (pkg / "extract.py").write_text("# changed\n", encoding="utf-8")
        cache.package_fingerprint.cache_clear()
        assert cache.package_fingerprint() != before
    finally:
        cache.package_fingerprint.cache_clear()
