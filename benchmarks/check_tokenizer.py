"""Does rjieba (the project tokenizer) give jieba's kept tokens on a whole corpus, and how much faster?

    .venv/bin/python benchmarks/check_tokenizer.py [--corpus DIR] [--examples 20]

The corpus is ``--corpus``, else ``$GWR_CORPUS_DIR`` (or ``$GWR_CORPUS``), else ``/tmp/gwr`` when
unpacked there, else the archives in ``$GWR_SHARED/corpora`` (default ``../shared/corpora``)
unpacked into a temporary folder. Each report is read and normalised as the pipeline does
(``corpus.plan_inputs`` + ``corpus.load_input``); its clean text is tokenized by both
(``text.token_spans`` and ``text.reference_token_spans``) and the kept ``(token, start, end)`` lists
are compared. Prints documents, characters, documents identical, tokens compared, mismatching tokens
with examples, and each side's throughput (tokenize and keep filter, as ``measure_text`` pays).
Exits 1 when any kept token differs. One process; reading the 3,004 shared reports takes minutes.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis import corpus, text  # noqa: E402
from analysis.paths import PROJECT_DIR  # noqa: E402


def find_corpus(given: str | None, tmp: Path) -> Path | None:
    """The corpus folder: given, $GWR_CORPUS_DIR / $GWR_CORPUS, /tmp/gwr, or the shared archives unpacked."""
    for folder in (given, os.environ.get("GWR_CORPUS_DIR"), os.environ.get("GWR_CORPUS"), "/tmp/gwr"):
        if folder and Path(folder).is_dir() and any(Path(folder).iterdir()):
            return Path(folder)
    shared = Path(os.environ.get("GWR_SHARED") or PROJECT_DIR / ".." / "shared")
    archives = sorted((shared / "corpora").glob("*.tar.xz"))
    if not archives:
        return None
    for archive in archives:
        with tarfile.open(archive) as tar:
            tar.extractall(tmp, filter="data")
    return tmp


def differences(doc_id: str, ref: list, new: list) -> list[tuple[str, int, list[str], list[str]]]:
    """Each run of differing kept tokens: (doc, first character, jieba's tokens, rjieba's tokens)."""
    runs = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ref, new, autojunk=False).get_opcodes():
        if op != "equal":
            pos = ref[i1][1] if i1 < len(ref) else new[j1][1]
            runs.append((doc_id, pos, [f"{t}@{s}-{e}" for t, s, e in ref[i1:i2]],
                         [f"{t}@{s}-{e}" for t, s, e in new[j1:j2]]))
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus")
    parser.add_argument("--examples", type=int, default=20)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = find_corpus(args.corpus, Path(tmp))
        if root is None:
            sys.exit("no corpus: pass --corpus, set GWR_CORPUS_DIR, or put the archives in ../shared/corpora")
        new_tk, ref_tk = text.get_tokenizer(), text.jieba_tokenizer()  # built before any timing
        docs = chars = identical = compared = mismatched = 0
        seconds = {"jieba": 0.0, "rjieba": 0.0}  # tokenize + keep filter, as ``measure_text`` pays
        examples: list[tuple] = []
        for n, item in enumerate(corpus.plan_inputs(root), start=1):
            for doc in corpus.load_input(item):
                if not doc.ok:
                    continue
                s = doc.text
                t0 = time.perf_counter()
                ref = list(text.reference_token_spans(s))
                t1 = time.perf_counter()
                new = list(text.token_spans(s))
                seconds["jieba"] += t1 - t0
                seconds["rjieba"] += time.perf_counter() - t1
                docs, chars, compared = docs + 1, chars + len(s), compared + len(ref)
                if ref == new:
                    identical += 1
                else:
                    mismatched += len(set(ref) ^ set(new))
                    examples += differences(doc.doc_id, ref, new)
            if n % 250 == 0:
                print(f"... {n} files, {docs} documents, {identical} identical", file=sys.stderr, flush=True)

    print(f"corpus: {root}")
    print(f"documents: {docs:,}, clean characters: {chars:,}")
    print(f"documents identical: {identical:,} of {docs:,}")
    print(f"kept tokens compared (jieba's): {compared:,}; mismatching tokens (either side): {mismatched:,}")
    for doc_id, pos, ref_tokens, new_tokens in examples[:args.examples]:
        print(f"  {doc_id} @{pos}: jieba {' '.join(ref_tokens) or '-'} | rjieba {' '.join(new_tokens) or '-'}")
    if len(examples) > args.examples:
        print(f"  ... {len(examples) - args.examples} more differing runs")
    print(f"throughput (tokenize + keep filter): jieba {chars / seconds['jieba']:,.0f} chars/s "
          f"({seconds['jieba']:.1f} s), rjieba {chars / seconds['rjieba']:,.0f} chars/s "
          f"({seconds['rjieba']:.1f} s), ratio {seconds['jieba'] / seconds['rjieba']:.1f}x")
    sys.exit(1 if mismatched else 0)


if __name__ == "__main__":
    main()
