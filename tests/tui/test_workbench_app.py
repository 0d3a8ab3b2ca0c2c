"""The workbench screens through Pilot: timeline, actors, notes and stars, sources, export, teach."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.widgets import Input, OptionList, Static

from sinoread.resources import bundled_config_path
from sinoread.tui.screens.actors import ActorsScreen
from sinoread.tui.screens.export import ExportScreen
from sinoread.tui.screens.notes import NoteEditor, NotesScreen
from sinoread.tui.screens.sources import SourcesScreen
from sinoread.tui.screens.teach import TeachScreen
from sinoread.tui.screens.timeline import TimelineScreen
from sinoread.tui.widgets.article_list import ArticleList
from sinoread.tui.widgets.reader import ArticleReader
from tests.helpers import ready, text_of, wait_until


async def open_view(pilot, key: str, screen_type) -> None:
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, screen_type))
    assert isinstance(pilot.app.screen, screen_type)


async def export_here(pilot, path: Path) -> None:
    await pilot.press("x")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ExportScreen)
    box = pilot.app.screen.query_one("#export-path", Input)
    box.value = str(path)
    await pilot.press("enter")
    await wait_until(pilot, path.exists)


async def test_the_workbench_is_computed_when_a_view_needs_it_never_at_start_up(seeds_app):
    app = seeds_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert app.workbench is None
        await open_view(pilot, "S", SourcesScreen)
        assert app.workbench is not None


async def test_brief_of_every_china_vietnam_agreement_from_the_timeline(seeds_app, tmp_path):
    """The issue's bar: a Markdown brief of China–Vietnam agreements, then Russia–Vietnam, in the app."""
    app = seeds_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await open_view(pilot, "T", TimelineScreen)
        await pilot.press("f", *"china vietnam", "enter")
        await pilot.pause()
        screen = app.screen
        assert screen.pair == ("China", "Vietnam")
        assert screen.entries and all({"China", "Vietnam"} <= set(e.parties) for e in screen.entries)
        assert "lifecycle" in text_of(screen.query_one("#timeline-summary", Static))
        await export_here(pilot, tmp_path / "cv.md")
        brief = (tmp_path / "cv.md").read_text(encoding="utf-8")
        assert brief.startswith("# Agreement timeline") and "**China – Vietnam**" in brief
        assert "2021-06-07 (article date) · hotline · pledged" in brief and "Global Research" in brief
        assert brief.count("\n- **") == len(screen.entries)

        await pilot.press("f")
        screen.query_one("#timeline-filter", Input).value = ""
        await pilot.press(*"Moscow Hanoi", "enter")
        await pilot.pause()
        assert screen.pair == ("Russia", "Vietnam")
        await export_here(pilot, tmp_path / "rv.md")
        rv = (tmp_path / "rv.md").read_text(encoding="utf-8")
        assert "2014-11 · basing · signed" in rv and "In November 2014, the two countries signed" in rv

        # Enter opens the sentence in its article.
        screen.query_one("#timeline-list").focus()
        await pilot.press("enter")
        await pilot.pause(0.2)
        reader = app.main_screen.query_one(ArticleReader)
        assert reader.article.id == screen.entries[0].article_id


async def test_timeline_filter_errors_are_inline(seeds_app):
    app = seeds_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await open_view(pilot, "T", TimelineScreen)
        await pilot.press("f", *"atlantis kind:patrol", "enter")
        await pilot.pause()
        assert "unknown country 'atlantis'" in text_of(app.screen.query_one("#timeline-error", Static))
        assert isinstance(app.screen, TimelineScreen)


async def test_actors_screen_merges_spellings_and_opens_sentences(seeds_app):
    app = seeds_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await open_view(pilot, "A", ActorsScreen)
        await pilot.press("f", *"Ngô Xuân")
        await pilot.pause()
        screen = app.screen
        assert screen.shown[0].name == "Ngo Xuan Lich"
        summary = text_of(screen.query_one("#actor-summary", Static))
        assert "Ngô Xuân Lịch" in summary and "Tran Dai Quang" in summary
        screen.query_one("#actor-sentences", OptionList).focus()
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert app.main_screen.query_one(ArticleReader).article.id.startswith("003")


async def test_note_star_and_notes_screen(app_factory, tmp_path, monkeypatch):
    monkeypatch.setenv("SINOREAD_NOTES", str(tmp_path / "notes.sqlite3"))
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        reader = app.main_screen.query_one(ArticleReader)
        reader.focus()
        await pilot.press("right_parenthesis", "right_parenthesis")
        sentence = reader.current_sentence()
        assert sentence is not None
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"check the date", "enter", *"follow-up", "enter")
        await pilot.pause()
        assert sentence[0] in reader.noted
        assert any("✎" in p.content.plain for p in reader._paragraphs)
        await pilot.press("b")
        await pilot.pause()
        assert reader.article.id in app.main_screen.query_one(ArticleList).stars
        await pilot.press("B")
        await pilot.pause()
        assert isinstance(app.screen, NotesScreen)
        assert app.screen.items[0] == ("star", reader.article.id)
        note = app.screen.items[1][1]
        assert note.note == "check the date" and note.tags == ("follow-up",) and note.status == "anchored"
        await export_here(pilot, tmp_path / "notes.json")
        assert '"note": "check the date"' in (tmp_path / "notes.json").read_text(encoding="utf-8")
        await pilot.press("escape")
        await pilot.press("escape")
    # A second session (after a re-index) still has them.
    app2 = app_factory()
    async with app2.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert len(app2.anchored_notes()) == 1 and app2.starred()


async def test_sources_screen_marks_the_self_repeating_seed(seeds_app):
    app = seeds_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await open_view(pilot, "S", SourcesScreen)
        dup = text_of(app.screen.query_one("#sources-duplicates", Static))
        assert "repeats its own text" in dup and "China, Vietnam Coast Guards Pledge SCS Cooperation" in dup


async def test_export_article_and_pair_from_their_screens(seeds_app, tmp_path):
    app = seeds_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await export_here(pilot, tmp_path / "article.csv")
        assert (tmp_path / "article.csv").read_text(encoding="utf-8").startswith("section,date,")
        await pilot.press("p", *"china", "tab", *"vietnam", "enter")
        await wait_until(pilot, lambda: app.screen.query_one("#pair-results", OptionList).option_count)
        # the distinct-story count arrives once every article was read
        await wait_until(pilot, lambda: "distinct stor" in text_of(app.screen.query_one("#pair-summary", Static)))
        assert "(5 distinct stories)" in text_of(app.screen.query_one("#pair-summary", Static))
        await export_here(pilot, tmp_path / "pair.md")
        assert "## Agreements" in (tmp_path / "pair.md").read_text(encoding="utf-8")


async def test_export_to_a_missing_folder_says_so(seeds_app, tmp_path):
    app = seeds_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(tmp_path / "nope" / "x.md")
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, ExportScreen)
        assert "does not exist" in text_of(app.screen.query_one("#export-error", Static))


async def test_teach_an_alias_rewrites_config_and_reannotates(app_factory, tmp_path):
    config = tmp_path / "config.yaml"
    shutil.copy(bundled_config_path(), config)
    original = config.read_text(encoding="utf-8")
    app = app_factory(config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        before = app.index.cfg.digest
        await pilot.press("plus")
        await pilot.pause()
        assert isinstance(app.screen, TeachScreen)
        app.screen.query_one("#teach-text", Input).value = "Middle Kingdom"
        app.screen.query_one("#teach-kind").query("RadioButton")[0].value = True  # alias
        app.screen.query_one("#teach-country", Input).value = "China"
        app.screen.query_one("#teach-country", Input).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.index.cfg.digest != before)
        await ready(pilot)
        assert app.index.cfg.resolve_country("middle kingdom") == "China"
        assert app.searcher.cfg is app.index.cfg
    text = config.read_text(encoding="utf-8")
    assert "Middle Kingdom" in text
    # comments and order are kept: every original comment line is still there, in order
    comments = [line for line in original.splitlines() if line.lstrip().startswith("#")]
    kept = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert kept == comments


async def test_teach_refuses_an_alias_without_a_country(app_factory, tmp_path):
    config = tmp_path / "config.yaml"
    shutil.copy(bundled_config_path(), config)
    app = app_factory(config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("plus")
        await pilot.pause()
        app.screen.query_one("#teach-text", Input).value = "Middle Kingdom"
        app.screen.query_one("#teach-kind").query("RadioButton")[0].value = True
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert "needs the country" in text_of(app.screen.query_one("#teach-error", Static))
    assert config.read_text(encoding="utf-8") == bundled_config_path().read_text(encoding="utf-8")


async def test_a_broken_notes_database_is_reported_once_and_reading_goes_on(app_factory, tmp_path, monkeypatch):
    bad = tmp_path / "notes.sqlite3"
    bad.write_bytes(b"not a database" * 100)
    monkeypatch.setenv("SINOREAD_NOTES", str(bad))
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.open_article("000_6547491093706553")
        app.open_article("003_870f00a7dd296484")
        await pilot.pause(0.2)
        assert app.main_screen.query_one(ArticleReader).article.id.startswith("003")
        notes_errors = [n for n in app._notifications if n.title == "Notes"]
        assert len(notes_errors) == 1 and "left untouched" in notes_errors[0].message
    assert bad.read_bytes().startswith(b"not a database")
