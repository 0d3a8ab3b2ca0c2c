"""Promise 6: two indexers at once, and the app open while the CLI re-indexes."""

from __future__ import annotations

import json
import os
import subprocess

from sinoread.config import load_config
from sinoread.index import Index
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


def test_impatient_second_indexer_is_told_busy(tmp_path):
    corpus = make_corpus(tmp_path / "c", n=200)
    env = {**os.environ, "SINOREAD_CORPUS": str(corpus), "SINOREAD_INDEX": str(tmp_path / "i")}
    first = subprocess.Popen([*sinoread_cmd(), "index"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import time

    lock = tmp_path / "i" / "lock"
    deadline = time.monotonic() + 30
    while not lock.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    second = cli("index", "--wait", "0", env=env)
    first.wait(timeout=300)
    if second.returncode == 0:  # the first finished before the second looked: nothing to prove
        return
    assert second.returncode == 1
    assert "busy" in second.stderr and "Traceback" not in second.stderr


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
            assert any(row["id"] == "fresh" for row in app.rows)
            app.open_article("fresh")
            await pilot.pause()
        assert app.is_running
