"""The notebook runner's scheduling: kernels warm ahead, at most so many at once, in dependency order."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from analysis import scheduler, warmup


def test_warmup_lists_imports_and_builds_state_only_for_a_module_used_directly() -> None:
    cells = ["from analysis import parallel, text\nimport pandas as pd", "%matplotlib inline"]
    names = warmup.notebook_imports(cells)
    assert names[:3] == ["analysis.parallel", "analysis.text", "pandas"]
    assert "analysis.text:get_tokenizer" in names
    only_lazy = warmup.notebook_imports(["from analysis import report"])
    assert "weasyprint" in only_lazy and not any(":" in n for n in only_lazy)
    # process_corpus tokenizes in its kernel (or in workers forked from it): it loads the tokenizer ahead.
    assert "analysis.text:get_tokenizer" in warmup.notebook_imports(["from analysis import parallel"])


def test_import_modules_survives_what_does_not_import(monkeypatch) -> None:
    calls = []
    monkeypatch.setattr("analysis.text.get_tokenizer", lambda: calls.append(1))
    warmup.import_modules("no_such_module_xyz,analysis.no_such,analysis.text:get_tokenizer,os:no_such_function")
    assert calls == [1]


def test_kernels_warm_at_most_so_many_at_once_and_in_order(monkeypatch) -> None:
    """Four independent notebooks, one kernel warming at a time: warm-ups never overlap, every notebook
    runs once, and a notebook's kernel starts only after those of the notebooks it needs."""
    lock = threading.Lock()
    warming: list[str] = []
    overlap: list[int] = []
    started: list[str] = []

    class FakeKernel:
        def __init__(self, name: str) -> None:
            self.name = name

    def fake_start(cwd: Path, warm=(), kernel_name: str = "", name: str = "") -> FakeKernel:
        name = warm[0]
        with lock:
            started.append(name)
            warming.append(name)
            overlap.append(len(warming))
        return FakeKernel(name)

    def fake_warm(km: FakeKernel, timeout: float = 0) -> None:
        time.sleep(0.05)
        with lock:
            warming.remove(km.name)

    monkeypatch.setattr(scheduler, "start_kernel", fake_start)
    monkeypatch.setattr(scheduler, "wait_until_warm", fake_warm)
    monkeypatch.setattr(scheduler, "stop_kernel", lambda km: None)
    paths = [Path(f"/nb/0{i}_x.py") for i in range(1, 5)]
    needs = {paths[0]: set(), paths[1]: {"01"}, paths[2]: {"01"}, paths[3]: {"02", "03"}}
    warm = {p: [p.name[:2]] for p in paths}
    ran = scheduler.run_graph(paths, needs, lambda p, km: (p.name[:2], km.name), jobs=2, warm=warm,
                              warm_at_once=1)
    assert sorted(ran) == [("01", "01"), ("02", "02"), ("03", "03"), ("04", "04")]
    assert max(overlap) == 1
    assert started.index("04") > max(started.index("02"), started.index("03"))
    assert [r[0] for r in ran].index("04") == 3
