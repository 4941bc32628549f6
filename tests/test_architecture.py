"""The package's shape: no import cycle, the per-article layer below the corpus tables, modules of a
readable size, no tracker references, and a cache key derived from the extraction layer only."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from presslens import pipeline

PKG = Path(pipeline.__file__).resolve().parent
MAX_LINES = 500  # a module a reader can hold in mind; split by idea past this
# What the per-article layer may import from the package: small helpers and the shared spaCy pipeline.
EXTRACT_MAY_IMPORT = {"presslens.text", "presslens.names", "presslens.lexicon", "presslens.metrics", "presslens.nlp", "presslens.paths"}
# The only modules above the per-article layer that may import it.
EXTRACT_IMPORTED_BY = {"presslens.pipeline", "presslens.engine"}


def module_name(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PKG.rglob("*.py"))}


def imports_of(path: Path) -> set[str]:
    """Package modules `path` imports anywhere in its body (function bodies included)."""
    me = module_name(path).split(".")
    pkg = me if path.name == "__init__.py" else me[:-1]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = pkg[: len(pkg) - node.level + 1] if node.level else []
            stem = ".".join(base + ([node.module] if node.module else []))
            names = [stem] + [f"{stem}.{a.name}" for a in node.names]
        else:
            continue
        out.update(n for n in names if n in MODULES and n != module_name(path))
    return out


GRAPH = {name: imports_of(path) - {"presslens"} for name, path in MODULES.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle in `graph` as a list of nodes, or None (depth-first search)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(v):
        state[v] = 1
        stack.append(v)
        for w in sorted(graph.get(v, ())):
            if state.get(w) == 1:
                return stack[stack.index(w):] + [w]
            if w not in state and (c := visit(w)):
                return c
        stack.pop()
        state[v] = 2
        return None

    for v in sorted(graph):
        if v not in state and (c := visit(v)):
            return c
    return None


def test_find_cycle_finds_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_the_package_has_no_import_cycle():
    assert find_cycle(GRAPH) is None


def test_the_extraction_layer_imports_only_helpers_below_it():
    for name, deps in GRAPH.items():
        if name.startswith("presslens.extract"):
            outside = {d for d in deps if not d.startswith("presslens.extract")} - EXTRACT_MAY_IMPORT
            assert not outside, f"{name} imports {sorted(outside)}"


def test_only_the_pipeline_and_the_engine_import_the_extraction_layer():
    for name, deps in GRAPH.items():
        if name.startswith("presslens.extract") or name in EXTRACT_IMPORTED_BY:
            continue
        assert not {d for d in deps if d.startswith("presslens.extract")}, name


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_size(name):
    n = len(MODULES[name].read_text(encoding="utf8").splitlines())
    assert n <= MAX_LINES, f"{name} has {n} lines"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_tracker_references(name):
    text = MODULES[name].read_text(encoding="utf8")
    assert not re.search(r"\bissues? #?\d", text, re.I)


def test_cache_key_covers_the_extraction_layer_and_its_data_but_not_plots():
    sources = {p.relative_to(PKG).as_posix() for p in pipeline.extraction_sources()}
    assert {"extract/batch.py", "extract/quotes.py", "extract/mentions.py", "names.py", "text.py",
            "nlp.py", "token_lookups.py"} <= sources
    assert {"data/reporting_verbs.txt", "data/titles.txt"} <= sources
    assert not sources & {"entities.py", "voices.py", "figures.py", "report.py", "study.py", "sentiment.py"}
    assert "data/speaker_types.csv" not in sources  # typed at corpus level: editing it keeps the cache


def test_the_study_cache_does_not_depend_on_how_charts_are_drawn():
    """The study's tables are keyed by the code that builds them: a chart module is not part of it."""
    names = {p.relative_to(PKG).as_posix() for p in pipeline.code_sources([PKG / "study.py"])}
    assert {"study.py", "gender.py", "canon.py", "parts.py"} <= names
    assert not names & {"figures.py", "gender_split.py", "shares.py", "entities.py", "voices.py", "sentiment.py"}


def test_the_import_walk_reads_every_import_statement(tmp_path):
    import ast

    code = ("import os\nfrom . import a\n\ndef f():\n    if x:\n        from .b import c\n    else:\n        pass\n"
            "try:\n    import d\nexcept E:\n    from e import g\nelse:\n    import h\nfinally:\n    import i\n"
            "class K:\n    def m(self):\n        with z:\n            for q in r:\n                import j\n"
            "match v:\n    case 1:\n        import k\n")
    found = {n.names[0].name if isinstance(n, ast.Import) else (n.module or ".")
             for n in pipeline._statements(ast.parse(code)) if isinstance(n, (ast.Import, ast.ImportFrom))}
    assert found == {"os", ".", "b", "d", "e", "h", "i", "j", "k"}
