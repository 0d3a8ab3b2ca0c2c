"""Nothing hangs: config alias bombs and bad patterns are a bounded one-line error, huge front
matter is refused, and a config pattern that backtracks for ever costs one article, not the build."""

from __future__ import annotations

import json
import os
import resource
import time

import pytest

from sinoread.cli.main import main
from sinoread.indexing import Index
from tests.helpers import ROOT, cli

GOOD = (ROOT / "config.yaml").read_text(encoding="utf-8")
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(7)
) + "countries: *h\n"


@pytest.mark.parametrize(
    "text, where, what",
    [
        (BOMB, "line", "more than 100,000 values (an alias bomb?)"),
        ("countries: &a [*a]\n", "line 1", "refers to the list or mapping that contains it"),
        ("countries:\n  China: &c {aliases: [*c]}\n", "line 2", "refers to the list or mapping that contains it"),
        ("countries:\n  ? [a, b]\n  : {aliases: [x]}\n", "line 2 (countries)", "a key must be plain text"),
        ("countries:\n  1: {aliases: [x]}\n", "countries", "expected a non-empty string, got int"),
        (GOOD.replace('  - "note to readers"', '  - "(?P<x>note) to readers"'), "boilerplate", "names a group (x)"),
        (GOOD.replace('  - "note to readers"', '  - "note to [readers"'), "boilerplate", "does not compile"),
        (GOOD.replace('  - "note to readers"', '  - "' + "(" * 5000 + '"'), "boilerplate", "does not compile"),
    ],
    ids=["alias-bomb", "self-alias", "self-alias-nested", "list-key", "int-key", "named-group", "bad-regex",
         "deep-regex"],
)
def test_hostile_configs_are_one_bounded_line(tmp_path, capsys, text, where, what):
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    rc = main(["--config", str(path), "--index", str(tmp_path / "i"), "articles"])
    took = time.monotonic() - started
    err = capsys.readouterr().err
    assert rc == 2 and "Traceback" not in err
    assert err.startswith(f"sinoread: {path}") and err.count("\n") == 1, err
    assert where in err and what in err, err
    assert took < 20  # bounded: the bomb took 29 s and 2.3 GB before
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200 * 1024


def test_front_matter_is_capped_and_has_no_aliases(tmp_path, cfg):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "huge.md").write_text("---\ntitle: x\n" + "k: " + "v" * 200_000 + "\n---\nBody China.\n")
    aliases = "".join(f"l{i}: &l{i} [{', '.join(['*l' + str(i - 1)] * 9)}]\n" for i in range(1, 9))
    (corpus / "bomb.md").write_text("---\nl0: &l0 [x]\n" + aliases + "title: t\n---\nBody China.\n")
    (corpus / "fine.md").write_text("---\ntitle: Fine\ndate: 2021-06-07\n---\nBody China and Vietnam.\n")
    started = time.monotonic()
    report = Index(tmp_path / "index", corpus, cfg).update(workers=1)
    assert time.monotonic() - started < 20
    reasons = {p.path.rsplit("/", 1)[1]: p.reason for p in report.skipped}
    assert reasons["huge.md"] == "front matter larger than 64 KB: not a title and a date"
    assert reasons["bomb.md"].endswith("YAML aliases (*name) are not allowed in front matter")
    assert report.added == ("fine",)


def test_a_skipped_file_is_remembered_by_its_stamp_not_read_again(tmp_path, cfg, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text("Good\n\nChina and Vietnam agreed.\n")
    (corpus / "empty.txt").write_bytes(b"")
    index = Index(tmp_path / "index", corpus, cfg)
    assert [p.reason for p in index.update(workers=1).skipped] == ["empty file"]
    import sinoread.indexing.workers as workers_mod

    read = []
    real = workers_mod.prepare
    monkeypatch.setattr(workers_mod, "prepare", lambda s, c, learned=None: read.append(s.id) or real(s, c, learned))
    (corpus / "new.txt").write_text("New\n\nJapan and India agreed.\n")
    report = index.update(workers=1)
    assert read == ["new"] and [p.reason for p in report.skipped] == ["empty file"]  # reported, not re-read
    (corpus / "empty.txt").write_text("Filled\n\nRussia and Vietnam agreed.\n")
    report = index.update(workers=1)
    assert read == ["new", "empty"] and report.added == ("empty",) and not report.skipped


EVIL = "(?:a|aa)+!"
"""A pattern that backtracks exponentially on a long run of a's with no `!` after it."""


@pytest.mark.parametrize("files", [3, 70], ids=["in-process", "process-pool"])  # the pool from 64 files
def test_a_config_pattern_that_backtracks_for_ever_costs_one_article(tmp_path, files):
    config = tmp_path / "config.yaml"
    config.write_text(GOOD.replace('  - "note to readers"', f'  - "{EVIL}"'), encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(files):
        (corpus / f"good-{i:02d}.txt").write_text(f"Good {i}\n\nChina and Vietnam signed a naval hotline deal.\n")
    (corpus / "hostile.txt").write_text("Title\n\n" + "a" * 60 + "\n\nChina and Vietnam agreed.\n")
    env = {**os.environ, "SINOREAD_ARTICLE_SECONDS": "1", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    # A process of its own: a matcher that never returns holds the interpreter, and only a
    # timeout from outside can end this test if the budget fails.
    r = cli("--config", str(config), "--corpus", str(corpus), "--index", str(tmp_path / "i"), "index",
            "--json", env=env)
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    (problem,) = report["skipped"]
    assert problem["path"].endswith("hostile.txt")
    assert "1 s budget in the config pattern boilerplate[" in problem["reason"] and "(?:a|aa)+" in problem["reason"]
    assert len(report["added"]) == files


def test_front_matter_tags_build_no_object_and_run_nothing(tmp_path, cfg):
    """Front matter is untrusted: read by the safe loader, a Python tag is an error, never a call."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    marker = tmp_path / "pwned"
    (corpus / "tag.md").write_text(f"---\ntitle: !!python/object/apply:os.system ['touch {marker}']\n---\nBody.\n")
    report = Index(tmp_path / "index", corpus, cfg).update(workers=1)
    assert not marker.exists()
    ((path, reason),) = [(p.path, p.reason) for p in report.skipped]
    assert path.endswith("tag.md") and reason.startswith("front matter line 2:")
