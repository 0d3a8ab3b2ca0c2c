"""Whole-process launch time in a real terminal: `sinoread` started in tmux until the screen shows
the article list and the first article's text, as a person would see it.

Run: python benchmarks/launch.py [CORPUS] [--runs N] [--baseline]

The first launch builds the index (cold); the next N reuse it (warm). `--baseline` also times a
bare Textual app with a Header and Footer: the floor set by Python and Textual alone.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_APP = """
from textual.app import App
from textual.widgets import Footer, Header, Static
class Bare(App):
    def compose(self):
        yield Header(); yield Static("bare-app-ready"); yield Footer()
Bare().run()
"""


def sinoread_exe() -> str:
    local = Path(sys.executable).parent / "sinoread"
    return str(local) if local.exists() else (shutil.which("sinoread") or "sinoread")


def launch(command: list[str], ready: list[str], env: dict[str, str], size=(120, 40), timeout=120.0) -> float:
    """Seconds from starting the process until every string in `ready` is on screen."""
    with tempfile.TemporaryDirectory() as tmp:
        sock = os.path.join(tmp, "tmux.sock")
        tmux = ["tmux", "-u", "-S", sock]
        inner = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        shell = f"env {inner} TERM=xterm-256color " + " ".join(shlex.quote(c) for c in command)
        full_env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
        full_env.pop("TMUX", None)
        subprocess.run([*tmux, "new-session", "-d", "-s", "b", "-x", str(size[0]), "-y", str(size[1]),
                        "sleep 30"], check=True, env=full_env)
        subprocess.run([*tmux, "set-option", "-t", "b", "remain-on-exit", "on"], check=True, env=full_env)
        try:
            start = time.perf_counter()
            subprocess.run([*tmux, "respawn-pane", "-k", "-t", "b", shell], check=True, env=full_env)
            deadline = start + timeout
            while time.perf_counter() < deadline:
                screen = subprocess.run([*tmux, "capture-pane", "-p", "-t", "b"], capture_output=True,
                                        text=True, env=full_env).stdout
                if all(r in screen for r in ready):
                    return time.perf_counter() - start
                time.sleep(0.005)
            raise SystemExit(f"never ready; last screen:\n{screen}")
        finally:
            subprocess.run([*tmux, "kill-server"], env=full_env, capture_output=True)


def first_article_id(env: dict[str, str]) -> str:
    """The article the reader opens first, from the index the cold launch built."""
    code = ("import os; from pathlib import Path; from sinoread.config import load_config; "
            "from sinoread.indexing import Index; from sinoread.resources import bundled_seeds_path; "
            "c = os.environ.get('SINOREAD_CORPUS'); "
            "i = Index(Path(os.environ['SINOREAD_INDEX']), Path(c) if c else bundled_seeds_path(), load_config()); "
            "print(i.overview().head[0].id)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, **env})
    if out.returncode != 0:
        raise SystemExit(f"no index after the cold launch: {out.stderr.strip()}")
    return out.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=None)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--baseline", action="store_true")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is needed (apt-get install tmux)")
    with tempfile.TemporaryDirectory() as tmp:
        env = {"SINOREAD_INDEX": os.path.join(tmp, "index"), "XDG_CACHE_HOME": os.path.join(tmp, "cache"),
               "XDG_DATA_HOME": os.path.join(tmp, "data")}
        if args.corpus:
            env["SINOREAD_CORPUS"] = str(Path(args.corpus).resolve())
        # Ready when the title bar shows the article count and the reader shows the first
        # article (its id is in the metadata line above the text).
        cold = launch([sinoread_exe()], ["articles ·"], env)
        first = first_article_id(env)
        ready = ["articles ·", first]
        warm = [launch([sinoread_exe()], ready, env) for _ in range(args.runs)]
        rows = [("sinoread, cold index", [cold]), (f"sinoread, warm index (median of {args.runs})", warm)]
        if args.baseline:
            bare = [launch([sys.executable, "-c", BARE_APP], ["bare-app-ready", "^p"], {})
                    for _ in range(args.runs)]
            rows.append((f"bare Textual app (median of {args.runs})", bare))
    print("| launch | to first screen | min | max |")
    print("| --- | --- | --- | --- |")
    for name, xs in rows:
        print(f"| {name} | {statistics.median(xs) * 1000:.0f} ms | {min(xs) * 1000:.0f} ms | {max(xs) * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
