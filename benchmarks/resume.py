"""Interrupt a full build and resume it: what is kept, and what the second run costs.

    python benchmarks/resume.py CORPUS [--after 60] [--signal INT|KILL]

Runs the real `sinoread index` on CORPUS into a fresh index folder, sends it SIGINT (Ctrl-C)
or SIGKILL after `--after` seconds, then runs `sinoread index` again and prints a table:
the two runs' wall times, the articles the second run carried over, and an uninterrupted
build of the same corpus for comparison (skip it with --no-baseline).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def sinoread_cmd() -> list[str]:
    exe = Path(sys.executable).parent / "sinoread"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "sinoread"]


def index_run(corpus: Path, index: Path, stop_after: float | None = None, sig: int = signal.SIGINT) -> tuple[float, dict | None]:
    env = {**os.environ, "SINOREAD_INDEX": str(index), "SINOREAD_CORPUS": str(corpus)}
    # Output to a file, not a pipe: the build's worker processes share it and may outlive
    # a killed build by a second, which would hold a pipe open.
    with tempfile.TemporaryFile("w+") as out:
        start = time.perf_counter()
        proc = subprocess.Popen([*sinoread_cmd(), "index", "--json"], env=env, stdout=out, stderr=subprocess.DEVNULL)
        try:
            proc.wait(timeout=stop_after)
        except subprocess.TimeoutExpired:
            proc.send_signal(sig)
            proc.wait()
            return time.perf_counter() - start, None
        elapsed = time.perf_counter() - start
        out.seek(0)
        return elapsed, json.loads(out.read()) if proc.returncode == 0 else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--after", type=float, default=60.0, help="seconds before the interruption")
    parser.add_argument("--signal", choices=("INT", "KILL"), default="INT")
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()
    sig = signal.SIGINT if args.signal == "INT" else signal.SIGKILL
    corpus = args.corpus.resolve()
    with tempfile.TemporaryDirectory(prefix="sinoread-resume-") as tmp:
        first, done = index_run(corpus, Path(tmp) / "i", args.after, sig)
        if done is not None:
            sys.exit(f"the build finished in {first:.1f} s, before the interruption; use a smaller --after")
        second, report = index_run(corpus, Path(tmp) / "i")
        if report is None:
            sys.exit("the resumed build failed")
        baseline = None if args.no_baseline else index_run(corpus, Path(tmp) / "b")[0]
    total = report["resumed"] + len(report["added"])
    print("| corpus | interrupted by | first run | articles carried over | resumed run | both runs | uninterrupted build |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    print(f"| {corpus.name} ({total:,}) | SIG{args.signal} after {args.after:.0f} s | {first:.1f} s | "
          f"{report['resumed']:,} | {second:.1f} s ({len(report['added']):,} indexed) | {first + second:.1f} s | "
          f"{'—' if baseline is None else f'{baseline:.1f} s'} |")


if __name__ == "__main__":
    main()
