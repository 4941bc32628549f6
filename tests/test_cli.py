"""The `presslens` command: version, help with examples, dry runs, and the report's summary of problem files."""
from __future__ import annotations

import importlib

import pandas as pd
import pytest

import presslens
from presslens import cli
from presslens.cli import main

report_module = importlib.import_module("presslens.report")

ARTICLE = "The council voted 7-2 on Monday to close the Elm Street bridge for repairs.\n"


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"presslens {presslens.__version__}"


def test_bare_presslens_prints_help_and_succeeds(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: presslens") and "examples:" in out and "presslens add" in out


@pytest.mark.parametrize("argv", [["--help"], ["add", "--help"], ["report", "--help"]])
def test_help_shows_examples(capsys, argv):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "examples:" in out and "--story city-budget" in out
    if argv[0] == "add":
        assert "--new-corpus" in out and "--force" in out


def test_dry_run_says_would_add_never_added(tmp_path, capsys):
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE)
    corpus = tmp_path / "c"
    assert main(["add", str(src), "--corpus", str(corpus), "--new-corpus", "--story", "bridge", "--outlet", "CNN",
                 "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "would add" in out and "1 would be added (dry run: nothing written)" in out
    assert not any(line.startswith("added") for line in out.splitlines())
    assert "1 added" not in out
    assert not corpus.exists()


def test_a_typo_in_the_corpus_folder_is_refused_with_a_suggestion(tmp_path, capsys):
    (tmp_path / "corpus").mkdir()
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE)
    assert main(["add", str(src), "--corpus", str(tmp_path / "corpsu"), "--story", "b", "--outlet", "CNN"]) == 1
    err = capsys.readouterr().err
    assert "does not exist" in err and "Did you mean" in err and str(tmp_path / "corpus") in err
    assert main(["add", str(src), "--corpus", str(tmp_path / "corpsu"), "--create", "--story", "b",
                 "--outlet", "CNN"]) == 0


def test_report_prints_the_skipped_and_doubtful_files(tmp_path, capsys, monkeypatch):
    corpus = tmp_path / "c"
    (corpus / "s").mkdir(parents=True)
    (corpus / "s" / "good.txt").write_text("---\noutlet: CNN\ndate: 2026-01-05\n---\n" + ARTICLE)
    (corpus / "s" / "empty.txt").write_text("")
    runs = pd.DataFrame({"notebook": ["01-x.ipynb"], "html": [str(tmp_path / "out" / "01-x.html")]})
    monkeypatch.setattr(report_module, "report", lambda **kw: runs)
    assert main(["report", "--corpus", str(corpus), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "1 notebook(s) ran" in out
    assert "1 problem(s) in the corpus files: 1 file(s) not used" in out and "s/empty.txt: empty file (skipped)" in out


def test_report_on_a_clean_corpus_says_so(tmp_path, capsys, monkeypatch):
    corpus = tmp_path / "c"
    (corpus / "s").mkdir(parents=True)
    (corpus / "s" / "good.txt").write_text("---\noutlet: CNN\ndate: 2026-01-05\n---\n" + ARTICLE)
    runs = pd.DataFrame({"notebook": ["01-x.ipynb"], "html": [str(tmp_path / "01-x.html")]})
    monkeypatch.setattr(report_module, "report", lambda **kw: runs)
    assert main(["report", "--corpus", str(corpus), "--quiet"]) == 0
    assert "every corpus file was read without a problem" in capsys.readouterr().out


def test_report_uses_the_problems_the_report_returns(tmp_path, capsys, monkeypatch):
    runs = pd.DataFrame({"notebook": ["01-x.ipynb"], "html": [str(tmp_path / "01-x.html")]})
    runs.attrs["problems"] = [{"path": str(tmp_path / "c" / "x.txt"), "problem": "empty file", "action": "skipped"}]
    monkeypatch.setattr(report_module, "report", lambda **kw: runs)
    assert cli.main(["report", "--corpus", str(tmp_path / "c"), "--quiet"]) == 0
    assert "x.txt: empty file (skipped)" in capsys.readouterr().out
