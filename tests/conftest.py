"""Test-session setup: a fresh per-article cache, so no test passes on rows an earlier run cached."""
from __future__ import annotations

import os
import tempfile

# Set before presslens is imported (paths.CACHE_DIR reads it once); notebook kernels inherit it.
os.environ["PRESSLENS_CACHE"] = tempfile.mkdtemp(prefix="presslens-test-cache-")
