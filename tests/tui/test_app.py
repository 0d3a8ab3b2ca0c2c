"""Every reader flow through Textual's Pilot: open, read, jump, compare, search, pairs."""

from __future__ import annotations

import json
from dataclasses import replace

from textual.widgets import DataTable, Input, OptionList, Static

from sinoread.tui.screens.compare import CompareScreen
from sinoread.tui.screens.help import HelpScreen
from sinoread.tui.screens.matrix import MatrixScreen
from sinoread.tui.screens.pairs import PairScreen
from sinoread.tui.screens.search import SearchScreen
from sinoread.tui.widgets.article_list import ArticleList
from sinoread.tui.widgets.entity_panel import EntityPanel
from sinoread.tui.widgets.reader import ArticleReader
from tests.helpers import ROOT, ready, text_of


def reader(app) -> ArticleReader:
    return app.main_screen.query_one(ArticleReader)


async def test_open_builds_index_and_fills_list(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        table = app.main_screen.query_one(ArticleList)
        assert table.row_count == 5
        assert reader(app).article is not None
        assert not app.main_screen.query_one("#progress-row").display
        assert "5 articles" in text_of(app.main_screen.query_one("#status", Static))


async def test_warm_start_reuses_index(app_factory, tmp_path):
    app = app_factory()
    async with app.run_test() as pilot:
        await ready(pilot)
    gens = sorted(p.name for p in (tmp_path / "index").glob("gen-*"))
    app2 = app_factory()
    async with app2.run_test() as pilot:
        await ready(pilot)
        assert app2.main_screen.query_one(ArticleList).row_count == 5
    assert sorted(p.name for p in (tmp_path / "index").glob("gen-*")) == gens


async def test_warm_start_paints_from_the_overview_before_whoosh(app_factory, tmp_path):
    """The first frame of a warm start has the list and the newest article; the index opens behind it."""
    app = app_factory()
    async with app.run_test() as pilot:
        await ready(pilot)
    app2 = app_factory()
    seen = {}

    def first_frame() -> None:
        seen["rows"] = len(app2.rows)
        seen["article"] = reader(app2).article.id if reader(app2).article else None
        seen["searcher"] = app2.searcher

    async with app2.run_test() as pilot:
        app2.call_after_refresh(first_frame)
        await ready(pilot)
        assert seen["rows"] == 5
        assert seen["article"] == app2.index.overview().head[0].id
        assert seen["searcher"] is None  # not opened yet: the frame did not wait for Whoosh
        assert app2.searcher is not None  # ...but it is open once the worker ran
        app2.open_article("000_6547491093706553")
        await pilot.pause()
        assert reader(app2).article.id.startswith("000")


async def test_first_frame_lists_the_newest_rows_then_the_worker_brings_the_rest(app_factory, monkeypatch):
    """At 100,000 articles the first frame parses only the overview's newest rows; the
    count is right from the start and the full list follows from the worker."""
    import sinoread.indexing.generations as generations_mod

    app = app_factory()
    async with app.run_test() as pilot:
        await ready(pilot)
    monkeypatch.setattr(generations_mod, "OVERVIEW_HEAD", 2)
    app.index.update(rebuild=True, workers=1)  # writes an overview with a two-row head
    app2 = app_factory()
    seen = {}

    def first_frame() -> None:
        seen["listed"] = app2.main_screen.query_one(ArticleList).row_count
        seen["title"] = app2.sub_title
        seen["placeholder"] = app2.main_screen.query_one("#filter").placeholder

    async with app2.run_test() as pilot:
        app2.call_after_refresh(first_frame)
        await ready(pilot)
        await pilot.pause()
        assert seen["listed"] == 2 and seen["title"].startswith("5 articles")
        assert "2 of 5 listed" in seen["placeholder"]
        assert app2.main_screen.query_one(ArticleList).row_count == 5 and len(app2.rows) == 5
        assert not app2.rows_partial
        assert "listed" not in app2.main_screen.query_one("#filter").placeholder


async def test_refreshed_rows_with_a_new_title_are_redrawn(seeds_app):
    """The list keeps its table when the same rows arrive again, but never a stale one."""
    app = seeds_app()
    async with app.run_test() as pilot:
        await ready(pilot)
        articles = app.main_screen.query_one(ArticleList)
        first = articles.shown_rows[0].id
        rows = [replace(r, title="A retitled article") if r.id == first else r for r in app.rows]
        articles.set_articles(rows)
        await pilot.pause()
        assert str(articles.get_cell(first, "title")) == "A retitled article"


async def test_key_bar_shows_the_focused_keys_and_clicks_them(seeds_app):
    from sinoread.tui.widgets.key_bar import KeyBar

    app = seeds_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await ready(pilot)
        bar = app.main_screen.query_one(KeyBar)
        app.main_screen.query_one(ArticleList).focus()
        await pilot.pause()
        await pilot.pause()
        line = text_of(bar)
        assert "space Mark" in line and "/ Search" in line and "? Help" in line
        reader(app).focus()
        await pilot.pause()
        await pilot.pause()
        assert "] Next mention" in text_of(bar)
        start = next(x for x, _e, key in bar._targets if key == "slash")
        await pilot.click(KeyBar, offset=(start + 2, 0))
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)


async def test_key_bar_keeps_help_and_quit_when_narrow(seeds_app):
    from sinoread.tui.widgets.key_bar import KeyBar

    app = seeds_app()
    async with app.run_test(size=(60, 24)) as pilot:
        await ready(pilot)
        await pilot.pause()
        line = text_of(app.main_screen.query_one(KeyBar))
        assert "? Help" in line and "q Quit" in line
        assert len(line.rstrip()) <= 60


async def test_read_article_with_highlights(seeds_app):
    app = seeds_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.open_article("000_6547491093706553")
        await pilot.pause()
        r = reader(app)
        assert r.article.id.startswith("000")
        text = "".join(p.content.plain for p in r._paragraphs)
        assert "Tran Thanh Nghiem" in text
        assert "pledged · hotline" in text  # the agreement badge
        styles = {str(s.style) for p in r._paragraphs for s in p.content.spans}
        assert any("underline" in s for s in styles) and any("italic" in s for s in styles)
        meta = text_of(app.main_screen.query_one("#meta", Static))
        assert "Lucas Leiroz de Almeida" in meta and "Global Research" in meta and "2021-06-07" in meta


async def test_jump_to_mentions_and_explain(seeds_app):
    app = seeds_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.open_article("000_6547491093706553")
        await pilot.pause()
        panel = app.main_screen.query_one(EntityPanel)
        index = next(i for i in range(panel.option_count) if panel.get_option_at_index(i).id == "person:Xi Jinping")
        panel.focus()
        panel.highlighted = index
        await pilot.press("enter")
        await pilot.pause()
        r = reader(app)
        assert r.current_target().name == "Xi Jinping"
        first = r.target_index
        await pilot.press("right_square_bracket")
        assert r.target_index == (first + 1) % len(r.targets)
        assert all(t.name == "Xi Jinping" for t in r.targets)
        await pilot.press("left_square_bracket")
        assert r.target_index == first
        await pilot.press("w")
        await pilot.pause()
        assert any("Xi Jinping" in n.message for n in app._notifications)


async def test_raw_toggle_shows_original(seeds_app):
    app = seeds_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.open_article("000_6547491093706553")
        await pilot.pause()
        reader(app).focus()
        await pilot.press("r")
        await ready(pilot)  # read off the UI thread
        raw = reader(app).query_one(".raw", Static)
        assert "[InfoBrics](#)" in text_of(raw)
        assert "· read as UTF-8" in text_of(raw)  # which encoding, and so why the text looks as it does
        await pilot.press("r")
        await pilot.pause()
        assert not reader(app).query(".raw")


async def test_filter_and_sort(seeds_app):
    app = seeds_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f", *"russo")
        table = app.main_screen.query_one(ArticleList)
        assert table.visible_ids() == ["003_870f00a7dd296484"]
        app.main_screen.query_one("#filter", Input).value = ""
        await pilot.pause()
        table.focus()
        assert table.visible_ids()[0] == "000_6547491093706553"  # newest first; the undated follow
        await pilot.press("s")
        assert table.sorted_by == "title"
        assert table.visible_ids()[0] == "000_6547491093706553"  # "Beijing and Hanoi..."


async def test_compare_two_articles(seeds_app):
    app = seeds_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await ready(pilot)
        table = app.main_screen.query_one(ArticleList)
        table.focus()
        await pilot.press("space", "down", "space", "c")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        columns = list(app.screen.query(ArticleReader))
        assert len(columns) == 2
        assert "China" in columns[0].shared and "Vietnam" in columns[0].shared
        styles = [str(s.style) for p in columns[0]._paragraphs for s in p.content.spans]
        assert "bold underline" in styles  # shared entities emphasised
        badges = "".join(p.content.plain for p in columns[0]._paragraphs)
        assert "only here" in badges or "shared" in badges
        assert app.screen.focused is columns[0]
        await pilot.press("right")
        assert app.screen.focused is columns[1]
        await pilot.press("escape")
        assert not isinstance(app.screen, CompareScreen)


async def test_compare_needs_two_marked(seeds_app):
    app = seeds_app()
    async with app.run_test() as pilot:
        await ready(pilot)
        await pilot.press("c")
        assert not isinstance(app.screen, CompareScreen)
        assert any("Mark two" in n.message for n in app._notifications)


async def test_search_and_jump_to_hits(seeds_app):
    app = seeds_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"hotline", "enter")
        await ready(pilot)
        results = app.screen.query_one("#results", OptionList)
        assert results.option_count == 1
        assert "1 article(s) match" in text_of(app.screen.query_one("#search-count", Static))
        await pilot.press("down", "enter")
        await ready(pilot)
        r = reader(app)
        assert r.article.id.startswith("000") and r.hits
        s, e = r.hits[r.hit_index]
        assert r.article.text[s:e].lower() == "hotline"
        await pilot.press("n")
        assert r.hit_index == 0  # one hit: n wraps around


async def test_malformed_query_is_shown_inline(seeds_app):
    app = seeds_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *'"unbalanced', "enter")
        await ready(pilot)
        error = text_of(app.screen.query_one("#search-error", Static))
        assert "unbalanced quote" in error
        assert isinstance(app.screen, SearchScreen) and app.is_running
        box = app.screen.query_one("#query", Input)
        box.value = "NOT NOT china"
        await pilot.press("enter")
        await ready(pilot)
        assert "NOT NOT" in text_of(app.screen.query_one("#search-error", Static))
        box.value = "tanks"
        await pilot.press("enter")
        await ready(pilot)
        assert text_of(app.screen.query_one("#search-error", Static)) == ""
        assert app.screen.query_one("#results", OptionList).option_count == 1


async def test_pair_pick(seeds_app):
    app = seeds_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("p")
        assert isinstance(app.screen, PairScreen)
        await pilot.press(*"chin")
        await pilot.pause()
        await pilot.press("right")  # accept the completion
        assert app.screen.query_one("#first", Input).value.lower() == "china"
        await pilot.press("enter", *"hanoi", "enter")
        await ready(pilot)
        summary = text_of(app.screen.query_one("#pair-summary", Static))
        assert summary.startswith("China – Vietnam: 5 article(s)")
        await pilot.press("enter")
        await ready(pilot)
        r = reader(app)
        assert r.target_label == "pair China – Vietnam" and r.targets


async def test_pair_unknown_country_inline(seeds_app):
    app = seeds_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("p", *"China", "enter", *"Atlantis", "enter")
        await ready(pilot)
        assert "unknown country 'Atlantis'" in text_of(app.screen.query_one("#pair-error", Static))


async def test_matrix_to_pair(seeds_app):
    app = seeds_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MatrixScreen)
        assert app.screen.countries[:2] == ["Vietnam", "China"]
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=0, column=2)  # Vietnam x China
        await pilot.press("enter")
        await ready(pilot)
        assert isinstance(app.screen, PairScreen)
        assert "China – Vietnam: 5 article(s)" in text_of(app.screen.query_one("#pair-summary", Static))


async def test_help_lists_every_binding(seeds_app):
    app = seeds_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        ids = {str(table.get_row_at(i)[3]) for i in range(table.row_count)}
        assert {"app.search", "app.pairs", "reader.next-mention", "reader.why", "list.mark", "compare.next-column"} <= ids
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_command_palette_opens_screens_and_articles(seeds_app):
    app = seeds_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"pair matrix")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await ready(pilot)
        assert isinstance(app.screen, MatrixScreen)
        await pilot.press("escape", "ctrl+p")
        await pilot.pause()
        await pilot.press(*"Russo-Vietnamese")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await ready(pilot)
        assert reader(app).article.id.startswith("003")


async def test_theme_switch(seeds_app):
    app = seeds_app()
    async with app.run_test() as pilot:
        await ready(pilot)
        assert app.theme == "textual-dark"
        await pilot.press("t")
        assert app.theme == "textual-light"
        await pilot.press("t")
        assert app.theme == "textual-dark"


async def test_keys_remapped_from_config(app_factory, tmp_path):
    cfg = tmp_path / "config.yaml"
    cfg.write_text((ROOT / "config.yaml").read_text().replace("keys: {}", "keys:\n  app.search: ctrl+f"))
    app = app_factory(config=cfg)
    async with app.run_test() as pilot:
        await ready(pilot)
        await pilot.press("ctrl+f")
        assert isinstance(app.screen, SearchScreen)


HOSTILE = (
    "Title [bold]x[/bold] [@click=app.quit]click me[/] [/]\n\n"
    "China and Vietnam [link=https://evil.test]agreed[/link] to a hotline. "
    "\x1b]52;c;SGVsbG8=\x07 and \x1b]0;pwned\x07 and \x1b[2J and \u202eevil\u202c. [i]gone?[/i]\n"
)


async def test_hostile_article_text_is_inert(app_factory, tmp_path):
    corpus = tmp_path / "hostile"
    corpus.mkdir()
    (corpus / "[b]name[@click=app.quit].txt").write_text(HOSTILE, encoding="utf-8")
    app = app_factory(corpus=corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        r = reader(app)
        assert r.article is not None
        shown = "".join(p.content.plain for p in r._paragraphs)
        assert "[@click=app.quit]click me[/]" in shown
        assert "[i]gone?[/i]" in shown
        assert "\x1b" not in shown and "␛]52;c;" in shown and "<U+202E>" in shown
        title_para = r.query(Static).first()
        await pilot.click(title_para)
        await pilot.pause()
        assert app.is_running
        table = app.main_screen.query_one(ArticleList)
        assert "[@click=app.quit]" in str(table.get_row_at(0)[2])
        await pilot.press("ctrl+p", *"click")
        await pilot.pause(0.5)
        assert app.is_running


async def test_pair_lists_every_agreement(seeds_app):
    app = seeds_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("p", *"China", "enter", *"Vietnam", "enter")
        await ready(pilot)
        expected = sum(len(a.agreements) for a in app.screen.result.articles)
        await pilot.press("a")
        await pilot.pause()
        results = app.screen.query_one("#pair-results", OptionList)
        assert results.option_count == expected > 10
        assert f"{expected} agreement(s) in 5 article(s)" in text_of(app.screen.query_one("#pair-summary", Static))
        await pilot.press("enter")
        await ready(pilot)
        assert reader(app).article is not None and reader(app).target_label == "pair China – Vietnam"


async def test_long_article_is_shown_a_window_at_a_time(app_factory, tmp_path):
    from sinoread.tui.widgets.reader import WINDOW_CHARS

    corpus = tmp_path / "long"
    corpus.mkdir()
    para = "China and Vietnam agreed to a hotline in Hanoi. " * 8
    paragraphs = 20 * WINDOW_CHARS // len(para)  # one window, with its badges, is under a tenth
    text = "\n\n".join(f"{i}: {para}" for i in range(paragraphs))
    (corpus / "long.txt").write_text("Long article\n\n" + text)
    app = app_factory(corpus=corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        r = reader(app)
        assert r.article.id == "long" and r.window is not None
        shown = str(r.body.render())
        assert "characters below" in shown and len(shown) < len(r.article.text) // 10
        far = r.analysis.mentions[-1]
        r.set_targets(far.name, far.kind)
        r.target_index = len(r.targets) - 2
        r.focus()
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert r.window[0] <= far.start <= r.window[1]
        assert "characters above" in str(r.body.render())


async def test_long_list_is_capped_and_the_filter_narrows_it(seeds_app, monkeypatch):
    from sinoread.tui.widgets import article_list

    monkeypatch.setattr(article_list, "MAX_ROWS", 3)
    app = seeds_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        table = app.main_screen.query_one(ArticleList)
        assert table.row_count == 3 and table.hidden == 2
        box = app.main_screen.query_one("#filter", Input)
        assert "3 of 5 listed" in box.placeholder
        await pilot.press("f", *"russo")
        await pilot.pause()
        assert table.row_count == 1 and box.placeholder == "filter (f)…"


async def test_first_frame_paints_the_top_then_the_whole_article(seeds_app):
    from sinoread.tui.widgets.reader import FIRST_FRAME_CHARS

    app = seeds_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        r = reader(app)
        article, analysis = app.load_article("002_484ac26e3499b02f")
        assert len(article.text) > FIRST_FRAME_CHARS
        r.show(article, analysis)
        assert r.window is not None and r.window[1] <= FIRST_FRAME_CHARS  # this frame: the top only
        assert "characters below" not in "".join(p.content.plain for p in r._paragraphs)
        await pilot.pause()
        await pilot.pause()
        assert r.window is None  # next frame: all of it
        assert r._paragraphs[-1].end == len(article.text.rstrip())
        r.show(article, analysis, at=5000)  # opened at an offset: no partial frame
        assert r.window is None


async def test_a_damaged_overview_falls_back_to_the_index(app_factory, tmp_path):
    app = app_factory()
    async with app.run_test() as pilot:
        await ready(pilot)
    gen = next((tmp_path / "index").glob("gen-*"))
    toc = next(gen.glob("_MAIN_*.toc")).name[6:-4]
    (gen / "overview.json").write_text(json.dumps(
        {"toc": int(toc), "articles": [{"id": "x", "stamp": []}], "first": {"article": {"id": 1}}}))
    app2 = app_factory()
    async with app2.run_test() as pilot:
        await ready(pilot)
        assert app2.main_screen.query_one(ArticleList).row_count == 5
        assert reader(app2).article is not None


async def test_a_build_the_reader_follows_keeps_its_batches_instead_of_merging(app_factory, monkeypatch, tmp_path):
    """Merging the batches was 40% of the reader's own first build: its segments stay, and the
    status goes from progress to done with no merge phase."""
    import sinoread.indexing.build as build_mod
    from sinoread.tui.screens.main import MainScreen

    monkeypatch.setattr(build_mod, "BATCH_DOCS", 2)
    shown = []
    original = MainScreen.show_status

    def record(self, text):
        shown.append(text)
        original(self, text)

    monkeypatch.setattr(MainScreen, "show_status", record)
    app = app_factory()
    async with app.run_test() as pilot:
        await ready(pilot)
        assert not any("merging" in text for text in shown)
        assert "5 articles" in text_of(app.main_screen.query_one("#status", Static))
        (gen,) = (tmp_path / "index").glob("gen-*")
        assert len(list(gen.glob("*.trm"))) == 3  # batches of 2, 2 and 1
        assert len(app.searcher.keyword("china").hits) == 5
