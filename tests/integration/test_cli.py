"""The CLI through its real entry point: JSON contracts, exit codes, messages."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import SEEDS, cli


@pytest.fixture
def idx(tmp_path) -> dict:
    return {"SINOREAD_INDEX": str(tmp_path / "index")}


def test_index_then_articles_json(idx, tmp_path):
    r = cli("index", "--json", env=idx)
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert len(report["added"]) == 5 and report["skipped"] == []
    r = cli("articles", "--json", env=idx, cwd=tmp_path)  # any directory: bundled seeds
    rows = json.loads(r.stdout)
    assert [set(row) for row in rows] == [{"id", "title", "author", "source", "date", "countries"}] * 5
    assert rows[0]["date"] == "2021-06-07" and rows[0]["countries"][:2] == ["China", "Vietnam"]


def test_show_json_contract(idx):
    r = cli("show", "003_870f00a7dd296484", "--json", env=idx)
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    for key in ("id", "path", "title", "author", "source", "date", "text", "countries", "actors", "agreements", "pairs"):
        assert key in d
    assert {"name": "Russia", "mentions": d["countries"][1]["mentions"]} in d["countries"]
    assert any(a["name"] == "Sergei Shoigu" and a["kind"] == "person" and a["country"] == "Russia" for a in d["actors"])
    g = next(g for g in d["agreements"] if "S-400" in g["sentence"])
    assert g["status"] == "discussed" and g["kind"] == "arms" and g["why"]
    assert {"countries": ["Russia", "Vietnam"]}.items() <= next(p for p in d["pairs"] if p["countries"] == ["Russia", "Vietnam"]).items()
    r = cli("show", "--all", "--json", env=idx)
    assert len(json.loads(r.stdout)) == 5


def test_search_json_and_plain(idx):
    r = cli("search", "hotline", "--json", env=idx)
    d = json.loads(r.stdout)
    assert d["query"] == "hotline" and d["total"] == 1
    assert set(d["hits"][0]) >= {"id", "title", "score", "snippet"}
    r = cli("search", "hotline", env=idx)
    assert "«hotline»" in r.stdout and r.returncode == 0
    r = cli("search", "zzzznotthere", "--json", env=idx)
    assert r.returncode == 0 and json.loads(r.stdout)["total"] == 0


def test_pairs_json(idx):
    d = json.loads(cli("pairs", "hanoi", "PRC", "--json", env=idx).stdout)
    assert d["pair"] == ["China", "Vietnam"] and len(d["articles"]) == 5
    assert set(d["articles"][0]) >= {"id", "title", "tone", "sentences", "agreements"}
    m = json.loads(cli("pairs", "--json", env=idx).stdout)
    assert m["pairs"][0]["countries"] == ["China", "Vietnam"]
    assert set(m["pairs"][0]) == {"countries", "articles", "sentences", "agreements", "cooperation", "tension"}


@pytest.mark.parametrize(
    "args, message",
    [
        (["search", '"unbalanced'], "bad query: unbalanced quote"),
        (["search", "nosuch:x"], "unknown field"),
        (["pairs", "China", "Atlantis"], "unknown country 'Atlantis'"),
        (["pairs", "China"], "two countries"),
        (["show", "nope"], "no article 'nope'"),
        (["show"], "needs an article ID"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_usage_exits_2_with_one_line(idx, args, message):
    r = cli(*args, env=idx)
    assert r.returncode == 2
    assert message in r.stderr
    assert "Traceback" not in r.stderr


def test_bad_config_exits_2_with_line(tmp_path, idx):
    bad = tmp_path / "config.yaml"
    bad.write_text("countries:\n  China:\n    aliases: [Chinese\n")
    r = cli("--config", str(bad), "articles", env=idx)
    assert r.returncode == 2
    assert "config.yaml line 3" in r.stderr and "Traceback" not in r.stderr
    r = cli("articles", env={**idx, "SINOREAD_CONFIG": str(bad)})
    assert r.returncode == 2


def test_corpus_option_and_skipped_files(tmp_path, idx):
    corpus = tmp_path / "c"
    shutil.copytree(SEEDS, corpus)
    (corpus / "nul.txt").write_bytes(b"a\x00b\x00\x01")
    r = cli("--corpus", str(corpus), "index", env=idx)
    assert r.returncode == 0
    assert "5 added" in r.stdout and "skipped" in r.stdout and "nul.txt: contains NUL bytes" in r.stdout


def test_unwritable_index_dir_names_it(tmp_path):
    if os.geteuid() == 0:
        target = Path("/proc/sinoread-index")  # not writable even for root
    else:
        target = tmp_path / "ro"
        target.mkdir(mode=0o500)
    r = cli("index", env={"SINOREAD_INDEX": str(target)})
    assert r.returncode == 1
    assert str(target) in r.stderr and "--index" in r.stderr


def test_cli_search_does_not_import_textual(idx):
    cli("index", env=idx)
    code = (
        "import sys; from sinoread.cli.main import main; main(['search', 'hotline']); "
        "assert 'textual' not in sys.modules and 'rich' not in sys.modules, 'UI imported'"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, check=False, text=True, env={**os.environ, **idx})
    assert r.returncode == 0, r.stderr


# --- workbench commands: the contract scripts rely on ---


def test_timeline_json_contract(idx):
    r = cli("timeline", "China", "Vietnam", "--json", env=idx)
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)["agreements"]
    assert rows and {"date", "date_origin", "sentence", "kind", "parties", "article_id", "title", "source"} <= set(rows[0])
    dated = [x["date"] for x in rows if x["date"]]
    assert dated == sorted(dated) and all(x["date_origin"] in ("sentence", "article") for x in rows if x["date"])
    assert all({"China", "Vietnam"} <= set(x["parties"]) for x in rows)
    r = cli("timeline", "Moscow", "Hanoi", "--kind", "basing", "--json", env=idx)
    rows = json.loads(r.stdout)["agreements"]
    assert rows and all(x["kind"] == "basing" for x in rows)
    assert any(x["date"] == "2014-11" and x["date_origin"] == "sentence" for x in rows)
    bad = cli("timeline", "China", "--json", env=idx)
    assert bad.returncode == 2 and "two countries" in bad.stderr
    bad = cli("timeline", "--kind", "submarine", env=idx)
    assert bad.returncode == 2 and "unknown kind 'submarine'" in bad.stderr


def test_actors_json_contract(idx):
    r = cli("actors", "--json", env=idx)
    actors = json.loads(r.stdout)["actors"]
    assert actors and all(set(a) == {"name", "kind", "aliases", "role", "country", "articles", "mentions"} for a in actors)
    r = cli("actors", "Ngô", "Xuân", "Lịch", "--json", env=idx)
    data = json.loads(r.stdout)
    assert data["actors"][0]["name"] == "Ngo Xuan Lich" and data["detail"]["sentences"]
    bad = cli("actors", "Nobody Atall", env=idx)
    assert bad.returncode == 2 and "no person or organisation" in bad.stderr


def test_export_writes_each_format(idx, tmp_path):
    for what, args in [("pair", ["China", "Vietnam"]), ("search", ["hotline"]), ("timeline", []),
                       ("article", ["000_6547491093706553"]), ("notes", [])]:
        for fmt, ext in [("markdown", "md"), ("csv", "csv"), ("json", "json")]:
            out = tmp_path / f"{what}.{ext}"
            r = cli("export", what, *args, "--format", fmt, "--output", str(out), env=idx)
            assert r.returncode == 0, (what, fmt, r.stderr)
            text = out.read_text(encoding="utf-8")
            if fmt == "json":
                rows = json.loads(text)["rows"]
                assert isinstance(rows, list), (what, text)
                assert rows or what == "notes", (what, text)  # there are no notes yet
            elif fmt == "markdown":
                assert text.startswith("# ") and "generated" in text
            else:
                assert text.startswith("section,date,")
    assert "hotline" in (tmp_path / "pair.md").read_text(encoding="utf-8")
    r = cli("export", "search", "(unclosed", "--output", str(tmp_path / "x.md"), env=idx)
    assert r.returncode == 2 and "bad query" in r.stderr and not (tmp_path / "x.md").exists()
    r = cli("export", "pair", "China", "--output", str(tmp_path / "y.md"), env=idx)
    assert r.returncode == 2


def test_sources_and_notes_commands(idx, tmp_path):
    r = cli("sources", "--json", env=idx)
    data = json.loads(r.stdout)
    assert sum(s["articles"] for s in data["sources"]) == 5
    assert [x["article_id"] for x in data["self_repeats"]] == ["002_484ac26e3499b02f"]
    notes = {**idx, "SINOREAD_NOTES": str(tmp_path / "notes.sqlite3")}
    r = cli("notes", "--json", env=notes)
    assert r.returncode == 0 and json.loads(r.stdout) == {"notes": []}
