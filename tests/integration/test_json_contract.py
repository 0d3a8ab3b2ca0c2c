"""The `--json` contract: the keys and value types of every command's JSON output.

Analysts' scripts read these keys, so a refactor must not change them silently: each
command's shape is written out below, and a change to it is a deliberate, reviewed edit.

The vocabulary of a shape:
- `str`, `int`, `float`, `bool`, `None`: a JSON string, integer, fraction, boolean, null
  (`int` is never a bool; `float` is a number written with a point, as Python's json reads it);
- `{...}`: an object with exactly these keys (no more, no fewer; order is not pinned);
- `[X]`: a list whose items are each X;
- `Opt(X)`: X or null, for a value the models declare optional (an article with no byline,
  an agreement with no date);
- `Pair(X, Y)`: a list of exactly two items (a span `[start, end]`, a country pair);
- `OneOf(name=X, ...)`: one of several object shapes (report rows differ by section).

The commands run in this process (`sinoread.cli.main.main`), all in one module fixture, against
one index of the repository's seeds, with HOME, the XDG folders and the notes file in a
temporary folder. So that no check is vacuous, every list must have items in at least one
sample, every `Opt` must be non-null in at least one, and every `OneOf` shape must occur: the
runs are chosen (a query and a pair with results, a note added first, a second small corpus
for what the seeds lack) so that they do.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SEEDS

pytestmark = pytest.mark.integration


# --- shapes ------------------------------------------------------------------------------


class Opt:
    """`shape` or null."""

    def __init__(self, shape: Any) -> None:
        self.shape = shape


class Pair:
    """A list of exactly two items, in this order."""

    def __init__(self, first: Any, second: Any) -> None:
        self.items = (first, second)


class OneOf:
    """One of several named shapes; each must occur somewhere in the samples."""

    def __init__(self, **shapes: Any) -> None:
        self.shapes = shapes


_TYPE_NAMES = {str: "str", int: "int", float: "float", bool: "bool", None: "null"}


def _kind(value: Any) -> str:
    """The JSON type of a parsed value, in the words the shapes use."""
    if value is None:
        return "null"
    for t in (bool, int, float, str):  # bool first: True is an int to Python
        if isinstance(value, t):
            return _TYPE_NAMES[t]
    if isinstance(value, list):
        return "list"
    return "object" if isinstance(value, dict) else type(value).__name__


def _describe(shape: Any) -> str:
    if isinstance(shape, Opt):
        return f"{_describe(shape.shape)} or null"
    if isinstance(shape, (list, Pair)):
        return "list"
    if isinstance(shape, (dict, OneOf)):
        return "object"
    return _TYPE_NAMES[shape]


class _Checker:
    """Walks values against a shape, collecting every difference with its path, and which
    parts of the shape the values never exercised (empty lists, always-null optionals)."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.unexercised: dict[str, str] = {}
        self.exercised: set[str] = set()

    def _expect(self, node: str, message: str) -> None:
        if node not in self.exercised:
            self.unexercised.setdefault(node, message)

    def _exercise(self, node: str) -> None:
        self.exercised.add(node)
        self.unexercised.pop(node, None)

    def _merge(self, other: _Checker) -> None:
        self.problems += other.problems
        for node in other.exercised:
            self._exercise(node)
        for node, message in other.unexercised.items():
            self._expect(node, message)

    def walk(self, value: Any, shape: Any, path: str, node: str) -> None:
        """`path` names this value (`search.hits[3].snippet`); `node` names its place in the
        shape, the same for every item of a list (`search.hits[].snippet`)."""
        if isinstance(shape, Opt):
            self._expect(node, f"{node}: null in every sample, so its type "
                               f"({_describe(shape.shape)}) was never checked")
            if value is None:
                return
            self._exercise(node)
            self.walk(value, shape.shape, path, node)
        elif isinstance(shape, OneOf):
            for name in shape.shapes:
                self._expect(f"{node}<{name}>", f"{node}<{name}>: this shape never occurred")
            tries = []
            for name, alternative in shape.shapes.items():
                alt_node = f"{node}<{name}>"
                sub = _Checker()
                sub.walk(value, alternative, path, alt_node)
                if not sub.problems:
                    self._exercise(alt_node)
                    self._merge(sub)
                    return
                tries.append((len(sub.problems), name, sub.problems))
            _, name, problems = min(tries)
            self.problems.append(f"{path}: matches none of the shapes {', '.join(shape.shapes)}; "
                                 f"closest is {name}: {'; '.join(problems)}")
        elif isinstance(shape, dict):
            if not isinstance(value, dict):
                self.problems.append(f"{path}: expected object, got {_kind(value)}")
                return
            for key in shape:
                if key not in value:
                    self.problems.append(f"{path}.{key}: missing")
            for key in value:
                if key not in shape:
                    self.problems.append(f"{path}.{key}: unexpected key ({_kind(value[key])})")
            for key, sub_shape in shape.items():
                if key in value:
                    self.walk(value[key], sub_shape, f"{path}.{key}", f"{node}.{key}")
        elif isinstance(shape, list):
            (item,) = shape
            if not isinstance(value, list):
                self.problems.append(f"{path}: expected list, got {_kind(value)}")
                return
            self._expect(f"{node}[]",
                         f"{node}[]: empty in every sample, so its items were never checked")
            if value:
                self._exercise(f"{node}[]")
            for i, v in enumerate(value):
                self.walk(v, item, f"{path}[{i}]", f"{node}[]")
        elif isinstance(shape, Pair):
            if not isinstance(value, list) or len(value) != 2:
                got = f"a list of {len(value)}" if isinstance(value, list) else _kind(value)
                self.problems.append(f"{path}: expected a list of 2, got {got}")
                return
            for i, (v, item) in enumerate(zip(value, shape.items)):
                self.walk(v, item, f"{path}[{i}]", f"{node}[{i}]")
        elif _kind(value) != _TYPE_NAMES[shape]:
            self.problems.append(f"{path}: expected {_TYPE_NAMES[shape]}, got {_kind(value)}")


def shape_problems(label: str, samples: list[tuple[str, Any]], shape: Any) -> list[str]:
    """Every way the samples (name, parsed JSON) differ from `shape`, then every part of the
    shape no sample exercised; empty when they all match and the check covered everything."""
    checker = _Checker()
    for name, value in samples:
        checker.walk(value, shape, name, label)
    return checker.problems + list(checker.unexercised.values())


# --- the contract ------------------------------------------------------------------------
# Opt marks what the models declare optional: an article's title, author, source, date and url;
# an agreement's date and date_origin; an actor's role and country; a note's current offset
# (null once its sentence has vanished); a timeline entry's chain.

INDEX = {
    "index": str, "rebuilt": bool, "resumed": int,
    "added": [str], "updated": [str], "removed": [str], "unchanged": int,
    "skipped": [{"path": str, "reason": str}],
}

ARTICLES = [{
    "id": str, "title": Opt(str), "author": Opt(str), "source": Opt(str), "date": Opt(str),
    "countries": [str],
}]

ARTICLE = {
    "id": str, "path": str, "title": Opt(str), "author": Opt(str), "source": Opt(str),
    "date": Opt(str), "url": Opt(str), "text": str,
    "countries": [{"name": str, "mentions": int}],
    "actors": [{"name": str, "kind": str, "role": Opt(str), "country": Opt(str), "mentions": int}],
    "agreements": [{
        "sentence": str, "kind": str, "status": str, "parties": [str], "date": Opt(str),
        "date_origin": Opt(str), "why": str, "start": int, "end": int,
    }],
    "pairs": [{
        "countries": Pair(str, str), "sentences": int, "tone": str,
        "cooperation": int, "tension": int, "agreements": int,
    }],
    "mentions": [{
        "start": int, "end": int, "kind": str, "name": str, "country": Opt(str), "role": Opt(str),
        "why": str,
    }],
}

SEARCH = {
    "query": str, "total": int,
    "hits": [{
        "id": str, "title": Opt(str), "score": float, "snippet": str, "marks": [Pair(int, int)],
        "source": Opt(str), "date": Opt(str),
    }],
}

PAIR = {
    "pair": Pair(str, str),
    "articles": [{
        "id": str, "title": Opt(str), "source": Opt(str), "date": Opt(str), "tone": str,
        "sentences": [{"text": str, "tone": str, "start": int, "end": int}],
        "agreements": [{
            "sentence": str, "kind": str, "status": str, "parties": [str], "date": Opt(str),
            "why": str, "start": int,
        }],
    }],
}

MATRIX = {
    "pairs": [{
        "countries": Pair(str, str), "articles": int, "sentences": int, "agreements": int,
        "cooperation": int, "tension": int,
    }],
}

TIMELINE = {
    "agreements": [{
        "date": Opt(str), "date_origin": Opt(str), "sentence": str, "kind": str, "parties": [str],
        "article_id": str, "title": Opt(str), "source": Opt(str), "status": str, "author": Opt(str),
        "offset": int, "story": str, "restated": [{"article_id": str, "offset": int}],
        "chain": Opt(str),
    }],
    "chains": [{"label": str, "stages": [str], "advances": bool, "articles": [str]}],
}

ACTOR = {
    "name": str, "kind": str, "aliases": [str], "role": Opt(str), "country": Opt(str),
    "articles": int, "mentions": int,
}
ACTORS = {"actors": [ACTOR]}
ACTORS_NAMED = {
    "actors": [ACTOR],
    "detail": {
        "name": str, "articles": [str],
        "sentences": [{"article_id": str, "offset": int, "text": str}],
        "appears_with": [{"name": str, "sentences": int}],
    },
}

SOURCES = {
    "sources": [{"source": Opt(str), "author": Opt(str), "articles": int, "stories": int}],
    "duplicate_groups": [{"story": str, "articles": [str], "similarity": float}],
    "self_repeats": [{"article_id": str, "repeated_sentences": int, "share": float}],
}

NOTES = {
    "notes": [{
        "id": int, "article_id": str, "sentence": str, "note": str, "tags": [str], "status": str,
        "created": str, "updated": str, "offset": Opt(int),
    }],
}


def report(rows: Any) -> dict[str, Any]:
    """`export ... --format json`: one envelope for every report; the rows differ."""
    return {
        "title": str, "subject": str, "generated": str, "notes": [str],
        "sources": [{"article_id": str, "title": Opt(str), "source": Opt(str), "author": Opt(str),
                     "date": Opt(str)}],
        "rows": [rows],
    }


AGREEMENT_ROW = {
    "date": Opt(str), "date_origin": Opt(str), "article_id": str, "source": Opt(str),
    "author": Opt(str), "title": Opt(str), "kind": str, "status": str, "parties": str,
    "sentence": str,
}

EXPORT_PAIR = report(OneOf(
    agreement={**AGREEMENT_ROW, "section": str},
    other_sentence={
        "section": str, "date": Opt(str), "date_origin": Opt(str), "article_id": str,
        "source": Opt(str), "author": Opt(str), "title": Opt(str), "tone": str, "parties": str,
        "sentence": str,
    },
))
EXPORT_SEARCH = report({
    "date": Opt(str), "article_id": str, "source": Opt(str), "author": Opt(str), "title": Opt(str),
    "sentence": str,
})
EXPORT_TIMELINE = report(AGREEMENT_ROW)
EXPORT_ARTICLE = report(OneOf(
    agreement=AGREEMENT_ROW,
    note={  # status is null for a note still anchored where it was written
        "article_id": str, "source": Opt(str), "title": Opt(str), "sentence": str, "note": str,
        "tags": str, "status": Opt(str),
    },
))
EXPORT_NOTES = report({
    "date": Opt(str), "article_id": str, "source": Opt(str), "author": Opt(str), "title": Opt(str),
    "sentence": str, "note": str, "tags": str, "status": str,
})

CONTRACTS: dict[str, Any] = {
    "index": INDEX,
    "articles": ARTICLES,
    "show": ARTICLE,  # one ID: one object
    "show_many": [ARTICLE],  # --all, or several IDs: a list
    "search": SEARCH,
    "pairs": PAIR,  # two countries
    "matrix": MATRIX,  # `pairs` with no country
    "timeline": TIMELINE,
    "actors": ACTORS,
    "actors_named": ACTORS_NAMED,  # `actors NAME` adds the one actor's detail
    "sources": SOURCES,
    "notes": NOTES,
    "export_pair": EXPORT_PAIR,
    "export_search": EXPORT_SEARCH,
    "export_timeline": EXPORT_TIMELINE,
    "export_article": EXPORT_ARTICLE,
    "export_notes": EXPORT_NOTES,
}


# --- running the CLI ---------------------------------------------------------------------


@dataclass(repr=False)
class Run:
    name: str
    """The sample's name in a reported path: the label, plus what sets this run apart."""
    args: list[str]
    """The command and its arguments, after --corpus and --index."""
    argv: list[str]
    code: int
    out: str
    err: str

    def __repr__(self) -> str:  # a failure lists the runs: their names, not their output
        return f"Run({self.name!r}, exit {self.code})"

    def parsed(self) -> Any:
        assert self.code == 0, f"sinoread {' '.join(self.argv)}: exit {self.code}\n{self.err}"
        try:
            return json.loads(self.out)
        except json.JSONDecodeError as exc:
            raise AssertionError(f"sinoread {' '.join(self.argv)}: stdout is not one JSON document "
                                 f"({exc}):\n{self.out[:500]}") from None


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """`sinoread.cli.main.main(argv)` in this process, with stdout and stderr captured as UTF-8
    (streams that can be reconfigured, as the CLI does to its own)."""
    from sinoread.cli.main import main

    out, err = io.BytesIO(), io.BytesIO()
    out_text = io.TextIOWrapper(out, encoding="utf-8")
    err_text = io.TextIOWrapper(err, encoding="utf-8")
    with contextlib.redirect_stdout(out_text), contextlib.redirect_stderr(err_text):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse refusing the arguments
            code = exc.code if isinstance(exc.code, int) else 1
    out_text.flush()
    err_text.flush()
    return code, out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8")


ARTICLE_A = "000_6547491093706553"  # China–Vietnam hotline, with byline, source and date
ARTICLE_B = "003_870f00a7dd296484"  # Russia–Vietnam


def _add_notes(notes_db: Path, corpus: Path) -> None:
    """A note on a sentence of ARTICLE_A, and one whose sentence is gone (its offset null).

    The CLI cannot write notes, so this is the test's one use of the core: when the refactor
    moves the notes store, this import moves with it."""
    from sinoread.workbench.notes import NoteStore

    text = (corpus / f"{ARTICLE_A}.txt").read_text(encoding="utf-8")
    sentence = next(s.strip() + "." for s in text.split(". ") if "hotline" in s)
    store = NoteStore(notes_db, corpus)
    try:
        store.add(ARTICLE_A, sentence, 0, "hotline pledged by the navies", "#hotline navy")
        store.add(ARTICLE_A, "A sentence this article never had.", 0,
                  "kept though its sentence is gone")
    finally:
        store.close()


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Run]]:
    """Every JSON-printing command run once, on one index of the seeds (plus a small second
    corpus for what the seeds cannot show: skipped, updated and removed files, a repost, a url)."""
    tmp = tmp_path_factory.mktemp("contract")
    out: dict[str, list[Run]] = {label: [] for label in CONTRACTS}

    def run(label: str, where: list[str], *args: str, extra: str = "") -> Run:
        argv = [*where, *args]
        r = Run(f"{label}({extra})" if extra else label, list(args), argv, *run_cli(argv))
        out[label].append(r)
        return r

    with pytest.MonkeyPatch.context() as mp:  # the module's runs never see the real home
        home = tmp / "home"
        mp.setenv("HOME", str(home))
        for var, sub in (("XDG_CACHE_HOME", "cache"), ("XDG_DATA_HOME", "data"),
                         ("XDG_CONFIG_HOME", "config"), ("XDG_STATE_HOME", "state")):
            mp.setenv(var, str(home / sub))
        notes_db = tmp / "notes.sqlite3"
        mp.setenv("SINOREAD_NOTES", str(notes_db))
        for var in ("SINOREAD_CORPUS", "SINOREAD_CONFIG", "SINOREAD_INDEX",
                    "SINOREAD_ARTICLE_SECONDS", "NO_COLOR"):
            mp.delenv(var, raising=False)

        # No --config, and no user config under the temporary XDG_CONFIG_HOME: the bundled one.
        seeds = ["--corpus", str(SEEDS), "--index", str(tmp / "index")]
        run("index", seeds, "index", "--json")
        run("articles", seeds, "articles", "--json")
        run("show", seeds, "show", ARTICLE_A, "--json")
        run("show_many", seeds, "show", "--all", "--json", extra="--all")
        run("show_many", seeds, "show", ARTICLE_A, ARTICLE_B, "--json", extra="two ids")
        run("search", seeds, "search", "military", "cooperation", "--json")
        run("pairs", seeds, "pairs", "China", "Vietnam", "--json")
        run("matrix", seeds, "pairs", "--json")
        run("timeline", seeds, "timeline", "--json")
        run("timeline", seeds, "timeline", "China", "Vietnam", "--json", extra="China Vietnam")
        run("actors", seeds, "actors", "--json")
        run("actors_named", seeds, "actors", "Xi", "Jinping", "--json")
        run("sources", seeds, "sources", "--json")

        _add_notes(notes_db, SEEDS)
        run("notes", seeds, "notes", "--json")
        run("notes", seeds, "notes", "hotline", "--json", extra="hotline")
        run("export_pair", seeds, "export", "pair", "China", "Vietnam", "--format", "json")
        run("export_search", seeds, "export", "search", "military", "cooperation",
            "--format", "json")
        run("export_timeline", seeds, "export", "timeline", "--format", "json")
        run("export_timeline", seeds, "export", "timeline", "China", "Vietnam", "--format", "json",
            extra="China Vietnam")
        run("export_article", seeds, "export", "article", ARTICLE_A, "--format", "json")
        run("export_notes", seeds, "export", "notes", "--format", "json")
        written = tmp / "notes-report.json"  # the format from the file name; the JSON in the file
        r = run("export_notes", seeds, "export", "notes", "--output", str(written),
                extra="--output .json")
        r.out = written.read_text(encoding="utf-8") if written.is_file() else ""

        # A second corpus: two seeds, a repost of one with front matter, a file that is skipped;
        # then one file changed and one removed, for the update's lists.
        corpus = tmp / "corpus"
        corpus.mkdir()
        for art in (ARTICLE_A, ARTICLE_B):
            shutil.copy(SEEDS / f"{art}.txt", corpus)
        front = "---\ntitle: Reposted\nauthor: A. Reposter\nsource: Mirror\ndate: 2021-06-08\n" \
                "url: https://example.org/repost\n---\n"
        repost = front + (SEEDS / f"{ARTICLE_A}.txt").read_text(encoding="utf-8")
        (corpus / "repost.md").write_text(repost, encoding="utf-8")
        (corpus / "broken.txt").write_bytes(b"a\x00b\x00\x01")
        second = ["--corpus", str(corpus), "--index", str(tmp / "index2")]
        run("index", second, "index", "--json", extra="second corpus")
        run("sources", second, "sources", "--json", extra="second corpus")
        run("show", second, "show", "repost", "--json", extra="repost")
        run("show_many", second, "show", "--all", "--json", extra="second corpus --all")
        with (corpus / "repost.md").open("a", encoding="utf-8") as fh:
            fh.write("\nThe navies met again in July.\n")
        (corpus / f"{ARTICLE_B}.txt").unlink()
        run("index", second, "index", "--json", extra="second corpus, update")
    return out


@pytest.mark.parametrize("label", list(CONTRACTS))
def test_json_output_keeps_its_keys_and_types(runs: dict[str, list[Run]], label: str) -> None:
    assert runs[label], f"no run prints {label}"
    samples = [(r.name, r.parsed()) for r in runs[label]]
    problems = shape_problems(label, samples, CONTRACTS[label])
    assert not problems, f"{label}: the --json contract changed:\n  " + "\n  ".join(problems)


def test_every_json_command_has_a_contract(runs: dict[str, list[Run]]) -> None:
    """A command (or export report) that gains JSON output must gain a shape above."""
    import argparse

    from sinoread.cli.parser import build_parser

    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    printing = set()
    for name, parser in sub.choices.items():
        options = {o for a in parser._actions for o in a.option_strings}
        if "--json" in options:
            printing.add(name)
        if name == "export":
            what = next(a for a in parser._actions if a.dest == "what")
            printing |= {f"export {w}" for w in what.choices}
    covered = {" ".join(r.args[:2]) if r.args[0] == "export" else r.args[0]
               for rs in runs.values() for r in rs}
    missing = sorted(printing - covered)
    assert not missing, f"JSON output with no contract: {missing}"


# --- the checker itself ------------------------------------------------------------------

HIT = {"id": str, "score": float, "snippet": str, "date": Opt(str)}
GOOD_HIT = {"id": "a", "score": 1.5, "snippet": "s", "date": "2021"}


@pytest.mark.parametrize("value, shape, expected", [
    ({"hits": [GOOD_HIT] * 3 + [{"id": "b", "score": 2, "date": None, "rank": True}]},
     {"hits": [HIT]},
     ["search.hits[3].snippet: missing", "search.hits[3].rank: unexpected key (bool)",
      "search.hits[3].score: expected float, got int"]),
    ({"hits": [{**GOOD_HIT, "id": True}]}, {"hits": [HIT]},
     ["search.hits[0].id: expected str, got bool"]),
    ({"hits": []}, {"hits": [HIT]},
     ["search.hits[]: empty in every sample, so its items were never checked"]),
    ({"hits": [{**GOOD_HIT, "date": None}]}, {"hits": [HIT]},
     ["search.hits[].date: null in every sample, so its type (str) was never checked"]),
    ({"span": [1, 2, 3]}, {"span": Pair(int, int)},
     ["search.span: expected a list of 2, got a list of 3"]),
    ({"rows": [{"a": 1}, {"b": "x"}]}, {"rows": [OneOf(one={"a": int}, two={"b": int})]},
     [("search.rows[1]: matches none of the shapes one, two; closest is two: "
       "search.rows[1].b: expected int, got str"),
      "search.rows[]<two>: this shape never occurred"]),
    ({"rows": [{"a": 1}, {"a": 2}]}, {"rows": [OneOf(one={"a": int}, two={"b": int})]},
     ["search.rows[]<two>: this shape never occurred"]),
    ({"hits": [GOOD_HIT]}, {"hits": [HIT]}, []),
])
def test_checker_names_the_path_that_differs(value: Any, shape: Any, expected: list[str]) -> None:
    assert shape_problems("search", [("search", value)], shape) == expected

