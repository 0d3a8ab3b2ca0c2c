"""Promise 2: every bad file is reported and skipped; the rest are indexed; memory bounded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sinoread.config import load_config
from sinoread.indexing import Index
from tests.helpers import cli, ready
from tests.hostile.hostile import GOOD, write_bad_files


def test_index_reports_every_bad_file_and_keeps_the_rest(tmp_path):
    corpus = tmp_path / "corpus"
    expected = write_bad_files(corpus)
    code = (
        "import resource, sys; from sinoread.cli.main import main; rc = main(sys.argv[1:]); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); sys.exit(rc)"
    )
    r = subprocess.run(
        [sys.executable, "-c", code, "--corpus", str(corpus), "--index", str(tmp_path / "i"), "index", "--json"],
        capture_output=True, check=False, text=True, timeout=600,
    )
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    reasons = {Path(s["path"]).name: s["reason"] for s in report["skipped"]}
    for name, reason in expected.items():
        assert name in reasons, f"{name} not reported; got {sorted(reasons)}"
        assert reason in reasons[name], (name, reasons[name])
        assert "\n" not in reasons[name]
    assert sorted(report["added"]) == ["cp1252", "good", "latin1", "utf16_bom", "utf16_nobom"]
    peak_mb = int(r.stderr.strip().splitlines()[-1]) / 1024
    assert peak_mb < 400, f"peak memory {peak_mb:.0f} MB with a 20 MB file and a 1 MB line"
    # the plain output names them too, one line each
    r = cli("--corpus", str(corpus), "--index", str(tmp_path / "i2"), "index", timeout=600)
    skipped_lines = [ln for ln in r.stdout.splitlines() if ln.strip().startswith("skipped ")]
    assert len(skipped_lines) == len(expected)


def test_unreadable_file_is_reported(tmp_path, cfg, refuse_open):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "good.txt").write_text(GOOD)
    (corpus / "secret.txt").write_text(GOOD)
    refuse_open("secret.txt")
    report = Index(tmp_path / "i", corpus, cfg).update(workers=1)
    assert report.added == ("good",)
    assert [(Path(p.path).name, p.reason) for p in report.skipped] == [("secret.txt", "cannot read (Permission denied)")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files of mode 000; covered by the simulated test above")
def test_mode_000_file_is_reported(tmp_path, cfg):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "good.txt").write_text(GOOD)
    locked = corpus / "locked.txt"
    locked.write_text(GOOD)
    locked.chmod(0)
    report = Index(tmp_path / "i", corpus, cfg).update(workers=1)
    assert report.added == ("good",) and "cannot read" in report.skipped[0].reason


def test_file_vanishing_between_listing_and_reading(tmp_path, cfg, monkeypatch):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "good.txt").write_text(GOOD)
    (corpus / "ghost.txt").write_text(GOOD)
    from sinoread.ingest import files as files_module

    real_scan = files_module.scan

    def scan_then_delete(root, unlisted=None):
        files, problems = real_scan(root, unlisted)
        (corpus / "ghost.txt").unlink()
        return files, problems

    monkeypatch.setattr(files_module, "scan", scan_then_delete)
    report = Index(tmp_path / "i", corpus, cfg).update(workers=1)
    assert report.added == ("good",)
    assert [(Path(p.path).name, p.reason) for p in report.skipped] == [("ghost.txt", "vanished before it could be read")]


def test_bad_files_in_the_app_status(tmp_path):
    import asyncio

    from textual.widgets import Static

    from sinoread.tui.app import make_app

    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "good.txt").write_text(GOOD)
    (corpus / "nul.txt").write_bytes(b"x\x00y\x00\x01")
    (corpus / "empty.md").write_bytes(b"")

    async def run() -> tuple[str, list[str]]:
        app = make_app(Index(tmp_path / "i", corpus, load_config()))
        async with app.run_test() as pilot:
            await ready(pilot)
            await pilot.pause()
            status = str(app.main_screen.query_one("#status", Static).render())
            return status, [n.message for n in app._notifications]

    status, notes = asyncio.run(run())
    assert "1 articles" in status and "2 file(s) skipped" in status
    assert any("nul.txt: contains NUL bytes" in n for n in notes)
    assert any("empty.md: empty file" in n for n in notes)
