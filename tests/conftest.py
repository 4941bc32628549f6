"""Test-session setup: a fresh per-article cache, so no test passes on rows an earlier run cached."""
from __future__ import annotations

import os
import tempfile

import pytest

# Set before presslens is imported (paths.CACHE_DIR reads it once); notebook kernels inherit it.
os.environ["PRESSLENS_CACHE"] = tempfile.mkdtemp(prefix="presslens-test-cache-")


@pytest.fixture(scope="module")
def seeds():
    """The shipped corpus (the two seed articles, CBS News and Fox News) as the loader reads it."""
    from presslens import paths
    from presslens.loader import load_corpus

    return load_corpus(paths.CORPUS_DIR)
