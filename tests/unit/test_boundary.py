"""The core knows nothing of the terminal: no core module imports textual or rich. Whoosh is
behind one wall: only `sinoread/engine/` imports it, only `engine/internals.py` reaches its
private names, and an unsupported version is refused with a message."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

import sinoread

CORE = sorted(
    m.name for m in pkgutil.walk_packages(sinoread.__path__, "sinoread.")
    if not m.name.startswith("sinoread.tui") and m.name != "sinoread.__main__"
)


def test_core_modules_are_ui_free():
    """Every core module, in packages too, imported one after another in a fresh process: the
    first that pulls in textual or rich is named."""
    code = (
        "import importlib, sys\n"
        f"for name in {CORE!r}:\n"
        "    importlib.import_module(name)\n"
        "    bad = [m for m in ('textual', 'rich') if m in sys.modules]\n"
        "    assert not bad, (name, bad)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert len(CORE) > 30 and "sinoread.indexing.build" in CORE and "sinoread.cli.main" in CORE
    assert r.returncode == 0, r.stderr


PKG = Path(sinoread.__file__).parent
INTERNALS = PKG / "engine" / "internals.py"
IMPORTERS = ("import_module", "__import__")


def _source(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _is_whoosh(name: str) -> bool:
    return name == "whoosh" or name.startswith("whoosh.")


def _imports_whoosh(tree: ast.Module) -> list[int]:
    """Lines that import Whoosh: import statements anywhere (in functions too), and
    importlib.import_module / __import__ with a literal name."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""] if node.level == 0 else []
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and getattr(node.func, "attr", getattr(node.func, "id", "")) in IMPORTERS):
            names = [str(node.args[0].value)]
        else:
            continue
        if any(_is_whoosh(n) for n in names):
            lines.append(node.lineno)
    return lines


def test_only_the_engine_imports_whoosh():
    users = {p.relative_to(PKG).as_posix() for p in PKG.rglob("*.py")
             if _imports_whoosh(_source(p))}
    assert "engine/internals.py" in users  # the check sees an import where there is one
    outside = sorted(u for u in users if not u.startswith("engine/"))
    assert outside == [], f"only sinoread/engine/ may import whoosh: {outside}"


def test_the_cli_the_index_and_the_engine_load_without_whoosh():
    """Whoosh is imported when an index is opened: `sinoread --help` and the reader's first
    frame (drawn from the overview) do not wait for it."""
    code = ("import sys, sinoread.engine, sinoread.indexing.build, sinoread.search, sinoread.cli.main; "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'whoosh'); "
            "assert not bad, bad")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stderr


@cache
def _whoosh_private_names() -> frozenset[str]:
    """Every single-underscore name Whoosh's own source defines or uses as an attribute."""
    import whoosh

    names = set()
    for path in Path(whoosh.__file__).parent.rglob("*.py"):
        for node in ast.walk(_source(path)):
            if isinstance(node, ast.Attribute):
                names.add(node.attr)
            elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
    return frozenset(n for n in names if n.startswith("_") and not n.startswith("__") and n != "_")


def private_uses(tree: ast.Module, private: frozenset[str]) -> list[str]:
    """Where a module reaches a name private to Whoosh (one that Whoosh's source defines):
    - `obj._name` on anything but `self`/`cls` (a searcher, reader, matcher, codec, module);
    - `self._name` and `def _name` in a class derived from a class imported from `whoosh`
      or from `sinoread.engine` (whose classes are Whoosh's subclasses);
    - `from whoosh... import _name`; getattr/setattr/hasattr/delattr with a literal `_name`.
    It cannot see names computed at run time, nor a class of our own that stores a Whoosh
    object's private attribute under a private name Whoosh also uses."""
    bases: set[str] = set()
    for node in ast.walk(tree):
        module = (node.module or "") if isinstance(node, ast.ImportFrom) else ""
        if module.startswith(("whoosh", "sinoread.engine")):
            bases.update(a.asname or a.name for a in node.names)
    found: list[str] = []

    def visit(node: ast.AST, derived: bool) -> None:
        if isinstance(node, ast.ClassDef):
            derived = any(ast.unparse(b).split(".")[0] in bases for b in node.bases)
        if isinstance(node, ast.Attribute) and node.attr in private:
            own = isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")
            if derived or not own:
                found.append(f"{node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.FunctionDef) and derived and node.name in private:
            found.append(f"{node.lineno}: def {node.name}")
        elif isinstance(node, ast.ImportFrom) and _is_whoosh(node.module or ""):
            found.extend(f"{node.lineno}: import {a.name}" for a in node.names if a.name in private)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id in ("getattr", "setattr", "hasattr", "delattr")
              and len(node.args) > 1
              and isinstance(node.args[1], ast.Constant) and node.args[1].value in private):
            found.append(f"{node.lineno}: {ast.unparse(node)}")
        for child in ast.iter_child_nodes(node):
            visit(child, derived)

    visit(tree, False)
    return found


def test_only_internals_reaches_whoosh_private_names():
    private = _whoosh_private_names()
    assert {"_perdoc", "_field_B", "_read_data", "_lenfield", "_filename"} <= private
    found = {p.relative_to(PKG).as_posix(): private_uses(_source(p), private)
             for p in PKG.rglob("*.py") if p != INTERNALS}
    assert {k: v for k, v in found.items() if v} == {}
    assert private_uses(_source(INTERNALS), private)  # the check sees them where they are


@pytest.mark.parametrize("code", [
    "def f(reader):\n    return reader._perdoc.deleted_docs()",
    "from whoosh.codec.whoosh3 import _lenfield",
    ("from whoosh.codec import whoosh3\n"
     "class M(whoosh3.W3LeafMatcher):\n    def _read_ids(self): pass"),
    ("from sinoread.engine.postings import PackedCodec\n"
     "class C(PackedCodec):\n    def f(self):\n        return self._blocklimit"),
    "def f(w):\n    return getattr(w, '_field_B')",
])
def test_the_private_name_check_can_fail(code):
    assert private_uses(ast.parse(code), _whoosh_private_names())


def test_our_own_private_attributes_are_ours():
    code = "class Search:\n    def f(self):\n        return self._searcher.reader()"
    assert private_uses(ast.parse(code), _whoosh_private_names()) == []


def test_an_unsupported_whoosh_is_refused_at_import_naming_the_supported_ones():
    code = ("import whoosh; whoosh.__version__ = (5, 4, 0); "
            "from sinoread import engine; engine.make_schema()")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert r.returncode != 0
    assert "UnsupportedWhoosh" in r.stderr
    assert ("sinoread's search engine supports Whoosh 2.7.4 (the pinned release), "
            "whoosh-reloaded 2.7.5, whoosh3 3.54.0; found Whoosh 5.4.0") in r.stderr


UNSUPPORTED_CLI = ("import sys, whoosh; whoosh.__version__ = (5, 4, 0); "
                   "from sinoread.cli.main import main; raise SystemExit(main(sys.argv[1:]))")


@pytest.mark.parametrize("command, built", [(["index"], False), (["search", "hotline"], True),
                                            (["articles"], True)])
def test_the_cli_refuses_an_unsupported_whoosh_in_one_line(cfg, seeds_copy, tmp_path, command, built):
    """No traceback, and not "the index is damaged" (it is not): the message that says what to install."""
    from sinoread.indexing import Index

    if built:
        Index(tmp_path / "index", seeds_copy, cfg).update(workers=1)
    r = subprocess.run([sys.executable, "-c", UNSUPPORTED_CLI, "--corpus", str(seeds_copy),
                        "--index", str(tmp_path / "index"), *command],
                       capture_output=True, text=True, check=False, timeout=120)
    assert r.returncode == 1
    assert r.stderr.splitlines() == [
        "sinoread: sinoread's search engine supports Whoosh 2.7.4 (the pinned release), whoosh-reloaded 2.7.5, "
        "whoosh3 3.54.0; found Whoosh 5.4.0, whose internals it has not been tested with: install whoosh==2.7.4"
    ]


def test_the_supported_whoosh_versions():
    from sinoread.engine.internals import SUPPORTED, UnsupportedWhoosh, check_version

    for version in SUPPORTED:
        check_version(version)
    for version in [(2, 7, 3), (5, 4, 0), "2.7.4", None]:
        with pytest.raises(UnsupportedWhoosh, match="found Whoosh .*install whoosh==2.7.4"):
            check_version(version)


def test_no_module_is_over_400_lines():
    """A module that outgrows 400 lines is split by what its parts hold."""
    pkg = Path(sinoread.__file__).parent
    long = {p.relative_to(pkg).as_posix(): n for p in pkg.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert not long, long
