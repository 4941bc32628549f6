"""The rendered report in a real browser (issue 6): Debian's headless chromium opens the HTML pages offline
and takes a screenshot; the pages must not be blank and the figure must actually be drawn."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageStat

from presslens.cli import main
from presslens.figures import outlet_color

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures" / "other_story"
NB_FIXTURES = HERE / "fixtures" / "notebooks"
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1200,2000"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def chromium():
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing on CI: .ci/run should install the Debian package 'chromium'")
        pytest.skip("chromium is not installed (apt-get install chromium); CI installs it")
    return CHROMIUM


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser")
    corpus, out = root / "corpus", root / "out"
    assert main(["add", str(FIXTURES), "--corpus", str(corpus), "--story", "milwaukee-lead-pipes"]) == 0
    assert main(["report", "--corpus", str(corpus), "--out", str(out), "--notebooks", str(NB_FIXTURES), "--quiet"]) == 0
    return out


def screenshot(browser: str, page: Path, tmp_path: Path) -> Image.Image:
    """A 1200x2000 screenshot of a local HTML file in headless chromium (own profile, no network)."""
    png = tmp_path / f"{page.stem}.png"
    proc = subprocess.run([browser, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={png}",
                           page.as_uri()], capture_output=True, text=True, timeout=120)
    assert png.exists(), f"chromium wrote no screenshot (exit {proc.returncode}): {proc.stderr[-2000:]}"
    return Image.open(png).convert("RGB")


def pixels_near(img: Image.Image, hex_color: str, tol: int = 30) -> int:
    """How many pixels are within `tol` of a colour on every channel."""
    target = np.array([int(hex_color[i:i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(np.asarray(img, dtype=int) - target) <= tol).all(axis=-1).sum())


def not_blank(img: Image.Image) -> bool:
    """Some ink on the page: grey-level spread well above a flat colour's."""
    return ImageStat.Stat(img.convert("L")).stddev[0] > 10


def test_notebook_page_renders_its_figure(chromium, study, tmp_path):
    img = screenshot(chromium, study / "00-articles-per-outlet.html", tmp_path)
    assert img.size == (1200, 2000)
    assert not_blank(img)
    # the bars of the figure are drawn in the outlets' colours: the embedded PNG really rendered
    for outlet in ("Reuters", "CNN", "Associated Press"):
        assert pixels_near(img, outlet_color(outlet), tol=12) > 2000, outlet


def test_index_page_renders(chromium, study, tmp_path):
    img = screenshot(chromium, study / "index.html", tmp_path)
    assert not_blank(img)
