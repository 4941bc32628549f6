"""Paths anchored to the project, so notebooks and tests work from any working directory."""
from __future__ import annotations

import os
from pathlib import Path

PROJ_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = Path(__file__).resolve().parent / "data"
CORPUS_DIR = PROJ_ROOT / "corpus"
SEEDS_DIR = PROJ_ROOT / "seeds"
FIGURES_DIR = PROJ_ROOT / "figures"
REPORTS_DIR = PROJ_ROOT / "reports"
NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"
# The report of a corpus too large to hold (`presslens report --totals`): its notebooks and its default folder.
TOTALS_NOTEBOOKS_DIR = NOTEBOOKS_DIR / "totals"
TOTALS_REPORTS_DIR = PROJ_ROOT / "reports-totals"
# Slow per-article results, keyed by content; git-ignored. PRESSLENS_CACHE overrides it.
CACHE_DIR = Path(os.environ.get("PRESSLENS_CACHE", PROJ_ROOT / ".cache" / "presslens"))


def corpus_file(articles, name: str) -> Path | None:
    """A data file of the corpus folder the articles were loaded from (aliases.csv, speaker_types.csv,
    corrections.csv, genders.csv), or None when the folder has none."""
    d = getattr(articles, "attrs", {}).get("corpus_dir")
    p = Path(d) / name if d else None
    return p if p is not None and p.is_file() else None
