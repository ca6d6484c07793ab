"""Extraction speed against jieba, and peak memory.

    .venv/bin/python benchmarks/bench_extract.py [--corpus seeds] [--repeat 20]

Times (a) extracting facts and assessments from the already-normalised documents and (b) jieba's
default tokenizer (``jieba.lcut``) over the same clean texts, ``--repeat`` passes each, alternating, and
prints characters per second for both and the ratio a/b over all passes and between the fastest passes
(goal: ≥ 5). Reading and normalising are timed
separately. Peak resident memory of the whole run is printed at the end (goal: < 500 MB).
"""

from __future__ import annotations

import argparse
import logging
import resource
import sys
import time
from pathlib import Path

import jieba

from analysis import corpus, extract
from analysis.paths import SEEDS_DIR


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(SEEDS_DIR))
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    start = time.perf_counter()
    docs = [d for d in corpus.load_corpus(Path(args.corpus)) if d.ok]
    load_s = time.perf_counter() - start
    chars = sum(len(d.text) for d in docs)
    if not chars:
        sys.exit(f"{args.corpus}: no usable documents")

    extract.extract_facts(docs)  # warm up (regexes, codebook)
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    # Passes alternate between the two so that a burst of load on a shared machine hits both alike;
    # each side's time is the total, and also its fastest pass (timeit's rule for noisy machines).
    extract_times, jieba_times = [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        facts, _ = extract.extract_facts(docs)
        extract_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        for d in docs:
            jieba.lcut(d.text)
        jieba_times.append(time.perf_counter() - start)
    extract_s, jieba_s = sum(extract_times), sum(jieba_times)

    total = chars * args.repeat
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"documents: {len(docs)}, clean characters: {chars:,}, repeats: {args.repeat}")
    print(f"load + normalise (once): {load_s:.2f} s ({chars / load_s:,.0f} chars/s)")
    print(f"extract: {extract_s:.2f} s, {total / extract_s:,.0f} chars/s, {len(facts)} facts per pass")
    print(f"jieba.lcut: {jieba_s:.2f} s, {total / jieba_s:,.0f} chars/s")
    print(f"extract / jieba throughput: {jieba_s / extract_s:.1f}x over all passes, "
          f"{min(jieba_times) / min(extract_times):.1f}x fastest pass against fastest pass (goal >= 5x)")
    print(f"peak resident memory: {peak_mb:.0f} MB (goal < 500 MB)")


if __name__ == "__main__":
    main()
