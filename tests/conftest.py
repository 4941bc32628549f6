"""Test-session setup: a fresh per-article cache, so no test passes on rows an earlier run cached."""
from __future__ import annotations

import os
import tempfile

import pytest

# Set before presslens is imported (paths.CACHE_DIR reads it once); notebook kernels inherit it.
os.environ["PRESSLENS_CACHE"] = tempfile.mkdtemp(prefix="presslens-test-cache-")


@pytest.fixture(scope="session")
def nlp():
    """The one spaCy pipeline every analysis shares, loaded once per test session."""
    from presslens.nlp import get_nlp

    return get_nlp()


@pytest.fixture(scope="module")
def seeds():
    """The shipped corpus (the two seed articles, CBS News and Fox News) as the loader reads it."""
    from presslens import paths
    from presslens.loader import load_corpus

    return load_corpus(paths.CORPUS_DIR)


@pytest.fixture
def run_notebook(tmp_path):
    """Execute notebooks/NAME with papermill on the shipped corpus; return (figures dir, executed notebook)."""
    def run(name: str):
        import papermill as pm

        from presslens import paths

        figures, out = tmp_path / "figures", tmp_path / name
        pm.execute_notebook(str(paths.NOTEBOOKS_DIR / name), str(out), cwd=str(paths.NOTEBOOKS_DIR),
                            kernel_name="python3", progress_bar=False,
                            parameters={"CORPUS_DIR": str(paths.CORPUS_DIR), "FIGURES_DIR": str(figures)})
        return figures, out
    return run
