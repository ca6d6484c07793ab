"""The one map over documents: read, extract and tokenize every input file in a process pool.

``process_corpus(inputs, output_dir)`` runs ``process_file`` on each input file — read and normalise
it (``corpus.load_corpus``), extract its facts (``extract.extract_document``), measure its text
(``text.measure_text``) — in ``jobs`` worker processes (default: the cores this process may use),
storing each file's result in the incremental cache (``analysis.cache``). Results come back in
input order, so every table is identical whatever ``jobs`` is. Copies (same region, year and type)
are marked across the whole corpus afterwards, as ``corpus.load_corpus`` does.

The returned ``CorpusRun`` keeps only a small index in memory and streams per-document results from
the cache to build the documents, facts, emphasis, distinctive-terms and KWIC tables.

``map_in_order`` is the only place that knows about the executor: replace it to run elsewhere.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence, TypeVar

import pandas as pd

from .cache import ResultCache
from .corpus import Document, InputFile

T = TypeVar("T")
R = TypeVar("R")

# Below this many files a pool costs more than it saves.
MIN_FILES_FOR_POOL = 8


def default_jobs() -> int:
    """Cores this process may run on (``os.sched_getaffinity``), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _init_worker() -> None:
    """Build the expensive vocabularies once per worker process (the tokenizer, the indicator names)."""
    from . import text

    text.get_tokenizer()


def _progress(iterable: Iterable[T], total: int, desc: str, enabled: bool) -> Iterable[T]:
    if not enabled:
        return iterable
    # Plain text on stderr, also inside a kernel: the pipeline relays these lines to the terminal
    # (tqdm.auto would pick the widget bar, which needs ipywidgets and reaches no terminal).
    from tqdm import tqdm

    return tqdm(iterable, total=total, desc=desc, unit="doc", file=sys.stderr, leave=True)


def map_in_order(func: Callable[[T], R], items: Sequence[T], jobs: int | None = None, progress: bool = False,
                 desc: str = "documents") -> Iterator[R]:
    """``func`` over ``items`` in ``jobs`` processes; results in the order of ``items``.

    ``jobs`` None or 0 means ``default_jobs()``; one job, or very few items, runs in this process.
    ``func`` must be a module-level function of picklable arguments.
    """
    jobs = jobs or default_jobs()
    if not items:
        return
    if jobs <= 1 or len(items) < MIN_FILES_FOR_POOL:
        _init_worker()
        yield from _progress(map(func, items), len(items), desc, progress)
        return
    chunk = max(1, min(8, len(items) // (jobs * 8)))
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker) as pool:
        yield from _progress(pool.map(func, items, chunksize=chunk), len(items), desc, progress)


# --------------------------------------------------------------------------- one document


@dataclass
class DocResult:
    """Everything later steps need from one document, without its raw text or offset map."""

    doc: Document  # slim: ``raw_text``, ``clean_to_raw`` and removed texts dropped; ``text`` kept
    row: dict[str, Any]  # its documents-table row
    row_types: dict[str, str]  # nullable column types of that row (Int64 ...)
    removed: list[dict[str, Any]]  # its removed-spans rows
    facts: list[dict[str, Any]]
    assessments: list[dict[str, Any]]
    token_counts: dict[str, int] = field(default_factory=dict)
    mentions: list[tuple[str, str, int, int]] = field(default_factory=list)


def process_document(doc: Document) -> DocResult:
    """Extract and measure one loaded document (a pure function of the document and the vocabularies)."""
    from . import corpus, extract, text

    frame = corpus.documents_table([doc])
    row = {c: _plain(v) for c, v in frame.iloc[0].items()}
    row_types = {c: str(t) for c, t in frame.dtypes.items() if str(t) in _NULLABLE_TYPES}
    removed = corpus.removed_spans_table([doc]).to_dict("records")
    facts, assessments = extract.extract_document(doc)
    measures = text.measure_text(doc.text) if doc.ok else text.TextMeasures({}, [])
    slim = dataclasses.replace(doc, raw_text="", clean_to_raw=[], removed=[], warnings=list(doc.warnings))
    return DocResult(slim, row, row_types, removed, facts, assessments, measures.token_counts, measures.mentions)


# Nullable column types the documents table may use; other columns are inferred as it infers them.
_NULLABLE_TYPES = frozenset({"Int64", "Int32", "Int16", "Int8", "boolean", "Float64"})


def _plain(value: Any) -> Any:
    """A table cell as a plain Python value (NA → None), so rows rebuild the table as it was built."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value.item() if hasattr(value, "item") else value


def process_file(item: InputFile) -> list[DocResult]:
    """Read one input file (a table file may hold several documents) and process each document."""
    from . import corpus

    return [process_document(d) for d in corpus.load_input(item)]


# --------------------------------------------------------------------------- the corpus


@dataclass
class _Entry:
    key: str
    doc_ids: list[str]


class CorpusRun:
    """The processed corpus: a small index in memory, per-document results in the cache."""

    def __init__(self, cache: ResultCache, entries: list[_Entry], docs: list[Document], read: int):
        self.cache = cache
        self._entries = entries
        self.docs = docs  # slim documents (clean text kept), copies marked, in input order
        self.read = read  # files read this run (not found in the cache)
        self._status = {d.doc_id: (d.status, d.copy_of, list(d.warnings)) for d in docs}

    def results(self, only_ok: bool = False) -> Iterator[DocResult]:
        """Per-document results in input order, with the corpus-wide status (copies marked)."""
        for i in range(len(self._entries)):
            for res in self._load_entry(i):
                if not only_ok or res.doc.ok:
                    yield res

    # ----- tables

    def documents_table(self) -> pd.DataFrame:
        from . import corpus

        rows, types = [], {}
        for r in self.results():
            rows.append(r.row)
            types.update(r.row_types)
        columns = list(rows[0]) if rows else list(corpus.documents_table([]).columns)
        df = pd.DataFrame(rows, columns=columns)
        return df.astype(types) if types else df

    def removed_spans_table(self) -> pd.DataFrame:
        from . import corpus

        return pd.DataFrame([row for r in self.results() for row in r.removed],
                            columns=corpus.REMOVED_COLUMNS)

    def facts_tables(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Facts and assessments of the usable documents (copies and unreadable files give none)."""
        from . import extract

        facts: list[dict] = []
        assessments: list[dict] = []
        for r in self.results(only_ok=True):
            facts += r.facts
            assessments += r.assessments
        return (extract.typed_frame(facts, extract.FACT_COLUMNS),
                extract.typed_frame(assessments, extract.ASSESSMENT_COLUMNS))

    def write_clean(self, out_dir: str | os.PathLike) -> list[Path]:
        """Each document's clean text in ``out_dir/<doc_id>.txt`` (as ``corpus.write_normalized``)."""
        from . import corpus

        written = []
        for r in self.results():
            if r.doc.text:
                (Path(out_dir) / f"{r.doc.doc_id}.txt").parent.mkdir(parents=True, exist_ok=True)  # ids hold folders
            written += corpus.write_normalized([r.doc], out_dir)
        return written

    def text_tables(self, regions: Sequence[str] | None = None, years: Sequence | None = None,
                    kwic_per_term: int | None = 50, kwic_window: int = 20,
                    distinctive_top: int = 30) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """Emphasis, distinctive terms and KWIC of the usable documents (optionally only some regions
        and report years), streamed one document at a time; KWIC keeps ``kwic_per_term`` lines per term."""
        from . import filters, text

        emphasis_rows: list[dict] = []
        by_region: dict[str, Counter] = {}
        collector = text.KwicCollector(kwic_per_term, kwic_window)
        ok = [d for d in self.docs if d.ok]
        wanted = {d.doc_id for d in filters.select_documents(ok, regions=regions, years=years)}
        for res in self._results_by_doc_id(wanted):
            d = res.doc
            emphasis_rows += text.emphasis_rows(d.doc_id, d.region, d.report_year, d.doc_type, len(d.text),
                                                res.mentions)
            if d.region:
                by_region.setdefault(d.region, Counter()).update(res.token_counts)
            collector.add(d.doc_id, d.region, d.report_year, d.text, res.mentions)
        return (text.emphasis_frame(emphasis_rows),
                text.distinctive_from_counts(by_region, top_n=distinctive_top),
                collector.table())

    def _results_by_doc_id(self, wanted: set[str]) -> Iterator[DocResult]:
        order = sorted((doc_id, i) for i, e in enumerate(self._entries) for doc_id in e.doc_ids if doc_id in wanted)
        for doc_id, i in order:
            for res in self._load_entry(i):
                if res.doc.doc_id == doc_id and res.doc.ok:
                    yield res

    def _load_entry(self, i: int) -> list[DocResult]:
        """One file's results from the cache, with the corpus-wide status (copies marked)."""
        out = []
        for res in self.cache.load(self._entries[i].key):
            status, copy_of, warnings = self._status[res.doc.doc_id]
            if status != res.doc.status:
                res.doc.status, res.doc.copy_of, res.doc.warnings = status, copy_of, warnings
                res.row.update({k: v for k, v in (("status", status), ("copy_of", copy_of),
                                                  ("warnings", "; ".join(warnings))) if k in res.row})
            out.append(res)
        return out


def _index_docs(results: list[DocResult]) -> list[Document]:
    """Metadata-only copies of the documents (no text) for the in-memory index."""
    return [dataclasses.replace(r.doc, text="", warnings=list(r.doc.warnings)) for r in results]


def process_corpus(inputs: str | os.PathLike | Sequence[str | os.PathLike], output_dir: str | os.PathLike | None,
                   jobs: int | None = None, use_cache: bool = True, progress: bool = False,
                   glob: str | None = None, cache_dir: str | os.PathLike | None = None) -> CorpusRun:
    """Read, extract and measure every input file in ``jobs`` processes, caching each file's results
    under ``cache_dir`` (default ``output_dir/cache``).

    Files, doc_ids and sidecar fields are those of ``corpus.load_corpus`` (``corpus.plan_inputs``);
    every input appears in the result (unreadable ones with their status).
    """
    from . import corpus

    cache = ResultCache(output_dir, enabled=use_cache, root=cache_dir)
    items = corpus.plan_inputs(inputs, glob=glob)
    # The key covers the file's bytes and everything its place decides (doc_id, path metadata, sidecar).
    keys = [cache.key(item.path, json.dumps([item.doc_id, item.use_path, item.overrides], ensure_ascii=False))
            for item in items]
    # Only a slim index stays in memory: each result goes to the cache as soon as it is known.
    index: dict[int, list[Document]] = {}
    todo: list[int] = []
    for i, key in enumerate(keys):
        hit = cache.get(key)
        if hit is None:
            todo.append(i)
        else:
            index[i] = _index_docs(hit)
    for i, results in zip(todo, map_in_order(process_file, [items[i] for i in todo], jobs, progress)):
        cache.put(keys[i], results)
        index[i] = _index_docs(results)
    docs = [d for i in range(len(keys)) for d in index[i]]
    entries = [_Entry(key, [d.doc_id for d in index[i]]) for i, key in enumerate(keys)]
    corpus.mark_copies(docs)
    return CorpusRun(cache, entries, docs, read=len(todo))
