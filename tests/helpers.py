"""What tests share: where the repository and the seeds are, the `sinoread` command, waiting
for the app to settle, reading a widget's text. Test modules import from here, never from
one another (and never from a conftest)."""

from __future__ import annotations

import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CORPORA = ROOT.parent / "shared" / "corpora"
"""The shared BBC and Reuters corpora beside the repository (tests that need them skip without)."""


# --- the command line ---


def _script_beside_python() -> Path | None:
    local = Path(sys.executable).parent / "sinoread"
    return local if local.exists() else None


def sinoread_exe() -> str:
    """The installed `sinoread` script, as a person runs it: beside this Python (a virtual
    environment), else the one on PATH."""
    local = _script_beside_python()
    return str(local) if local else (shutil.which("sinoread") or "sinoread")


def sinoread_cmd() -> list[str]:
    """The command line of the CLI under test: the script beside this Python, else
    `python -m sinoread` (never another installation found on PATH)."""
    local = _script_beside_python()
    return [str(local)] if local else [sys.executable, "-m", "sinoread"]


def cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
        timeout: float = 120, text: bool = True, **kwargs: Any) -> subprocess.CompletedProcess:
    """Run `sinoread ARGS` in a process of its own, output captured; `env` is added to this
    process's environment (which the test's isolation already points at temporary folders)."""
    return subprocess.run([*sinoread_cmd(), *args], capture_output=True, check=False, text=text,
                          cwd=cwd, timeout=timeout, env={**os.environ, **(env or {})}, **kwargs)


# --- the real app in tmux ---

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None,
                                reason="tmux is not installed (.ci/run installs it)")


class Terminal:
    """One tmux server of our own (its own socket), one session running sinoread; with
    `record`, every byte the app writes to its terminal is appended to that file."""

    def __init__(self, tmp_path: Path, term: str = "xterm-256color",
                 size: tuple[int, int] = (160, 45), env: dict[str, str] | None = None,
                 record: Path | None = None) -> None:
        self.socket = str(tmp_path / "tmux.sock")
        self.env = {
            **os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
            "SINOREAD_INDEX": str(tmp_path / "index"), "XDG_CACHE_HOME": str(tmp_path / "cache"),
            **(env or {}),
        }
        self.env.pop("TMUX", None)
        inner = {k: v for k, v in self.env.items()
                 if k.startswith(("SINOREAD_", "XDG_", "NO_COLOR"))}
        if env and "HOME" in env:
            inner["HOME"] = env["HOME"]
        command = "env " + " ".join(f"{k}={shlex.quote(v)}" for k, v in inner.items())
        command += f" TERM={term} {shlex.quote(sinoread_exe())}"
        if record:  # the app starts a second later, under a recorder that sees its first byte
            command = f"sh -c {shlex.quote('sleep 1; exec ' + command)}"
        self.tmux("new-session", "-d", "-s", "e2e", "-x", str(size[0]), "-y", str(size[1]), command)
        if record:
            self.tmux("pipe-pane", "-o", "-t", "e2e", f"cat >> {shlex.quote(str(record))}")

    def tmux(self, *args: str) -> str:
        r = subprocess.run(["tmux", "-u", "-S", self.socket, *args], capture_output=True,
                           check=False, text=True, env=self.env, timeout=30)
        return r.stdout

    def send(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", "e2e", key)
            time.sleep(0.15)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "e2e", "-l", text)
        time.sleep(0.2)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "e2e")

    def wait_for(self, pattern: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if re.search(pattern, screen):
                return screen
            time.sleep(0.25)
        raise AssertionError(f"{pattern!r} never appeared; the screen was:\n{screen}")

    def pick_pair(self, first: str, second: str) -> None:
        """`p`, then the two countries, as a person types them."""
        self.send("p")
        self.wait_for(r"first country")
        self.type(first)
        self.send("Enter")
        time.sleep(0.5)  # focus moves to the second box
        self.type(second)
        self.send("Enter")

    def close(self) -> None:
        self.tmux("kill-server")


# --- the app under Pilot ---


async def ready(pilot) -> None:
    """Wait until the index worker, any search worker and the screen have settled."""
    from textual.worker import WorkerCancelled

    from sinoread.tui.widgets.reader import ArticleReader

    app = pilot.app
    for _ in range(3):
        # every worker but the corpus watcher, which runs as long as the app (an empty list
        # would make Textual wait for all of them)
        pending = [w for w in app.workers if w.group != "watch" and not w.is_finished]
        if pending:
            try:
                await app.workers.wait_for_complete(pending)
            except WorkerCancelled:  # an exclusive worker replaced by a newer one
                pass
        await pilot.pause()
    for _ in range(100):  # the first article opens after a refresh; slow machines need longer
        if not app.rows or app.main_screen.query_one(ArticleReader).article is not None:
            break
        await pilot.pause(0.05)
    await pilot.pause()


async def wait_until(pilot, condition: Callable[[], Any], timeout: float = 30.0) -> None:
    """Pause until `condition()` holds (workers post their results a moment later), then once
    more so that what it announced is drawn; fail if it never holds within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:g} s for a condition that never held")
        await pilot.pause(0.05)
    await pilot.pause()


def text_of(widget) -> str:
    """What a Static (or any widget that renders text) shows, as plain text."""
    return str(widget.render())


# --- the index ---


def walk_postings(m) -> list:
    """Every posting a Whoosh matcher yields, as (id, weight, encoded value)."""
    out = []
    while m.is_active():
        out.append((m.id(), m.weight(), m.value()))
        m.next()
    return out


def folder_state(root: Path) -> list[tuple[str, int, int]]:
    """Every file under `root` with its size and modification time: equal before and after
    means nothing was written there."""
    return sorted((p.relative_to(root).as_posix(), p.stat().st_size, p.stat().st_mtime_ns)
                  for p in root.rglob("*") if p.is_file())


# --- generated articles ---

WORDS = [
    "prime", "minister", "world", "cup", "interest", "rates", "economy", "growth", "china",
    "japan", "vietnam", "russia", "navy", "hotline", "patrol", "film", "music", "mobile",
    "phone", "bank", "inflation", "oil", "united", "states", "india", "coast", "guard",
    "talks", "signed", "deal", "vessels", "exercise", "minister", "said", "the", "of", "and",
]
"""The words of generated articles: common ones, some in several blocks of postings."""


def write_articles(corpus, rng: random.Random, numbers) -> None:
    """Generated articles a{n:03d}.txt for these numbers (new or rewritten)."""
    for n in numbers:
        (corpus / f"a{n:03d}.txt").write_text(_article(rng, n), encoding="utf-8")


def _article(rng: random.Random, n: int) -> str:
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 6))).capitalize()
    sentences = []
    for _ in range(rng.randint(2, 12)):
        words = [rng.choice(WORDS) for _ in range(rng.randint(4, 16))]
        if rng.random() < 0.3:
            at = rng.randint(0, len(words))
            words.insert(at, rng.choice(["Prime Minister", "World Cup", "China and Vietnam",
                                         "Japan and China", "coast guard vessels"]))
        sentences.append(" ".join(words).capitalize() + ".")
    return f"{title}\n\n{' '.join(sentences)}\n"
