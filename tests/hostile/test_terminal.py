"""Terminal and locale: no terminal is one line and exit 2, a signal gives the terminal back,
a locale that cannot spell Vietnamese or Chinese prints replacements."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time

import pytest

from tests.helpers import SEEDS, Terminal, cli, needs_tmux


@pytest.mark.parametrize("stdin_tty", [False, True])
def test_the_reader_without_a_terminal_says_so_and_exits_2(tmp_path, stdin_tty):
    env = {**os.environ, "SINOREAD_INDEX": str(tmp_path / "i"), "XDG_CACHE_HOME": str(tmp_path / "c")}
    started = time.monotonic()
    r = cli(stdin=subprocess.DEVNULL, env=env, timeout=60)
    assert time.monotonic() - started < 30  # it spun a core for ever before
    assert r.returncode == 2
    assert r.stderr.startswith("sinoread: the reader needs a terminal") and r.stderr.count("\n") == 1
    assert "sinoread index" in r.stderr and "--json" in r.stderr


@pytest.mark.e2e
@needs_tmux
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_gives_the_terminal_back(tmp_path, signum):
    t = Terminal(tmp_path, size=(100, 30))
    t.tmux("set-option", "-t", "e2e", "remain-on-exit", "on")
    try:
        t.wait_for(r"5 articles")
        assert t.tmux("display", "-p", "-t", "e2e", "#{alternate_on}").strip() == "1"
        pid = int(t.tmux("display", "-p", "-t", "e2e", "#{pane_pid}").strip())
        app = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, check=False, text=True).stdout.split()
        os.kill(int(app[0]) if app else pid, signum)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and t.tmux("display", "-p", "-t", "e2e", "#{pane_dead}").strip() != "1":
            time.sleep(0.2)
        modes = t.tmux("display", "-p", "-t", "e2e", "#{pane_dead} #{alternate_on} #{mouse_any_flag}")
        # exited, as after `q`: alternate screen and mouse reporting off (before: "1 1 1", both left on)
        assert modes.split() == ["1", "0", "0"], modes
    finally:
        t.close()


@pytest.mark.e2e
@needs_tmux
def test_the_reader_ends_when_its_terminal_is_gone(tmp_path):
    """tmux killed, an SSH session dropped: the goodbye to a dead terminal could block in
    Textual's writer, and such a reader lived on, orphaned, holding its index and notes open.
    Whether it blocks depends on timing (two runs in three), so three readers are tried."""
    survivors = []
    for i in range(3):
        (tmp_path / str(i)).mkdir()
        t = Terminal(tmp_path / str(i))
        t.wait_for(r"5 articles")
        pid = int(t.tmux("display", "-p", "-t", "e2e", "#{pane_pid}").strip())
        app = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, check=False, text=True).stdout.split()
        reader = int(app[0]) if app else pid
        t.close()  # tmux kill-server: the pane's terminal goes, SIGHUP follows
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and os.path.exists(f"/proc/{reader}"):
            time.sleep(0.2)
        if os.path.exists(f"/proc/{reader}"):
            survivors.append(reader)
            os.kill(reader, signal.SIGKILL)
    assert not survivors, f"{len(survivors)} of 3 readers outlived their terminal"


def test_a_latin1_locale_prints_replacements_not_a_traceback(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    (corpus / "vn.txt").write_text("Bộ Quốc phòng Việt Nam và 中国海军\n\nChina and Vietnam signed a hotline deal.\n",
                                   encoding="utf-8")
    env = {**os.environ, "SINOREAD_CORPUS": str(corpus), "SINOREAD_INDEX": str(tmp_path / "i"),
           "PYTHONIOENCODING": "iso-8859-1", "LANG": "en_US.ISO-8859-1"}
    for args in (["index"], ["articles"], ["search", "hotline"], ["show", "vn"]):
        r = cli(*args, env=env, text=False)
        assert r.returncode == 0 and b"Traceback" not in r.stderr, (args, r.stderr)
    r = cli("articles", env=env, timeout=60, text=False)
    assert "B? Qu?c phòng Vi?t Nam và ????".encode("latin-1") in r.stdout
