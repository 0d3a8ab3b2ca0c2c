"""The actor index: people and organisations across the corpus; one actor's sentences and company."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from sinoread.tui import render
from sinoread.tui.widgets.key_bar import KeyBar
from sinoread.workbench.actors import Actor, ActorDetail

if TYPE_CHECKING:
    from sinoread.tui.app import SinoreadApp


class ActorsScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="actors.back"),
        Binding("f", "focus_filter", "Filter", id="actors.filter"),
        Binding("tab", "focus_next", "Next pane", show=False, id="actors.next-pane"),
    ]

    app: SinoreadApp
    """Textual's `app`, typed for the checker: this screen asks the reader for data."""

    def __init__(self, name: str = "") -> None:
        super().__init__()
        self.initial = name
        self.shown: list[Actor] = []
        self.detail: ActorDetail | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(value=self.initial, placeholder="filter: a name or spelling (Ngo Xuan Lich, CCG…)", id="actors-filter")
        with Horizontal(id="actors-panes"):
            yield OptionList(id="actors-list")
            with Vertical(id="actor-detail"):
                yield Static("", id="actor-summary")
                yield OptionList(id="actor-sentences")
        yield KeyBar()

    def on_mount(self) -> None:
        self.apply_filter(self.initial)
        self.query_one("#actors-list").focus()

    @on(Input.Changed, "#actors-filter")
    def changed(self, event: Input.Changed) -> None:
        self.apply_filter(event.value)

    @on(Input.Submitted, "#actors-filter")
    def submitted(self) -> None:
        self.query_one("#actors-list").focus()

    def apply_filter(self, text: str) -> None:
        actors = self.app.workbench.actors
        self.shown = actors.find(text) if text.strip() else list(actors.actors)
        lst = self.query_one("#actors-list", OptionList)
        lst.clear_options()
        lst.add_options([Option(self.actor_line(a)) for a in self.shown])
        if self.shown:
            lst.highlighted = 0
            self.show_detail(self.shown[0])
        else:
            self.query_one("#actor-summary", Static).update(render.plain("No person or organisation matches", "dim"))
            self.query_one("#actor-sentences", OptionList).clear_options()

    @staticmethod
    def actor_line(a: Actor) -> Content:
        style = render.STYLES.get(a.kind, "bold")
        extra = ", ".join(x for x in (a.role, a.country) if x)
        return Content.assemble(render.plain(a.name, style), render.plain(f"  {extra}" if extra else "", "dim"),
                                (f"  {a.articles} art · {a.mentions}×", "dim"), strip_control_codes=False)

    @on(OptionList.OptionHighlighted, "#actors-list")
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if 0 <= event.option_index < len(self.shown):
            self.show_detail(self.shown[event.option_index])

    @on(OptionList.OptionSelected, "#actors-list")
    def selected(self) -> None:
        self.query_one("#actor-sentences").focus()

    def show_detail(self, actor: Actor) -> None:
        d = self.app.workbench.actors.detail(actor)
        self.detail = d
        lines: list[Any] = [render.plain(actor.name, "bold"), (f"  {actor.kind}", "dim")]
        if actor.role or actor.country:
            lines.append(render.plain("  " + ", ".join(x for x in (actor.role, actor.country) if x)))
        if actor.aliases:
            lines += [("\nalso written: ", "dim"), render.plain("; ".join(actor.aliases))]
        lines += [(f"\n{len(d.article_ids)} article(s), {len(d.sentences)} sentence(s)", "dim")]
        if d.appears_with:
            lines += [("\nappears with: ", "dim"), render.plain(", ".join(f"{w.name} ({w.sentences})" for w in d.appears_with[:8]))]
        self.query_one("#actor-summary", Static).update(Content.assemble(*lines, strip_control_codes=False))
        sentences = self.query_one("#actor-sentences", OptionList)
        sentences.clear_options()
        sentences.add_options([
            Option(Content.assemble(render.plain(s.title or s.article_id, "dim italic"), ("\n", ""), render.plain(s.text),
                                    strip_control_codes=False))
            for s in d.sentences
        ])
        if d.sentences:
            sentences.highlighted = 0

    @on(OptionList.OptionSelected, "#actor-sentences")
    def open_sentence(self, event: OptionList.OptionSelected) -> None:
        assert self.detail is not None
        s = self.detail.sentences[event.option_index]
        self.app.open_article(s.article_id, at=s.start)

    def action_focus_filter(self) -> None:
        self.query_one("#actors-filter", Input).focus()
