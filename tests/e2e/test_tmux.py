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


SGR = re.compile(rb"\x1b\[([0-9;:]*)m")
CUBE_GREYS = {16 + 43 * i for i in range(6)}  # r = g = b in the 6x6x6 cube of the 256 colours


def sgr_written(data: bytes) -> tuple[set[str], set[tuple[int, ...]]]:
    """The attributes ("bold", "italic", "underline") and the colours (as SGR numbers: (31,),
    (5, 196), (2, r, g, b)) that the SGR sequences in `data` set."""
    attributes: set[str] = set()
    colours: set[tuple[int, ...]] = set()
    for match in SGR.finditer(data):
        params = [int(p or 0) for p in re.split(rb"[;:]", match.group(1))]
        i = 0
        while i < len(params):
            p = params[i]
            if p in (38, 48, 58):  # 38;5;N or 38;2;R;G;B: its numbers are a colour, not attributes
                size = 2 if params[i + 1:i + 2] == [5] else 4
                colours.add(tuple(params[i + 1:i + 1 + size]))
                i += 1 + size
                continue
            if 30 <= p <= 37 or 40 <= p <= 47 or 90 <= p <= 97 or 100 <= p <= 107:
                colours.add((p,))
            attributes |= {1: {"bold"}, 3: {"italic"}, 4: {"underline"}}.get(p, set())
            i += 1
    return attributes, colours


def is_grey(colour: tuple[int, ...]) -> bool:
    """Black, white or a grey: a colour without hue."""
    if len(colour) == 1:
        return colour[0] % 10 in (0, 7)  # black and white, dark and bright
    if colour[0] == 5:
        n = colour[1]
        return n in (0, 7, 8, 15) or n in CUBE_GREYS or n >= 232
    return len(set(colour[1:])) == 1  # 2;R;G;B


@pytest.mark.parametrize("no_color", [True, False], ids=["NO_COLOR", "colour"])
def test_no_color_writes_no_hue_and_keeps_bold_and_underline(terminal, tmp_path, no_color):
    """README: countries are bold and people underlined, so that everything stays
    distinguishable with NO_COLOR. Every byte the app writes is recorded: under NO_COLOR each
    colour it sets is a grey (Textual draws NO_COLOR in monochrome, greys and all, rather than
    in the terminal's default colours); without it there are hues (so the check can fail)."""
    raw = tmp_path / "raw.bytes"
    t = terminal(env={"NO_COLOR": "1"} if no_color else {}, record=raw)
    t.wait_for(r"5 articles")
    t.wait_for(r"Tran Thanh Nghiem")  # the newest article is open, its people underlined
    time.sleep(0.5)
    attributes, colours = sgr_written(raw.read_bytes())
    assert {"bold", "underline"} <= attributes
    hues = sorted(c for c in colours if not is_grey(c))
    assert colours and (not hues if no_color else hues), hues


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
