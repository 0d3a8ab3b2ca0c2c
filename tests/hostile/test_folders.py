"""Hostile folders: links out of the corpus, special files, hostile names, deep trees, markdown
that made the cleaner backtrack for good. Each case is generated here."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

from sinoread.config import load_config
from sinoread.indexing import Index
from sinoread.ingest.corpus import parse_article
from sinoread.ingest.files import SourceFile, scan
from sinoread.search import Search
from tests.helpers import cli, ready

GOOD = "Naval hotline\n\nChina and Vietnam signed a naval hotline agreement in Hanoi.\n"
SECRET = "Secret outside\n\nroot:x:0:0 the password file of the machine, China and Vietnam.\n"


@pytest.fixture
def outside(tmp_path) -> Path:
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(SECRET)
    return secret


def test_links_out_of_the_corpus_are_reported_never_followed(tmp_path, cfg, outside):
    corpus = tmp_path / "corpus"
    (corpus / "inner").mkdir(parents=True)
    (corpus / "good.txt").write_text(GOOD)
    (corpus / "passwd.txt").symlink_to("/etc/passwd")
    (corpus / "secret.txt").symlink_to(outside)
    (corpus / "inner" / "relative.txt").symlink_to("../../outside/secret.txt")
    (corpus / "outdir").symlink_to(outside.parent, target_is_directory=True)
    files, problems = scan(corpus)
    assert [f.id for f in files] == ["good"]
    reasons = {Path(p.path).name: p.reason for p in problems}
    for name in ("passwd.txt", "secret.txt", "relative.txt", "outdir"):
        assert "outside the corpus folder: not followed" in reasons[name], name
    index = Index(tmp_path / "index", corpus, cfg)
    index.update(workers=1)
    search = Search(index)
    assert search.ids() == ["good"] and search.keyword("password").total == 0


def test_links_inside_the_corpus_are_followed_once_and_the_root_may_be_a_link(tmp_path, cfg):
    real = tmp_path / "real"
    (real / "a").mkdir(parents=True)
    (real / ".hidden").mkdir()
    (real / "a" / "one.txt").write_text(GOOD)
    (real / ".hidden" / "two.txt").write_text(GOOD.replace("Naval", "Second"))
    (real / "again.txt").symlink_to("a/one.txt")  # the same file: kept once, under its own path
    (real / "shown").symlink_to(".hidden", target_is_directory=True)  # only reachable by the link
    (real / "a" / "loop").symlink_to("..", target_is_directory=True)  # a cycle: walked once
    root = tmp_path / "corpus-link"
    root.symlink_to(real, target_is_directory=True)
    files, problems = scan(root)
    assert [f.id for f in files] == ["a/one", "shown/two"]
    assert problems == []
    index = Index(tmp_path / "index", root, cfg)
    assert len(index.update(workers=1).added) == 2


def test_only_regular_files_are_opened_and_a_swap_is_caught(tmp_path, cfg):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(GOOD)
    os.mkfifo(corpus / "pipe.txt")
    files, problems = scan(corpus)
    assert [(Path(p.path).name, p.reason) for p in problems] == [("pipe.txt", "not a regular file (a FIFO): not opened")]
    (source,) = files
    # scanned, then replaced: by a FIFO (a reader would block forever), then by another file
    (corpus / "good.txt").rename(tmp_path / "aside.txt")  # kept, so its inode is not reused
    os.mkfifo(corpus / "good.txt")
    with pytest.raises(Exception, match=r"not a regular file \(a FIFO\)"):
        parse_article(source, cfg)
    (corpus / "good.txt").unlink()
    (corpus / "good.txt").write_text(GOOD)
    with pytest.raises(Exception, match="replaced by another file after it was scanned"):
        parse_article(source, cfg)
    (corpus / "good.txt").unlink()
    (corpus / "good.txt").symlink_to(tmp_path / "x")
    with pytest.raises(Exception, match="became a link after it was scanned"):
        parse_article(SourceFile(source.id, source.path, 0, 0), cfg)


def test_show_raw_of_an_article_replaced_by_a_fifo_answers_at_once(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(GOOD)
    env = {"SINOREAD_CORPUS": str(corpus), "SINOREAD_INDEX": str(tmp_path / "i")}
    assert cli("index", env=env, text=False).returncode == 0
    (corpus / "good.txt").unlink()
    os.mkfifo(corpus / "good.txt")
    started = time.monotonic()
    r = cli("show", "good", "--raw", env=env, timeout=30, text=False)
    assert time.monotonic() - started < 20
    assert r.returncode == 2 and b"not a regular file (a FIFO)" in r.stderr


async def test_the_raw_view_of_a_fifo_does_not_freeze_the_reader(tmp_path):
    from sinoread.tui.app import make_app
    from sinoread.tui.widgets.reader import ArticleReader

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(GOOD)
    app = make_app(Index(tmp_path / "index", corpus, load_config()))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        (corpus / "good.txt").unlink()
        os.mkfifo(corpus / "good.txt")
        reader = app.main_screen.query_one(ArticleReader)
        reader.focus()
        await pilot.press("r")
        await ready(pilot)
        assert "not a regular file (a FIFO)" in str(reader.body.render())
        await pilot.press("r", "q")  # still answering keys


NAMES = {
    "esc\x1b]0;pwned\x07.txt": "esc␛]0;pwned␇.txt",
    "c1\x9bname.txt": "c1<U+009B>name.txt",
    "bidi\u202etxt.exe.txt": "bidi<U+202E>txt.exe.txt",
}


@pytest.mark.parametrize("json_out", [False, True])
def test_hostile_file_names_are_shown_escaped_and_undecodable_bytes_do_not_stop_the_build(tmp_path, json_out):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(GOOD)
    for name in NAMES:
        (corpus / name).write_bytes(b"")  # empty: skipped, so the name is printed
    with open(os.path.join(os.fsencode(corpus), b"caf\xe9.txt"), "wb") as fh:  # not UTF-8: indexed
        fh.write(GOOD.encode())
    with open(os.path.join(os.fsencode(corpus), b"bad\xff.md"), "wb"):
        pass
    env = {"SINOREAD_CORPUS": str(corpus), "SINOREAD_INDEX": str(tmp_path / "i")}
    r = cli("index", *(["--json"] if json_out else []), env=env, text=False)
    assert r.returncode == 0, r.stderr
    out = r.stdout + r.stderr
    for raw in (b"\x1b", b"\x07", b"\xc2\x9b", "\u202e".encode(), b"\xe9", b"\xff"):
        assert raw not in out
    text = out.decode()
    for shown in NAMES.values():
        assert shown in text if not json_out else json.dumps(shown)[1:-1] in text or shown in text
    assert "bad\\xff.md" in text
    articles = json.loads(cli("articles", "--json", env=env, text=False).stdout)
    assert sorted(a["id"] for a in articles) == ["caf\\xe9", "good"]


def test_a_tree_of_any_depth_is_walked(tmp_path, cfg):
    corpus = tmp_path / "corpus"
    deep = corpus
    corpus.mkdir()
    for _ in range(1100):  # os.makedirs would recurse 1,100 deep itself
        deep = deep / "d"
        deep.mkdir()
    (deep / "bottom.txt").write_text(GOOD)
    (corpus / "top.txt").write_text(GOOD)
    try:
        files, problems = scan(corpus)
        assert problems == [] and [f.id for f in files] == ["top", "d/" * 1100 + "bottom"]
        assert len(Index(tmp_path / "index", corpus, cfg).update(workers=1).added) == 2
    finally:  # bottom up: pytest's own clean-up of old temp folders recurses (and fails) this deep
        (deep / "bottom.txt").unlink()
        while deep != corpus:
            deep.rmdir()
            deep = deep.parent


def test_a_paragraph_of_links_then_text_is_cleaned_at_once(tmp_path, cfg):
    """572 bytes of scraped markdown hung the cleaner's link regex for good."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    links = " ".join(f"[section {i}](https://example.test/s/{i})" for i in range(30))
    (corpus / "scraped.md").write_text(f"Title\n\n{links} and then the story: China and Vietnam agreed.\n")
    (corpus / "nav.md").write_text("Menu\n\n" + "\n".join(f"[item {i}](/{i}) |" for i in range(40)) + "\n\nBody text.\n")
    done = []
    worker = threading.Thread(target=lambda: done.append(Index(tmp_path / "index", corpus, cfg).update(workers=1)),
                              daemon=True)
    worker.start()
    worker.join(60)
    assert done, "indexing never finished"
    search = Search(Index(tmp_path / "index", corpus, cfg))
    nav = search.article("nav")[0]
    assert "item" not in nav.text and "Body text." in nav.text  # a paragraph of links is navigation
    assert "section 29 and then the story" in search.article("scraped")[0].text


def test_a_folder_that_cannot_be_listed_for_a_moment_keeps_its_articles(tmp_path, cfg, monkeypatch):
    corpus = tmp_path / "corpus"
    (corpus / "share").mkdir(parents=True)
    (corpus / "top.txt").write_text(GOOD)
    (corpus / "share" / "a.txt").write_text(GOOD)
    (corpus / "share" / "b.txt").write_text(GOOD)
    index = Index(tmp_path / "index", corpus, cfg)
    index.update(workers=1)
    real = os.scandir

    def flaky(path="."):
        if str(path).endswith("share"):
            raise OSError(5, "Input/output error", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", flaky)
    report = index.update(workers=1)
    assert report.removed == () and "cannot list folder (Input/output error)" in str(report.skipped[0])
    assert len(Search(index).ids()) == 3

    def down(path="."):
        raise OSError(5, "Input/output error", str(path))

    monkeypatch.setattr(os, "scandir", down)  # the corpus folder itself: nothing is read as removed
    with pytest.raises(Exception, match="cannot be listed right now"):
        index.update(workers=1)
    monkeypatch.setattr(os, "scandir", real)
    assert len(Search(index).ids()) == 3


def test_names_that_sanitize_alike_still_get_ids_of_their_own(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("q.md", "q.txt.md", "q\u200b.txt"):
        (corpus / name).write_text(GOOD)
    files, _ = scan(corpus)
    ids = [f.id for f in files]
    assert len(ids) == 3 and len(set(ids)) == 3


def test_a_file_skipped_for_a_passing_reason_is_read_again(tmp_path, cfg, monkeypatch, refuse_open):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(GOOD)
    (corpus / "locked.txt").write_text(GOOD)
    refuse_open("locked.txt")
    index = Index(tmp_path / "index", corpus, cfg)
    assert [p.reason for p in index.update(workers=1).skipped] == ["cannot read (Permission denied)"]
    monkeypatch.undo()  # the file is readable again: `chmod` changes neither mtime nor size
    assert index.update(workers=1).added == ("locked",)
