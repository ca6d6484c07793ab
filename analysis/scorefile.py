"""The extraction score of a run as a file: ``score.json`` (read by the report) and ``score.txt``.

Notebook 02 scores the facts it wrote against the gold file and saves both here; the report's quality
section reads ``score.json``, so it shows exactly what ``python -m analysis score`` prints for the
same tables. ``score_run`` computes the same numbers from the tables on disk (read with their schema
types, so a ``false`` flag is False).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from . import schema
from . import score as scoring

SCORE_JSON = "score.json"
SCORE_TEXT = "score.txt"
# Headline numbers, in the order the report shows them.
METRICS = ("precision", "recall", "f1", "found", "false_positives", "missed", "wrong_values")


def score_dict(result: scoring.Score) -> dict[str, float | int]:
    """The headline numbers of a ``Score`` (precision, recall and F1 rounded to 4 places)."""
    return {"precision": round(result.precision, 4), "recall": round(result.recall, 4), "f1": round(result.f1, 4),
            "found": int(result.found), "false_positives": int(result.false_positives),
            "missed": int(result.missed), "wrong_values": int(result.wrong_values)}


def gold_assessments_beside(gold_facts: Path) -> Path | None:
    """The gold assessments file conventionally beside a gold facts file (…facts… → …assessments…)."""
    gold_facts = Path(gold_facts)
    if "facts" not in gold_facts.name:
        return None
    other = gold_facts.with_name(gold_facts.name.replace("facts", "assessments"))
    return other if other.exists() else None


def score_run(output_dir: Path, gold: Path) -> tuple[dict[str, Any], str]:
    """(score dict, plain text) of ``output_dir``'s facts and assessments against ``gold``."""
    output_dir, gold = Path(output_dir), Path(gold)
    if not gold.is_file():
        raise FileNotFoundError(f"{gold}: gold file not found")
    facts_score = scoring.score_facts(schema.read_table(output_dir / "facts.csv"), schema.read_table(gold))
    result: dict[str, Any] = {"gold": gold.name, "facts": score_dict(facts_score)}
    text = scoring.format_score(facts_score, title="facts")
    gold_assessments = gold_assessments_beside(gold)
    if gold_assessments is not None and (output_dir / "assessments.csv").exists():
        a_score = scoring.score_assessments(schema.read_table(output_dir / "assessments.csv"),
                                            schema.read_table(gold_assessments))
        result["assessments"] = score_dict(a_score)
        text += "\n\n" + scoring.format_score(a_score, title="assessments")
    return result, text


def write_score(output_dir: Path, gold: Path) -> tuple[dict[str, Any], str]:
    """Score the run in ``output_dir``, write ``score.json`` and ``score.txt`` there; return (dict, text)."""
    result, text = score_run(output_dir, gold)
    Path(output_dir, SCORE_JSON).write_text(json.dumps(result, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                                            encoding="utf-8")
    Path(output_dir, SCORE_TEXT).write_text(text + "\n", encoding="utf-8")
    return result, text


def read_score(output_dir: Path) -> dict[str, Any] | None:
    """The run's ``score.json``, or None when the run was not scored."""
    path = Path(output_dir) / SCORE_JSON
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))
