"""Imports a kernel does before its notebook runs (see ``analysis.scheduler``).

A kernel is started ahead of its notebook; importing the notebook's libraries while earlier notebooks
still run takes a second or two off each notebook's own run. Importing is all it does: nothing is
defined in the notebook's namespace, and a module that fails to import is left for the notebook's own
import to report.
"""

from __future__ import annotations

import ast
import importlib
from typing import Iterable

# Heavy libraries some modules import only inside functions (so a plain ``import analysis.report``
# stays light), listed so that a kernel about to use them can load them ahead (``module:function``: state
# to build, as in WARM_CALLS).
LAZY_IMPORTS: dict[str, tuple[str, ...]] = {
    "analysis.report": ("weasyprint",),
    # process_corpus tokenizes in the kernel, or in worker processes forked from it that inherit the tokenizer.
    "analysis.parallel": ("analysis.corpus", "analysis.extract", "analysis.text", "analysis.text:get_tokenizer"),
}


# What a module needs built before its first use, done in the warm-up too: the tokenizer (rjieba with
# jieba's dictionary) takes about half a second to build, the CJK font's character map a fifth.
WARM_CALLS: dict[str, str] = {
    "analysis.text": "get_tokenizer",
    "analysis.figures": "warm_up",
}


def notebook_imports(sources: Iterable[str]) -> list[str]:
    """Modules imported at the top level of the given code cells, in order, each once.

    ``from analysis import figures`` gives ``analysis.figures`` (a submodule, or just ``analysis``
    when the name is not one: the warm-up tries both). Cells that do not parse are skipped.
    """
    found: list[str] = []
    for source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:  # IPython magics and the like
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                found += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found += [f"{node.module}.{alias.name}" for alias in node.names]
    names = found + [lazy for name in found for lazy in LAZY_IMPORTS.get(name, ())]
    # Only a notebook that uses the module itself builds its state ahead (not one that merely imports it).
    for name in found:  # ``from analysis.figures import save_figure`` uses analysis.figures too
        module = name if name in WARM_CALLS else name.rpartition(".")[0]
        if module in WARM_CALLS:
            names.append(f"{module}:{WARM_CALLS[module]}")
    return list(dict.fromkeys(names))


def import_modules(names: str) -> None:
    """Import each comma-separated module (``a.b`` falls back to ``a`` when ``b`` is not a module);
    ``module:function`` calls the function (a ``WARM_CALLS`` entry) after importing its module."""
    for name in filter(None, names.split(",")):
        if ":" in name:
            module_name, _, function = name.partition(":")
            try:
                getattr(importlib.import_module(module_name), function)()
            except Exception:  # noqa: BLE001 - the notebook's own call reports it
                pass
            continue
        for candidate in (name, name.rpartition(".")[0]):
            if not candidate:
                break
            try:
                importlib.import_module(candidate)
                break
            except Exception:  # noqa: BLE001 - the notebook's own import reports it
                continue
