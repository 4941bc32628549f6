"""A minimal study notebook for the report tests (shared by test_report and test_report_reuse)."""
from __future__ import annotations

from pathlib import Path

import nbformat

NB_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "notebooks"


def study_notebook(path: Path, *sources: str) -> Path:
    """A minimal study notebook (question, parameters) with extra code cells appended."""
    nb = nbformat.read(str(NB_FIXTURES / "00-articles-per-outlet.ipynb"), as_version=4)
    nb.cells = nb.cells[:2]
    for s in sources:
        nb.cells.append(nbformat.v4.new_markdown_cell("This step is part of the test."))
        nb.cells.append(nbformat.v4.new_code_cell(s))
    nbformat.write(nb, str(path))
    return path
