"""The benchmark command runs end to end on a tiny corpus and prints its table."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import ROOT, SEEDS


def test_benchmark_smoke():
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--corpus", str(SEEDS)],
                       capture_output=True, check=False, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    rows = [ln for ln in r.stdout.splitlines() if ln.startswith("| custom |")]
    engines = [ln.split("|")[2].strip() for ln in rows]
    assert engines == ["sinoread", "whoosh", "fts5", "tantivy"]
    sinoread, whoosh = rows[0], rows[1]
    assert "| 5 |" in sinoread and "× raw Whoosh time" in sinoread and "matrix" in sinoread
    assert "| 5 |" in whoosh
