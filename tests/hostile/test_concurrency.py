"""Promise 6: two indexers at once, and the app open while the CLI re-indexes."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import time
from pathlib import Path

from sinoread.config import load_config
from sinoread.indexing import Index
from tests.helpers import cli, ready, sinoread_cmd
from tests.hostile.corpus_maker import make_corpus


def test_two_indexers_at_once(tmp_path):
    corpus = make_corpus(tmp_path / "c", n=120)
    env = {**os.environ, "SINOREAD_CORPUS": str(corpus), "SINOREAD_INDEX": str(tmp_path / "i")}
    procs = [subprocess.Popen([*sinoread_cmd(), "index", "--rebuild", "--json"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs  # the second waited for the first
    for out, _ in outs:
        assert len(json.loads(out)["added"]) == 120
    r = cli("search", "hotline", "--json", "--limit", "500", env=env)
    assert json.loads(r.stdout)["total"] == 120 // 5


def lock_is_held(lock: Path) -> bool:
    """Whether another process holds the index's writer lock (probed without waiting)."""
    try:
        fd = os.open(lock, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # and with it the lock, had the probe taken it
    return False


def test_impatient_second_indexer_is_told_busy(tmp_path):
    """A second `sinoread index` while a first is building: busy at once with --wait 0, after
    its wait with --wait 1. The first is stopped (SIGSTOP) while it holds the lock, so it cannot
    finish before the second looks (which made this test prove nothing now and then)."""
    corpus = make_corpus(tmp_path / "c", n=200)
    env = {"SINOREAD_CORPUS": str(corpus), "SINOREAD_INDEX": str(tmp_path / "i")}
    lock = tmp_path / "i" / "lock"
    first = subprocess.Popen([*sinoread_cmd(), "index"], env={**os.environ, **env},
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not lock_is_held(lock):
            assert first.poll() is None, "the first build ended before its lock was seen"
            assert time.monotonic() < deadline, "the first build never took the lock"
            time.sleep(0.02)
        first.send_signal(signal.SIGSTOP)
        try:
            assert lock_is_held(lock), "the first build let the lock go before it was stopped"
            for wait in (0, 1):
                started = time.monotonic()
                second = cli("index", "--wait", str(wait), env=env)
                assert second.returncode == 1, second.stderr
                assert "busy" in second.stderr and "Traceback" not in second.stderr
                assert time.monotonic() - started >= wait
        finally:
            first.send_signal(signal.SIGCONT)
        assert first.wait(timeout=300) == 0
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert cli("index", "--wait", "0", env=env).returncode == 0  # no stale lock


async def test_app_picks_up_an_index_rebuilt_by_the_cli(tmp_path):
    from sinoread.tui.app import make_app

    corpus = make_corpus(tmp_path / "c", n=10)
    index_dir = tmp_path / "i"
    app = make_app(Index(index_dir, corpus, load_config()))
    async with app.run_test() as pilot:
        await ready(pilot)
        await pilot.pause()
        assert len(app.rows) == 10
        (corpus / "fresh.txt").write_text("Fresh news\n\nJapan and Vietnam signed a patrol deal.\n")
        env = {**os.environ, "SINOREAD_CORPUS": str(corpus), "SINOREAD_INDEX": str(index_dir)}
        for args in (["index"], ["index", "--rebuild"]):
            r = cli(*args, env=env)
            assert r.returncode == 0, r.stderr
            await pilot.pause(2.5)  # the app looks every 2 s
            assert len(app.rows) == 11
            assert any(row.id == "fresh" for row in app.rows)
            app.open_article("fresh")
            await pilot.pause()
        assert app.is_running
