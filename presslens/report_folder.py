"""The report's folder: what it may replace, the draft it is written in, the swap into place, the zip.

A report is written into a draft folder beside its destination and swapped in whole at the end, so a run that is
killed leaves the previous report as it was; a destination holding files no report wrote is refused, never emptied.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

from .figures import SLUG_RE

# Written last into a finished report folder: what the report wrote (a later run may replace only those files).
MARKER_NAME = ".presslens-report.json"
# Files a report writes (paths relative to its folder); a folder holding anything else is not ours to replace.
OWNED_RE = re.compile(r"(?:index\.html|\d{2}-[^/]+\.(?:html|ipynb)|figures/\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*\.(?:png|svg|csv)"
                      r"|articles/[0-9a-f]+\.html|tables/[a-z_]+\.(?:csv|parquet|html)|\.presslens-report\.json)")
PARTIAL_SUFFIX = ".partial"


class ReportError(RuntimeError):
    """The study could not run to the end; the message names the notebook, the cell and the error."""


def draft(out: Path) -> Path:
    """A new, empty draft folder beside `out` (drafts of runs that were killed are removed first), with the
    permissions of a normal folder."""
    out.parent.mkdir(parents=True, exist_ok=True)
    for stale in out.parent.glob(f".{out.name}.*{PARTIAL_SUFFIX}"):
        shutil.rmtree(stale, ignore_errors=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=PARTIAL_SUFFIX, dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    work.chmod(0o777 & ~umask)  # mkdtemp's folder is private; the report is a normal folder
    return work


def stale_figures(figures_dir: Path, stem: str) -> list[Path]:
    """Figure files a notebook wrote on an earlier run (`NN-slug.png/.svg/.csv`), replaced when it runs again."""
    if not figures_dir.is_dir():
        return []
    return sorted(p for p in figures_dir.glob(stem[:2] + "-*.*")
                  if p.suffix in (".png", ".svg", ".csv") and SLUG_RE.match(p.stem))


def foreign_files(folder: Path) -> list[Path]:
    """Files in `folder` that no report wrote (neither listed in its marker nor named like report output)."""
    if not folder.exists():
        return []
    listed = set()
    try:
        listed = set(json.loads((folder / MARKER_NAME).read_text(encoding="utf8")).get("files", []))
    except (OSError, ValueError, AttributeError):
        pass
    return sorted(p for p in folder.rglob("*") if (p.is_file() or p.is_symlink()) and not p.is_dir()
                  and not (p.relative_to(folder).as_posix() in listed or OWNED_RE.fullmatch(p.relative_to(folder).as_posix())))


def check_out(out: Path, corpus: Path, notebooks_dir: Path) -> None:
    """Refuse an output folder the report may not replace: the corpus or notebooks (or one holding or inside
    them), a file, or a folder holding files the report did not write."""
    for what, folder in (("corpus", corpus), ("notebooks", notebooks_dir)):
        if out == folder:
            hint = " would replace the notebooks" if what == "notebooks" else " would be replaced by the report"
            raise ReportError(f"the output folder {out} is the {what} folder: its files{hint}; choose another --out "
                              "(default: reports/)")
        if out in folder.parents or folder in out.parents:
            raise ReportError(f"the output folder {out} {'holds' if out in folder.parents else 'is inside'} the "
                              f"{what} folder {folder}; choose a folder of its own for --out (default: reports/)")
    if out.exists() and not out.is_dir():
        raise ReportError(f"the output {out} is a file, not a folder; choose another --out")
    foreign = foreign_files(out)
    if foreign:
        names = ", ".join(p.relative_to(out).as_posix() for p in foreign[:5]) + (", ..." if len(foreign) > 5 else "")
        raise ReportError(f"the output folder {out} holds {len(foreign)} file(s) the report did not write ({names}); "
                          "the report replaces its whole folder, so it will not write there: choose an empty or new "
                          "folder for --out")


def swap(work: Path, out: Path) -> None:
    """Put the finished report folder `work` in place of `out` (the old report is removed only after)."""
    old = None
    if out.exists():
        old = out.parent / f".{out.name}.{os.getpid()}.old"
        out.rename(old)
    work.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def zip_report(out: Path) -> Path:
    """OUT.zip beside the report folder, holding the folder (written to a temporary name, then renamed)."""
    target = out.parent / f"{out.name}.zip"
    if target.exists() and not zipfile.is_zipfile(target):
        raise ReportError(f"{target} exists and is not a zip archive; move it away to write the report's zip there")
    tmp = out.parent / f".{out.name}.{os.getpid()}.zip"
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(out.rglob("*")):
            if p.is_file():
                zf.write(p, Path(out.name) / p.relative_to(out))
    os.replace(tmp, target)
    return target


def mirror_figures(src: Path, dst: Path, stems: list[str]) -> None:
    """Copy the figures of the notebooks that ran into `dst` (e.g. the project's figures/), replacing their old ones."""
    dst.mkdir(parents=True, exist_ok=True)
    for stem in stems:
        for old in stale_figures(dst, stem):
            old.unlink()
        for new in stale_figures(src, stem):
            shutil.copy2(new, dst / new.name)
