"""The reader: one article, highlighted, with mention and hit navigation and a raw view."""

from __future__ import annotations

from bisect import bisect_right
from typing import Any, ClassVar

from textual import work
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from sinoread.models import Analysis, Article, Mention
from sinoread.tui import render
from sinoread.tui.failures import ReportsWorkerFailures

FIRST_FRAME_CHARS = 3_000
"""An article opened at its top paints this much first and the rest a frame later: the first
frame (the app's start, every open) does not wait for a screenful that is not seen."""
WINDOW_CHARS = 30_000
"""A longer article is rendered a window at a time: Textual lays out a 2 MB Static in
tens of seconds, a 30,000-character window in a blink."""


RAW_TIME_LIMIT = 5.0
"""Seconds the raw view waits for the file (a slow network mount) before saying so."""


class ArticleReader(ReportsWorkerFailures, VerticalScroll, can_focus=True):
    """Shows one article as paragraphs of styled Content; nothing in it is markup."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right_square_bracket", "next_mention", "Next mention", id="reader.next-mention"),
        Binding("left_square_bracket", "previous_mention", "Prev mention", id="reader.previous-mention"),
        Binding("n", "next_hit", "Next hit", id="reader.next-hit"),
        Binding("N", "previous_hit", "Prev hit", show=False, id="reader.previous-hit"),
        Binding("right_parenthesis", "next_sentence", "Next sentence", show=False, id="reader.next-sentence"),
        Binding("left_parenthesis", "previous_sentence", "Prev sentence", show=False, id="reader.previous-sentence"),
        Binding("w", "why", "Why?", tooltip="Explain why the current highlight was marked", id="reader.why"),
        Binding("r", "toggle_raw", "Raw", tooltip="Toggle the original file's text", id="reader.raw"),
    ]

    class MentionFocused(Message):
        def __init__(self, reader: "ArticleReader", mention: Any) -> None:
            super().__init__()
            self.reader = reader
            self.mention = mention

    def __init__(
        self, *, shared: set[str] | None = None, unique: set[str] | None = None,
        agreement_notes: dict[int, str] | None = None, **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.article: Article | None = None
        self.analysis: Analysis | None = None
        self.targets: list[Any] = []
        """What `]`/`[` walk through: every mention, or the mentions of one chosen entity."""
        self.target_index = -1
        self.target_label = "all highlights"
        self.hits: list[tuple[int, int]] = []
        self.hit_index = -1
        self.raw = False
        self.raw_text: str | None = None
        self.shared = shared
        self.unique = unique
        self.agreement_notes = agreement_notes
        self._paragraphs: list[render.Paragraph] = []
        self.noted: set[int] = set()
        """Offsets of sentences with a note (marked ✎)."""
        self.window: tuple[int, int] | None = None
        self._provisional = False
        """The first frame shows only the article's top; the full window follows."""
        self._all_paragraphs: list[tuple[int, int]] = []

    # -- content --

    def show(self, article: Article, analysis: Analysis, hits: list[tuple[int, int]] | None = None,
             at: int | None = None) -> None:
        """Display an article; `hits` enables n/N; `at` scrolls to a character offset."""
        self.article, self.analysis = article, analysis
        self._all_paragraphs = render.paragraphs(article.text)
        self.window = self._window_around(at if at is not None else (hits[0][0] if hits else 0))
        self._provisional = at is None and not hits and len(article.text) > FIRST_FRAME_CHARS
        if self._provisional:
            full = self.window
            top = [e for _s, e in self._all_paragraphs if e <= FIRST_FRAME_CHARS] or [self._all_paragraphs[0][1]]
            self.window = (0, top[-1])
            self.call_after_refresh(self._complete_first_frame, article, full)
        self.raw = False
        self.raw_text = None
        self.hits = hits or []
        self.hit_index = 0 if self.hits else -1
        self.set_targets(None)
        self._rerender()
        if self.hits:
            self.call_after_refresh(self._scroll_to_offset, self.hits[0][0])
        elif at is not None:
            self.call_after_refresh(self._scroll_to_offset, at)
        else:
            self.scroll_home(animate=False)

    def _complete_first_frame(self, article: Article, window: tuple[int, int] | None) -> None:
        if self.article is article and self._provisional:
            self._provisional = False
            self.window = window
            self._rerender()

    def set_targets(self, name: str | None, kind: str | None = None) -> None:
        """Limit mention navigation to one entity (None: all highlights and agreements)."""
        if self.analysis is None:
            return
        if name is None:
            items: list[Any] = list(self.analysis.mentions) + list(self.analysis.agreements)
            items.sort(key=lambda m: m.start)
            self.target_label = "all highlights"
        elif kind == "agreement":
            items = [a for a in self.analysis.agreements if a.kind == name or a.sentence == name]
            self.target_label = f"agreements: {name}"
        elif kind == "sentence":
            items = list(self.analysis.sentences)
            self.target_label = "sentences"
        else:
            items = [m for m in self.analysis.mentions if m.name == name or m.country == name and m.kind == "country"]
            self.target_label = name
        self.targets = items
        self.target_index = -1

    def set_pair_targets(self, pair: tuple[str, str]) -> None:
        """Limit mention navigation to the sentences where both countries meet."""
        if self.analysis is None:
            return
        a, b = pair
        self.targets = [s for s in self.analysis.sentences if a in s.countries and b in s.countries]
        self.target_label = f"pair {a} – {b}"
        self.target_index = -1

    def on_mount(self) -> None:
        self.mount(Static(id="article-body"))

    @property
    def body(self) -> Static:
        return self.query_one("#article-body", Static)

    def _rerender(self) -> None:
        """One Static holds the whole article: a widget per paragraph made the first paint
        of a long article several times slower."""
        if self.article is None or self.analysis is None:
            return
        if self.raw:
            self.body.update(render.plain(self.raw_text or ""))
            self.body.set_class(True, "raw")
            return
        self.body.set_class(False, "raw")
        current = None
        if 0 <= self.target_index < len(self.targets):
            t = self.targets[self.target_index]
            current = (t.start, t.end) if not isinstance(t, Mention) else t
        hit = [self.hits[self.hit_index]] if 0 <= self.hit_index < len(self.hits) else []
        self._paragraphs = render.render_article(
            self.article.text, self.analysis, current=current, hits=hit, shared=self.shared, unique=self.unique,
            agreement_notes=self.agreement_notes, window=self.window, noted=self.noted,
        )
        parts = [p.content for p in self._paragraphs]
        if parts and self.article.title and self._paragraphs[0].start == 0:
            parts[0] = parts[0].stylize_before(render.TITLE)
        if self.window and self.window[0] > 0:
            parts.insert(0, Content.styled(f"⋯ {self.window[0]:,} characters above: scroll up or press [ to go back", "dim italic"))
        if self.window and self.window[1] < len(self.article.text) and not self._provisional:
            rest = len(self.article.text) - self.window[1]
            parts.append(Content.styled(f"⋯ {rest:,} characters below: scroll down or press ] to go on", "dim italic"))
        self.body.update(Content("\n\n").join(parts))

    def _window_around(self, offset: int) -> tuple[int, int] | None:
        """The paragraphs to render around an offset (None: the whole article is small)."""
        if self.article is None or len(self.article.text) <= WINDOW_CHARS:
            return None
        paras = self._all_paragraphs
        starts = [s for s, _ in paras]
        i = max(0, bisect_right(starts, offset) - 1)
        first = i
        while first > 0 and paras[i][0] - paras[first - 1][0] < WINDOW_CHARS // 3:
            first -= 1
        last = i
        while last + 1 < len(paras) and paras[last + 1][1] - paras[first][0] < WINDOW_CHARS:
            last += 1
        return paras[first][0], paras[last][1]

    def watch_scroll_y(self, old: float, new: float) -> None:
        """At either end of a window, slide it on (the virtual part of the view)."""
        super().watch_scroll_y(old, new)
        if not self.window or self.article is None or self.raw:
            return
        if new >= self.max_scroll_y - 1 and new > old and self.window[1] < len(self.article.text):
            self._slide(self.window[1])
        elif new <= 0 and new < old and self.window[0] > 0:
            self._slide(self.window[0])

    def _slide(self, anchor: int) -> None:
        self._provisional = False
        self.window = self._window_around(anchor)
        self._rerender()
        self.call_after_refresh(self._scroll_to_offset, anchor)

    def line_of(self, offset: int) -> int:
        """The screen line (from the top of the article) that shows a character offset."""
        width = max(10, self.scrollable_content_region.width)
        y = 0
        for p in self._paragraphs:
            lines = p.content.wrap(width)
            if p.start <= offset <= p.end:
                target, seen = p.content_offset(offset), 0
                for i, line in enumerate(lines):
                    seen += len(line.plain) + 1  # the space the wrap consumed
                    if seen > target:
                        return y + i
                return y + max(0, len(lines) - 1)
            y += len(lines) + 1
        return y

    def _scroll_to_offset(self, offset: int) -> None:
        self._provisional = False
        if self.window and not (self.window[0] <= offset <= self.window[1]):
            self.window = self._window_around(offset)
            self._rerender()
            self.call_after_refresh(self._scroll_to_offset, offset)
            return
        y = self.line_of(offset) + (2 if self.window and self.window[0] > 0 else 0)
        self.scroll_to(y=max(0, y - self.scrollable_content_region.height // 3), animate=False)

    # -- navigation --

    def current_target(self) -> Any:
        if 0 <= self.target_index < len(self.targets):
            return self.targets[self.target_index]
        return None

    def _move(self, step: int) -> None:
        self._provisional = False
        if not self.targets:
            self.notify("Nothing to jump to here", timeout=2)
            return
        self.target_index = (self.target_index + step) % len(self.targets)
        target = self.targets[self.target_index]
        if self.window and not (self.window[0] <= target.start <= self.window[1]):
            self.window = self._window_around(target.start)
        self._rerender()
        self.call_after_refresh(self._scroll_to_offset, target.start)
        self.post_message(self.MentionFocused(self, target))

    def action_next_mention(self) -> None:
        self._move(1)

    def action_previous_mention(self) -> None:
        self._move(-1)

    def _move_hit(self, step: int) -> None:
        self._provisional = False
        if not self.hits:
            self.notify("No search hits in this article; search with /", timeout=2)
            return
        self.hit_index = (self.hit_index + step) % len(self.hits)
        if self.window and not (self.window[0] <= self.hits[self.hit_index][0] <= self.window[1]):
            self.window = self._window_around(self.hits[self.hit_index][0])
        self._rerender()
        self.call_after_refresh(self._scroll_to_offset, self.hits[self.hit_index][0])

    def _move_sentence(self, step: int) -> None:
        """Walk sentences (to pick one for a note), starting from where the reader is."""
        if self.analysis is None:
            return
        here = self.current_target()
        if self.target_label != "sentences":
            # Start from the sentence that holds the current highlight or hit: land on it first.
            at = here.start if here is not None else (self.hits[self.hit_index][0] if 0 <= self.hit_index < len(self.hits) else None)
            self.set_targets(None, "sentence")
            holding = [i for i, s in enumerate(self.targets) if at is not None and s.start <= at]
            if holding:
                self.target_index = holding[-1] - step
        self._move(step)

    def action_next_sentence(self) -> None:
        self._move_sentence(1)

    def action_previous_sentence(self) -> None:
        self._move_sentence(-1)

    def current_sentence(self) -> tuple[int, int] | None:
        """The sentence holding the current highlight, hit or chosen sentence."""
        if self.analysis is None:
            return None
        t = self.current_target()
        at = t.start if t is not None else (self.hits[self.hit_index][0] if 0 <= self.hit_index < len(self.hits) else None)
        if at is None:
            return None
        for s in self.analysis.sentences:
            if s.start <= at < max(s.end, s.start + 1):
                return s.start, s.end
        return None

    def set_noted(self, offsets: set[int]) -> None:
        self.noted = offsets
        self._rerender()

    def action_next_hit(self) -> None:
        self._move_hit(1)

    def action_previous_hit(self) -> None:
        self._move_hit(-1)

    def explanation(self) -> str | None:
        """Why the current highlight was marked, in words."""
        t = self.current_target()
        if t is None or self.article is None:
            return None
        surface = self.article.text[t.start:t.end]
        if isinstance(t, Mention):
            extra = ", ".join(x for x in (t.role, t.country if t.country != t.name else None) if x)
            return f"{surface!r} → {t.kind} {t.name}{' (' + extra + ')' if extra else ''}: {t.why}"
        if hasattr(t, "status"):
            return f"Agreement [{t.status} · {t.kind}] {', '.join(t.parties)}: {t.why}"
        return f"Sentence ({t.tone}) {', '.join(t.countries)}: {t.why}"

    def action_why(self) -> None:
        text = self.explanation()
        if text is None:
            self.notify("Move to a highlight first with ] or [", timeout=3)
        else:
            self.notify(text, title="Why marked", markup=False, timeout=8)

    def action_toggle_raw(self) -> None:
        if self.article is None:
            return
        self.raw = not self.raw
        if self.raw and self.raw_text is None:
            self.raw_text = "(reading the original file ...)"
            self.load_raw(self.article)
            self.set_timer(RAW_TIME_LIMIT, lambda article_id=self.article.id: self._raw_loaded(
                article_id, f"(the original file took more than {RAW_TIME_LIMIT:.0f} s to read; giving up)",
                only_if_waiting=True))
        self._rerender()
        self.scroll_home(animate=False)
        self.notify("Original file" if self.raw else "Cleaned article", timeout=2)

    @work(thread=True, exclusive=True, group="raw", exit_on_error=False)
    def load_raw(self, article: Article) -> None:
        """The file as it is on disk, read off the UI thread; its first line says which encoding
        it was read in (detected, for anything but UTF-8 and UTF-16)."""
        from sinoread.ingest.reading import ArticleError, read_original
        from sinoread.ingest.sanitize import sanitize

        path = sanitize(article.path)
        try:
            text, encoding = read_original(article.path, self.app.index.corpus)
            shown = f"Original file {path} · read as {encoding}\n\n{text}"
        except ArticleError as exc:
            shown = f"(cannot read {path}: {exc})"
        self.app.call_from_thread(self._raw_loaded, article.id, shown)

    def _raw_loaded(self, article_id: str, text: str, only_if_waiting: bool = False) -> None:
        if self.article is None or self.article.id != article_id:
            return  # another article was opened meanwhile
        if only_if_waiting and self.raw_text != "(reading the original file ...)":
            return
        self.raw_text = text
        if self.raw:
            self._rerender()


def meta_line(article: Article) -> Content:
    """Author, source and date above the text (untrusted values stay plain)."""
    parts: list[Any] = []
    for label, value in (("by ", article.author), ("", article.source), ("", article.date)):
        if value:
            if parts:
                parts.append(("  ·  ", "dim"))
            parts.append((label, "dim"))
            parts.append(render.plain(value, "bold"))
    if not parts:
        parts.append(("author, source and date unknown", "dim italic"))
    parts.append(("  ·  ", "dim"))
    parts.append(render.plain(article.id, "dim"))
    return Content.assemble(*parts, strip_control_codes=False)
