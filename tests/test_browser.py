"""The rendered report in a real browser: Debian's headless chromium opens the HTML pages offline and takes a
screenshot (the pages must not be blank, the figure must be drawn); driven by selenium with the system
chromedriver, a reader searches the quotes table, follows a row's link and lands on the highlighted words,
and no page loads anything from outside the report folder."""
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
    assert main(["add", str(FIXTURES), "--corpus", str(corpus), "--new-corpus", "--story", "milwaukee-lead-pipes"]) == 0
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


# --- from a table row to the words, with selenium -----------------------------------------------------

CHROMEDRIVER = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None)


@pytest.fixture(scope="module")
def driver(chromium, tmp_path_factory):
    webdriver = pytest.importorskip("selenium.webdriver")
    if CHROMEDRIVER is None:
        pytest.skip("chromedriver is not installed (apt-get install chromium-driver); CI installs it")
    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for flag in [*FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('selenium-profile')}"]:
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    service = webdriver.ChromeService(executable_path=CHROMEDRIVER)
    drv = webdriver.Chrome(options=opts, service=service)
    yield drv
    drv.quit()


def requested_urls(drv) -> list[str]:
    """Every URL the browser requested since the last call (Chrome's performance log)."""
    import json

    urls = []
    for entry in drv.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") == "Network.requestWillBeSent":
            urls.append(msg["params"]["request"]["url"])
    return urls


def test_from_a_quotes_table_row_to_the_highlighted_words(driver, study):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    import pandas as pd

    quotes = pd.read_csv(study / "tables" / "quotes.csv")
    q = quotes.sort_values("n_words", ascending=False).iloc[0]
    driver.get((study / "tables" / "quotes.html").as_uri())
    wait = WebDriverWait(driver, 30)
    box = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "input[type=search]"))
    needle = " ".join(q["quote"].split()[:6])
    box.send_keys(needle)
    rows = wait.until(lambda d: [r for r in d.find_elements(By.CSS_SELECTOR, "table.dataTable tbody tr")
                                 if needle in r.text] or None)
    assert len(rows) >= 1
    link = rows[0].find_element(By.CSS_SELECTOR, "a.pl-ev")
    target = f"q-{q['article_id']}-{q['start']}-{q['end']}"
    assert link.get_attribute("href").endswith(f"articles/{q['article_id']}.html#{target}")
    link.click()
    wait.until(lambda d: d.current_url.endswith("#" + target))
    hit = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, f'[data-k="{target}"].pl-hit') or None)
    text = driver.execute_script(
        "return Array.from(document.querySelectorAll('[data-k=\"' + arguments[0] + '\"]'))"
        ".filter(e => !e.parentElement.closest('[data-k=\"' + arguments[0] + '\"]'))"
        ".map(e => e.textContent).join('')", target)
    assert text == q["quote"]
    # scrolled to it: the highlighted span is inside the viewport
    assert driver.execute_script("const r = arguments[0].getBoundingClientRect();"
                                 "return r.top >= 0 && r.bottom <= window.innerHeight;", hit[0])
    assert driver.execute_script("return getComputedStyle(arguments[0]).outlineStyle", hit[0]) == "solid"


def test_a_range_link_marks_exactly_its_characters(driver, study):
    import pandas as pd

    articles = pd.read_csv(study / "tables" / "articles.csv")
    a = articles.iloc[0]
    start, end = 10, 60
    driver.get((study / "articles" / f"{a['article_id']}.html").as_uri() + f"#r-{start}-{end}")
    marked = driver.execute_script("return Array.from(document.querySelectorAll('mark.pl-hit'))"
                                   ".map(e => e.textContent).join('')")
    assert marked == a["text"][start:end]


def test_no_page_loads_anything_from_outside(driver, study):
    requested_urls(driver)  # drop what earlier tests loaded
    pages = [study / "index.html", *sorted(study.glob("[0-9][0-9]-*.html")), *sorted((study / "tables").glob("*.html")),
             *sorted((study / "articles").glob("*.html"))[:2]]
    for page in pages:
        driver.get(page.as_uri())
        remote = [u for u in requested_urls(driver) if not u.startswith(("file:", "data:", "blob:", "about:"))]
        assert remote == [], f"{page.name} requested {remote[:5]}"
