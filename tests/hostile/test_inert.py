"""Promise 1: untrusted text is inert in the CLI, the app, snippets, titles and file names."""

from __future__ import annotations

import json
import os
import time

import pytest

from sinoread.config import load_config
from sinoread.indexing import Index
from tests.helpers import Terminal, cli, needs_tmux, ready
from tests.hostile.hostile import FORBIDDEN_BYTES, write_hostile_corpus

CONTROL = {chr(c) for c in range(0x20) if c not in (9, 10)} | {chr(0x7F)} | {chr(c) for c in range(0x80, 0xA0)}
INVISIBLE = set("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")


def assert_inert(text: str) -> None:
    bad = sorted({f"U+{ord(c):04X}" for c in text if c in CONTROL or c in INVISIBLE})
    assert not bad, f"raw control or invisible characters reached the output: {bad}"


@pytest.fixture
def hostile(tmp_path) -> dict:
    corpus = write_hostile_corpus(tmp_path / "hostile")
    return {"corpus": corpus, "env": {**os.environ, "SINOREAD_CORPUS": str(corpus), "SINOREAD_INDEX": str(tmp_path / "i")}}


@pytest.mark.parametrize(
    "args",
    [["index"], ["articles"], ["articles", "--json"], ["show", "--all"], ["show", "--all", "--json"],
     ["search", "hotline"], ["search", "hotline", "--json"], ["search", "pwned"], ["pairs", "china", "vietnam"],
     ["pairs", "china", "vietnam", "--json"], ["pairs"]],
)
def test_cli_output_is_inert(hostile, args):
    r = cli(*args, env=hostile["env"])
    assert r.returncode == 0, r.stderr
    assert_inert(r.stdout)
    assert_inert(r.stderr)


def test_inert_text_is_still_visible(hostile):
    r = cli("show", "evil", "--json", env=hostile["env"])
    d = json.loads(r.stdout)
    assert "␛]52;c;SGVsbG8gd29ybGQ=␇" in d["text"]  # shown as symbols, not dropped
    assert "<U+202E>evil<U+202C>" in d["text"]
    assert "[@click=app.quit]q[/]" in d["title"]
    names = json.loads(cli("articles", "--json", env=hostile["env"]).stdout)
    assert any(n["id"].startswith("name␛]0;pwned-title␇[b]x[@click=app.quit]") for n in names)


async def test_app_shows_hostile_text_as_text(tmp_path):
    from sinoread.tui.app import make_app
    from sinoread.tui.widgets.reader import ArticleReader

    corpus = write_hostile_corpus(tmp_path / "h")
    app = make_app(Index(tmp_path / "i", corpus, load_config()))
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        await pilot.pause()
        app.open_article("evil")
        await pilot.pause()
        reader = app.main_screen.query_one(ArticleReader)
        shown = "".join(p.content.plain for p in reader._paragraphs)
        assert_inert(shown)
        assert "[@click=app.quit]q[/]" in shown and "[i]gone?[/i]" in shown
        await pilot.click(reader, offset=(20, 1))
        await pilot.press("slash", *"hotline", "enter")
        await ready(pilot)
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.is_running
        svg = app.export_screenshot()
        assert "\x1b" not in svg and "\u202e" not in svg


@pytest.mark.e2e
@needs_tmux
def test_terminal_never_receives_injected_sequences(tmp_path):
    """Record every byte the real app writes to the terminal (tmux pipe-pane) while reading,
    searching and opening the hostile article; none of the injected sequences may be among them."""
    corpus = write_hostile_corpus(tmp_path / "h")
    raw = tmp_path / "raw.bytes"
    t = Terminal(tmp_path, env={"SINOREAD_CORPUS": str(corpus)}, record=raw)
    try:
        t.wait_for(r"2 articles")
        for keys in (["Down"], ["Enter"], ["w"], ["]"], ["w"], ["r"], ["r"], ["/"]):
            t.send(*keys)
        t.type("hotline")
        t.send("Enter")
        t.wait_for(r"article\(s\) match")
        t.send("Down", "Enter")
        time.sleep(0.5)
        t.send("p")
        t.wait_for(r"first country")
        t.type("China")
        t.send("Enter")
        time.sleep(0.5)  # focus moves to the second box
        t.type("Vietnam")
        t.send("Enter")
        t.wait_for(r"China – Vietnam")
        time.sleep(0.5)
        screen = t.screen()
    finally:
        t.close()
    data = raw.read_bytes()
    assert len(data) > 1000
    for seq in FORBIDDEN_BYTES:
        assert seq not in data, f"{seq!r} reached the terminal"
    assert "␛" in screen or "pwned" in screen  # the payload is on screen, as harmless text
