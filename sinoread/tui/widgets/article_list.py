"""The article list: filter as you type, sort by date, title or source, mark for compare."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable

from sinoread.ingest.fold import fold
from sinoread.models import ArticleRow, newest_first

MAX_ROWS = 500
"""Rows listed at once; past this the filter narrows the list. DataTable measures every
cell it is given: 2,000 rows were half a second of the first frame."""
SORTS = ("date", "title", "source")


class ArticleList(DataTable[Any]):
    """One row per article; rows are keyed by article id."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_mark", "Mark", tooltip="Mark for side-by-side compare", id="list.mark"),
        Binding("s", "cycle_sort", "Sort", tooltip="Sort by date, title or source", id="list.sort"),
    ]

    class Refilled(Message):
        """The rows were rebuilt: `shown` of `matching` (of `total`) are listed."""

        def __init__(self, shown: int, matching: int, total: int) -> None:
            super().__init__()
            self.shown, self.matching, self.total = shown, matching, total

    class Chosen(Message):
        """The analyst opened an article (Enter or click)."""

        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    class Highlighted(Message):
        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.rows_data: dict[str, ArticleRow] = {}
        self.marked: list[str] = []
        self.filter_text = ""
        self.sorted_by = "date"
        """One of SORTS (not `sort`: that is DataTable's method)."""
        self.hidden = 0
        """Matching rows not listed (beyond MAX_ROWS)."""
        self.total = 0
        """Articles in the index (more than rows_data while only the newest are loaded)."""
        self.shown_rows: list[ArticleRow] = []
        """The rows as the last refill listed them."""
        self.stars: set[str] = set()
        """Starred article ids (shown ★ before the title)."""

    def on_mount(self) -> None:
        self.add_column("✓", key="mark", width=1)
        self.add_column("Date", key="date", width=10)
        self.add_column("Title", key="title", width=48)
        self.add_column("Source", key="source", width=16)
        self.add_column("Countries", key="countries")

    # -- data --

    def set_articles(self, rows: list[ArticleRow], total: int | None = None) -> None:
        """Show `rows`; `total` says how many articles there are when `rows` are only the
        newest. When the full list arrives and would list the same rows, the table is
        left as it is (rebuilding the rows is a visible pause)."""
        self.rows_data = {r.id: r for r in rows}
        self.total = len(rows) if total is None else total
        ordered = self.ordered()
        if not self.filter_text and self.row_count and self.row_count == min(len(ordered), MAX_ROWS) \
                and self.shown_rows == ordered[:self.row_count]:
            self.hidden = self.total - self.row_count
            self.post_message(self.Refilled(self.row_count, self.total, self.total))
            return
        self.refill(ordered)

    def set_stars(self, stars: set[str]) -> None:
        if stars != self.stars:
            self.stars = set(stars)
            self.refill()

    def add_article(self, row: ArticleRow) -> None:
        self.rows_data[row.id] = row
        if self._visible(row) and self.row_count < MAX_ROWS:
            self._add_row(row)

    def _visible(self, row: ArticleRow) -> bool:
        if not self.filter_text:
            return True
        hay = fold(" ".join(x or "" for x in (row.id, row.title, row.source, row.author, row.date))
                   + " " + " ".join(row.countries)).casefold()
        return all(word in hay for word in fold(self.filter_text).casefold().split())

    def ordered(self) -> list[ArticleRow]:
        """Rows in the current sort: newest first, or A-Z; rows without the value last."""
        rows = list(self.rows_data.values())
        if self.sorted_by == "date":
            return newest_first(rows)

        def value(r: ArticleRow) -> str | None:
            return r.title if self.sorted_by == "title" else r.source

        having = [r for r in rows if value(r)]
        missing = sorted((r for r in rows if not value(r)), key=lambda r: r.id)
        having.sort(key=lambda r: (fold(value(r) or "").casefold(), r.id))
        return having + missing

    def _add_row(self, row: ArticleRow) -> None:
        self.add_row(
            Text("●" if row.id in self.marked else " ", style="bold"),
            Text(row.date or "—"),
            Text(("★ " if row.id in self.stars else "") + (row.title or row.id)),
            Text(row.source or "—"),
            Text(", ".join(row.countries)),
            key=row.id,
        )

    def refill(self, ordered: list[ArticleRow] | None = None) -> None:
        """Rebuild the rows: the first MAX_ROWS of the filtered, sorted list (a table of 100,000
        rows takes seconds to build; the filter narrows the rest)."""
        keep = self.current_id()
        self.clear()
        matching = [row for row in (self.ordered() if ordered is None else ordered) if self._visible(row)]
        if not self.filter_text and self.total > len(self.rows_data):  # only the newest are here yet
            matching_count = self.total
        else:
            matching_count = len(matching)
        self.hidden = max(0, matching_count - MAX_ROWS)
        shown = matching[:MAX_ROWS]
        if keep and self.hidden and keep not in {r.id for r in shown}:
            shown += [r for r in matching if r.id == keep]  # the open article stays listed
        for row in shown:
            self._add_row(row)
        self.shown_rows = shown
        if keep and keep in self.rows:
            self.move_cursor(row=self.get_row_index(keep))
        self.post_message(self.Refilled(len(shown), matching_count, max(self.total, len(self.rows_data))))

    def current_id(self) -> str | None:
        if not self.row_count:
            return None
        try:
            return str(self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value)
        except Exception:
            return None

    def visible_ids(self) -> list[str]:
        return [str(k.value) for k in self.rows]

    def select_id(self, article_id: str) -> None:
        if article_id in self.rows:
            self.move_cursor(row=self.get_row_index(article_id))

    # -- actions --

    def apply_filter(self, text: str) -> None:
        self.filter_text = text
        self.refill()

    def action_cycle_sort(self) -> None:
        self.sorted_by = SORTS[(SORTS.index(self.sorted_by) + 1) % len(SORTS)]
        self.refill()
        self.notify(f"Sorted by {self.sorted_by}", timeout=2)

    def action_toggle_mark(self) -> None:
        art_id = self.current_id()
        if art_id is None:
            return
        if art_id in self.marked:
            self.marked.remove(art_id)
        else:
            if len(self.marked) == 3:
                self.marked.pop(0)
            self.marked.append(art_id)
        for row_id in self.visible_ids():
            self.update_cell(row_id, "mark", Text("●" if row_id in self.marked else " ", style="bold"))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.post_message(self.Chosen(str(event.row_key.value)))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if event.row_key is not None and event.row_key.value is not None:
            self.post_message(self.Highlighted(str(event.row_key.value)))
