"""The dependency lock: requirements.txt pins every direct dependency, constraints.txt pins every
distribution of a working environment, and the environment running the tests matches both.

A failure here means the lock is stale: after changing requirements.txt run `make lock`; after the lock
changed run `make venv` (which installs `-r requirements.txt -c constraints.txt`)."""
from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ROOT / "requirements.txt"
CONSTRAINTS = ROOT / "constraints.txt"
# The project itself is installed editable (`-e .`) and is deliberately left out of the lock.
PROJECT = "presslens"
# Bootstrap tools: the venv module and the installer bring their own versions, so a difference here says
# nothing about the project's dependencies (make venv still installs the locked pip).
BOOTSTRAP = frozenset({"pip", "setuptools", "wheel"})
# Packages the issue names as easy to lose on a fresh install: justext needs lxml_html_clean with lxml 5.2+.
MUST_BE_LOCKED = ("lxml-html-clean", "lxml", "justext", "trafilatura")
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;#]+)\s*(?:#.*)?$")


class Pin(NamedTuple):
    """One `name==version` line of a requirements-style file."""

    name: str  # normalised (PEP 503): lower case, runs of -_. as one "-"
    version: str
    line: int


def normalise(name: str) -> str:
    """The PEP 503 normalised form of a distribution name (`lxml_html_clean` -> `lxml-html-clean`)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(path: Path) -> dict[str, Pin]:
    """Every `name==version` line of a requirements/constraints file; other lines must be comments,
    blank, or pip options (`-e .`). A requirement that is not pinned with == is an error."""
    pins: dict[str, Pin] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#") or line.startswith("-"):
            continue
        match = PIN.match(line)
        assert match, f"{path.name}:{number}: not pinned with ==: {raw!r}"
        name = normalise(match.group(1))
        assert name not in pins, f"{path.name}:{number}: {name} is listed twice (also line {pins[name].line})"
        pins[name] = Pin(name, match.group(2), number)
    return pins


def installed() -> dict[str, str]:
    """Name -> version of every distribution the running interpreter can import from."""
    found: dict[str, str] = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name:  # a broken .dist-info without metadata has no name
            found.setdefault(normalise(name), dist.version)
    return found


@pytest.fixture(scope="module")
def requirements() -> dict[str, Pin]:
    return read_pins(REQUIREMENTS)


@pytest.fixture(scope="module")
def constraints() -> dict[str, Pin]:
    assert CONSTRAINTS.exists(), "constraints.txt is missing: run `make lock`"
    return read_pins(CONSTRAINTS)


@pytest.fixture(scope="module")
def environment() -> dict[str, str]:
    if sys.prefix == sys.base_prefix:
        pytest.skip("not running in a virtual environment; the lock describes the project's .venv")
    return installed()


def test_pin_parser_reads_names_versions_and_rejects_ranges(tmp_path):
    sample = tmp_path / "requirements.txt"
    sample.write_text("# comment\nlxml_html_clean==0.4.6\nPyYAML==6.0.3  # why\n-e .\n", encoding="utf-8")
    assert read_pins(sample) == {"lxml-html-clean": Pin("lxml-html-clean", "0.4.6", 2),
                                 "pyyaml": Pin("pyyaml", "6.0.3", 3)}
    sample.write_text("pandas>=2\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="not pinned"):
        read_pins(sample)


def test_every_requirement_pin_agrees_with_the_lock(requirements, constraints):
    assert len(requirements) >= 20
    wrong = [f"{p.name}: requirements.txt {p.version}, constraints.txt "
             f"{constraints[p.name].version if p.name in constraints else 'missing'}"
             for p in requirements.values()
             if p.name not in constraints or constraints[p.name].version != p.version]
    assert not wrong, "stale lock, run `make lock`:\n" + "\n".join(wrong)


def test_lock_holds_the_packages_a_fresh_install_can_lose(constraints):
    missing = [name for name in MUST_BE_LOCKED if name not in constraints]
    assert not missing, f"constraints.txt does not pin {missing}"
    assert PROJECT not in constraints, "the editable project must not be in the lock (pip freeze --exclude-editable)"


def test_every_installed_distribution_is_locked_at_its_version(environment, constraints):
    assert PROJECT in environment, "presslens is not installed in this environment (make venv installs -e .)"
    wrong = [f"{name} {version}: constraints.txt "
             f"{constraints[name].version if name in constraints else 'missing'}"
             for name, version in sorted(environment.items())
             if name != PROJECT and name not in BOOTSTRAP
             and (name not in constraints or constraints[name].version != version)]
    assert not wrong, ("installed distributions differ from the lock (run `make lock` if requirements.txt "
                       "changed, else `make venv`):\n" + "\n".join(wrong))


def test_every_locked_distribution_is_installed(environment, constraints):
    missing = [f"{p.name}=={p.version}" for p in constraints.values()
               if p.name not in BOOTSTRAP and environment.get(p.name) != p.version]
    assert not missing, "locked but not installed at that version (run `make venv`):\n" + "\n".join(missing)
