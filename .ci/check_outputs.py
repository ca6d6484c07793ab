"""CI checks on a pipeline output folder (see .ci/run)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis import pipeline, validate


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("outputs")
    parser.add_argument("--same-as", help="a second output folder that must hold identical files")
    args = parser.parse_args()
    out = Path(args.outputs)
    problems: list[str] = []
    for name in ("report.html", "report.md", "report.pdf", "facts.csv", "targets_vs_outcomes.csv", "manifest.json"):
        if not (out / name).is_file():
            problems.append(f"missing {name}")
    problems += validate.validate_outputs(out)
    if (out / "report.html").is_file():
        problems += [f"report.html does not embed figure {n}" for n in pipeline.figures_missing_from_html(out)]
    if args.same_as:
        problems += pipeline.compare_outputs(out, Path(args.same_as))
    for p in problems:
        print(f"check_outputs: {p}", file=sys.stderr)
    if not problems:
        print(f"check_outputs: {out} ok" + (f", identical to {args.same_as}" if args.same_as else ""))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
