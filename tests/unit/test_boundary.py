"""The core knows nothing of the terminal: no core module imports textual or rich."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import sinoread

CORE = sorted(
    m.name for m in pkgutil.iter_modules(sinoread.__path__, "sinoread.")
    if not m.name.startswith("sinoread.tui") and m.name != "sinoread.__main__"
)


@pytest.mark.parametrize("module", CORE)
def test_core_module_is_ui_free(module):
    code = f"import sys, {module}; bad = [m for m in ('textual', 'rich') if m in sys.modules]; assert not bad, bad"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, check=False, text=True)
    assert r.returncode == 0, r.stderr


def test_whoosh_stays_inside_index_and_search():
    import pathlib

    pkg = pathlib.Path(sinoread.__file__).parent
    users = sorted(
        p.relative_to(pkg).as_posix() for p in pkg.rglob("*.py") if "whoosh" in p.read_text(encoding="utf-8")
    )
    # ranking: the search layer's postings reader; unpickle: what Whoosh may unpickle from an index
    assert users == ["index.py", "postings.py", "ranking.py", "search.py", "unpickle.py"]
