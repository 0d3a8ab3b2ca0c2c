"""The installed `sinoread` in a real terminal (tmux): keys in, screen out, as a person uses it."""

from __future__ import annotations

import re
import shutil
import time

import pytest

from tests.helpers import CORPORA, SEEDS, Terminal, needs_tmux

pytestmark = needs_tmux  # marked e2e and slow by its folder (tests/conftest.py)


@pytest.fixture
def terminal(tmp_path):
    made: list[Terminal] = []

    def start(**kwargs) -> Terminal:
        t = Terminal(tmp_path, **kwargs)
        made.append(t)
        return t

    yield start
    for t in made:
        t.close()


@pytest.mark.parametrize("term", ["xterm-256color", "screen-256color", "linux"])
def test_opens_on_the_seeds(terminal, term):
    t = terminal(term=term)
    screen = t.wait_for(r"5 articles")
    assert "Beijing and Hanoi" in screen or "China, Vietnam Coast" in screen
    assert "Search" in screen and "Pairs" in screen  # the footer shows the keys
    t.send("q")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and "e2e" in t.tmux("list-sessions"):
        time.sleep(0.2)
    assert "e2e" not in t.tmux("list-sessions")


def test_search_hotline_and_open_the_hit(terminal):
    t = terminal()
    t.wait_for(r"5 articles")
    t.send("/")
    t.wait_for(r"phrase")
    t.type("hotline")
    t.send("Enter")
    t.wait_for(r"1 article\(s\) match")
    t.send("Down", "Enter")
    screen = t.wait_for(r"by Lucas Leiroz de Almeida")  # the hit's article, metadata above the text
    assert "1 article(s) match" not in screen  # the search dialog closed
    assert "pledged · hotline" in screen  # the hit's sentence, with its agreement badge
    assert "have agreed to establish" in screen and "a hotline as part of" in screen


def test_pick_china_and_vietnam(terminal):
    t = terminal()
    t.wait_for(r"5 articles")
    t.pick_pair("China", "Vietnam")
    t.wait_for(r"China – Vietnam: 5 article\(s\)")
    # The heading can be painted a frame before the list under it: wait for the titles too.
    for title in ("Beijing and Hanoi Boost", "Vietnam looks to Japan", "Ongoing Russo-Vietnamese"):
        screen = t.wait_for(re.escape(title))
        assert "China – Vietnam: 5 article(s)" in screen


def test_no_color_still_runs(terminal):
    t = terminal(env={"NO_COLOR": "1"})
    t.wait_for(r"5 articles")


def test_new_article_dropped_into_the_corpus_appears_in_the_pair(terminal, tmp_path):
    """Live corpus: a file saved while the app runs is indexed and shows up in the open pair view."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    t = terminal(env={"SINOREAD_CORPUS": str(corpus)})
    t.wait_for(r"5 articles")
    t.pick_pair("China", "Vietnam")
    t.wait_for(r"China – Vietnam: 5 article\(s\)")
    (corpus / ".fresh.tmp").write_text(
        "Fresh Gulf of Tonkin Hotline\n\nBy Jane Analyst\n\n"
        "China and Vietnam signed a new naval hotline agreement in Hanoi on March 3, 2026.\n",
        encoding="utf-8",
    )
    (corpus / ".fresh.tmp").rename(corpus / "fresh.txt")  # saved atomically, as editors do
    screen = t.wait_for(r"China – Vietnam: 6 article\(s\)", timeout=30)
    assert "Fresh Gulf of Tonkin Hotline" in screen
    assert "Corpus changed: 1 added" in screen or "6 articles" in t.screen()


@pytest.mark.skipif(not (CORPORA / "bbc").is_dir(), reason="../shared/corpora is not beside the repository")
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_a_new_user_opens_a_real_folder_with_section_folders(terminal, tmp_path, size):
    """Fresh HOME, 330 real articles never indexed: BBC section folders as distributed (001.txt in
    each) and Reuters stories. The reader builds them itself, lists all, and searches them."""
    corpus = tmp_path / "corpus"
    for section in ("business", "sport", "politics"):
        (corpus / section).mkdir(parents=True)
        for f in sorted((CORPORA / "bbc" / section).iterdir())[:90]:
            shutil.copy(f, corpus / section / f.name)
    (corpus / "reuters").mkdir()
    for f in sorted((CORPORA / "reuters" / "00").iterdir())[:60]:
        shutil.copy(f, corpus / "reuters" / f.name)
    home = tmp_path / "home"
    home.mkdir()
    t = terminal(size=size, env={
        "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"), "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"), "SINOREAD_CORPUS": str(corpus),
        "SINOREAD_INDEX": str(home / ".cache" / "sinoread" / "index"),
    })
    t.wait_for(r"sinoread — 330 articles", timeout=120)
    t.wait_for(r"330 articles(?! ·.*indexing)", timeout=120)
    assert "failed" not in t.screen()
    t.send("/")
    t.wait_for(r"phrase")
    t.type("Yukos")
    t.send("Enter")
    screen = t.wait_for(r"\d+ article\(s\) match", timeout=30)
    assert "Yukos" in screen
    t.send("Down", "Enter")
    t.wait_for(r"Yukos", timeout=15)
    assert "1 article(s) match" not in t.screen()
