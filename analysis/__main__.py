"""Command line: one sub-command per step (``python -m analysis --help``)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

from .paths import OUTPUTS_DIR, SEEDS_DIR


def _check_loaded(docs, inputs: Sequence[str]) -> None:
    """Print one line per problem to stderr; stop when nothing could be read."""
    for doc in docs:
        for warning in doc.warnings:
            # Each problem line names the file once (the reader's own lines already start with it).
            print(warning if warning.startswith(str(doc.path)) else f"{doc.path}: {warning}", file=sys.stderr)
    if not any(d.ok for d in docs):
        print(f"error: no document could be read from {' '.join(inputs)}", file=sys.stderr)
        raise SystemExit(1)


def _load(inputs: Sequence[str], glob: str | None = None):
    """Load the corpus in this process (the commands that need every document's text at once)."""
    from . import corpus

    docs = corpus.load_corpus(list(inputs), glob=glob)
    _check_loaded(docs, inputs)
    return docs


def _process(args: argparse.Namespace):
    """Read and extract every input in ``--jobs`` worker processes (the pipeline's map over documents);
    per-document results live in a temporary folder for this command only."""
    from . import parallel

    inputs = list(args.inputs)
    run = parallel.process_corpus(inputs, None, jobs=args.jobs or None,
                                  use_cache=False, glob=args.glob, progress=sys.stderr.isatty())
    _check_loaded(run.docs, inputs)
    return run


def cmd_corpus(args: argparse.Namespace) -> int:
    from . import corpus

    table = _process(args).documents_table()
    if args.format == "csv":
        table.to_csv(sys.stdout, index=False)
    else:
        print(corpus.format_documents_table(table))
    return 0


def cmd_normalize(args: argparse.Namespace) -> int:
    from . import corpus

    docs = _load(args.inputs, args.glob)
    paths = corpus.write_normalized(docs, Path(args.out))
    print(f"wrote {len(paths)} clean texts to {args.out}")
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from . import schema

    run = _process(args)
    facts, assessments = run.facts_tables()
    for doc in run.docs:
        if not doc.ok:
            print(f"{doc.doc_id}: skipped ({doc.status}{', copy of ' + doc.copy_of if doc.copy_of else ''})")
            continue
        f = facts[facts["doc_id"] == doc.doc_id]
        a = assessments[assessments["doc_id"] == doc.doc_id]
        print(f"{doc.doc_id}: {doc.region or '?'} {doc.report_year or '?'} {doc.doc_type or '?'} — "
              f"{(f['role'] == 'target').sum()} targets, {(f['role'] == 'outcome').sum()} outcomes, "
              f"{len(a)} assessments")
    schema.write_table(facts, Path(args.out), "facts")
    if args.assessments:
        schema.write_table(assessments, Path(args.assessments), "assessments")
    return 0


def _beside(facts_path: Path) -> Path | None:
    """The assessments table conventionally stored beside a facts table (…facts… → …assessments…)."""
    if "facts" not in facts_path.name:
        return None
    return facts_path.with_name(facts_path.name.replace("facts", "assessments"))


def cmd_score(args: argparse.Namespace) -> int:
    from . import schema, score

    facts = schema.read_table(Path(args.facts))
    gold = schema.read_table(Path(args.gold))
    print(score.format_score(score.score_facts(facts, gold), title="facts"))
    gold_assessments = Path(args.gold_assessments) if args.gold_assessments else _beside(Path(args.gold))
    assessments = Path(args.assessments) if args.assessments else _beside(Path(args.facts))
    if gold_assessments and assessments and gold_assessments.exists() and assessments.exists():
        print()
        print(score.format_score(score.score_assessments(schema.read_table(assessments),
                                                         schema.read_table(gold_assessments)),
                                 title="assessments"))
    return 0


def cmd_match(args: argparse.Namespace) -> int:
    from . import match, schema

    facts = schema.read_table(Path(args.facts))
    assessments = schema.read_table(Path(args.assessments)) if args.assessments else None
    tvo = match.match_targets(facts, assessments)
    panel = match.build_panel(tvo)
    paths = match.write_match_outputs(tvo, panel, Path(args.out))
    counts = tvo["status"].value_counts().sort_index().to_dict() if len(tvo) else {}
    print(f"{len(tvo)} pairs ({', '.join(f'{k} {v}' for k, v in counts.items())}); wrote "
          + ", ".join(p.name for p in paths))
    return 0


def cmd_emphasis(args: argparse.Namespace) -> int:
    from . import text

    docs = _load(args.inputs, args.glob)
    paths = text.write_emphasis_outputs(docs, Path(args.out))
    print("wrote " + ", ".join(str(p) for p in paths))
    return 0


def _parse_value(raw: str):
    """``-p key value``: JSON when it parses (numbers, lists, true/false), else the string."""
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def cmd_run(args: argparse.Namespace) -> int:
    from . import pipeline

    params = {key: _parse_value(value) for key, value in (args.param or [])}
    for name in ("gold", "provincial_gold", "gold_adjudication"):
        if getattr(args, name, None):
            params[name] = str(Path(getattr(args, name)).resolve())  # notebooks run in another folder
    from .parallel import default_jobs

    workers = args.jobs if args.jobs > 0 else default_jobs()
    params.setdefault("jobs", workers)
    params.setdefault("use_cache", not args.no_cache)
    if args.glob:
        params["glob"] = args.glob
    try:
        # Notebooks side by side: at most two (each may start its own worker pool).
        manifest = pipeline.run_pipeline(Path(args.corpus).resolve(), Path(args.out).resolve(), params,
                                         jobs=min(2, workers), progress=not args.no_progress)
    except pipeline.PipelineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"error: interrupted; {Path(args.out).resolve()} was left as it was", file=sys.stderr)
        return 130
    for warning in manifest.get("warnings", []):
        print(f"warning: {warning}", file=sys.stderr)
    timings = manifest["timings_seconds"]
    print(f"pipeline finished in {timings['total']:.1f} s; outputs in {manifest['parameters']['output_dir']} "
          f"({len(manifest['outputs'])} files, manifest.json)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("corpus", help="one row per document: metadata, encoding, what was removed")
    p.add_argument("inputs", nargs="+", help="files, folders or globs")
    p.add_argument("--glob", help="only the files of a folder that match this pattern, e.g. \'**/*.md\'")
    p.add_argument("--format", choices=["table", "csv"], default="table")
    p.add_argument("--jobs", type=int, default=0,
                   help="worker processes reading and extracting reports (default 0: the cores available)")
    p.set_defaults(func=cmd_corpus)

    p = sub.add_parser("normalize", help="write each document's clean text to DIR/<doc_id>.txt")
    p.add_argument("inputs", nargs="+")
    p.add_argument("--glob", help="only the files of a folder that match this pattern, e.g. \'**/*.md\'")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_normalize)

    p = sub.add_parser("extract", help="facts (and assessments) tables from reports")
    p.add_argument("inputs", nargs="+")
    p.add_argument("--glob", help="only the files of a folder that match this pattern, e.g. \'**/*.md\'")
    p.add_argument("--out", required=True, help="facts table: .csv or .parquet")
    p.add_argument("--assessments", help="assessments table: .csv or .parquet")
    p.add_argument("--jobs", type=int, default=0,
                   help="worker processes reading and extracting reports (default 0: the cores available)")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("score", help="precision, recall and F1 of a facts table against a gold file")
    p.add_argument("--facts", required=True)
    p.add_argument("--gold", required=True)
    p.add_argument("--assessments", help="assessments table (default: beside --facts)")
    p.add_argument("--gold-assessments", help="gold assessments (default: beside --gold)")
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("match", help="targets vs outcomes and the region × year panel")
    p.add_argument("facts")
    p.add_argument("--assessments")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_match)

    p = sub.add_parser("emphasis", help="policy emphasis, distinctive terms and keywords in context")
    p.add_argument("inputs", nargs="+")
    p.add_argument("--glob", help="only the files of a folder that match this pattern, e.g. \'**/*.md\'")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_emphasis)

    p = sub.add_parser("run", help="execute every notebook with papermill and write the report")
    p.add_argument("--corpus", default=str(SEEDS_DIR), help="folder of reports (default: seeds/)")
    p.add_argument("--out", default=str(OUTPUTS_DIR), help="output folder (default: outputs/)")
    p.add_argument("--glob", help="only the corpus files that match this pattern, e.g. '**/*.md'")
    p.add_argument("--gold", help="gold facts CSV for the extraction-quality section")
    p.add_argument("--provincial-gold", dest="provincial_gold",
                   help="hand-coded provincial GDP targets (province,year,gdp_growth_target): province − nation "
                        "escalation with them beside ours (gold_escalation.csv, findings)")
    p.add_argument("--gold-adjudication", dest="gold_adjudication",
                   help="adjudicated errors of the provincial gold (e.g. tests/data/provincial_gold_adjudication.csv)")
    p.add_argument("-p", "--param", nargs=2, action="append", metavar=("KEY", "VALUE"),
                   help="notebook parameter (repeatable), e.g. -p lang en")
    p.add_argument("--jobs", type=int, default=0,
                   help="worker processes reading, extracting and tokenizing reports (default 0: the cores "
                        "available); at most two notebooks run side by side")
    p.add_argument("--no-cache", action="store_true",
                   help="re-read every report instead of reusing the per-document results cached in .OUT.cache/ "
                        "beside the output folder")
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
    p.set_defaults(func=cmd_run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.func is cmd_run:
        _skip_iri_checker()
    return args.func(args)


def _skip_iri_checker() -> None:
    """Keep jsonschema from importing ``rfc3987_syntax`` in this command's process.

    Reading and running notebooks imports nbformat, which imports jsonschema, which imports
    ``rfc3987_syntax`` (when installed, as jupyterlab's dependencies have it) only to check the "iri"
    formats, compiling 38 grammars as it loads: a second of every run's start. No notebook schema uses
    those formats; without the module jsonschema simply has no checker for them.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # None: ``import rfc3987_syntax`` raises ImportError


if __name__ == "__main__":
    raise SystemExit(main())
