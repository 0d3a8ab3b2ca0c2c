"""The side panel: an article's countries, actors, agreements and pairs; choosing one
makes `]`/`[` in the reader walk its mentions."""

from __future__ import annotations

from collections import Counter
from typing import Any

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from sinoread.models import Analysis
from sinoread.tui import render


class EntityPanel(OptionList):
    class Chosen(Message):
        """An entity was chosen: kind is country/person/organization/agreement/pair."""

        def __init__(self, kind: str, name: str, pair: tuple[str, str] | None = None) -> None:
            super().__init__()
            self.kind = kind
            self.name = name
            self.pair = pair
            """The two countries, when a pair was chosen."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pairs: dict[str, tuple[str, str]] = {}
        """Option id -> the pair it stands for (an id is a string; a pair stays two names)."""

    def show(self, analysis: Analysis) -> None:
        self.clear_options()
        self._pairs = {}
        options: list[Any] = [Option(Content.styled("All highlights", "bold"), id="all:")]
        countries = analysis.countries()
        if countries:
            options.append(Option(Content.styled("Countries", "bold dim"), disabled=True))
            for name, n in countries.items():
                options.append(Option(Content.assemble((name, render.STYLES["country"]), f"  {n}"), id=f"country:{name}"))
        for kind, label in (("person", "People"), ("organization", "Organisations")):
            counts = Counter(m.name for m in analysis.mentions if m.kind == kind)
            if counts:
                options.append(Option(Content.styled(label, "bold dim"), disabled=True))
                info = {m.name: m for m in analysis.mentions if m.kind == kind}
                for name, n in counts.most_common():
                    extra = ", ".join(x for x in (info[name].role, info[name].country) if x)
                    options.append(Option(Content.assemble(
                        render.plain(name, render.STYLES[kind]), f"  {n}",
                        (f"  {extra}" if extra else "", "dim"), strip_control_codes=False,
                    ), id=f"{kind}:{name}"))
        if analysis.agreements:
            options.append(Option(Content.styled("Agreements", "bold dim"), disabled=True))
            kinds = Counter(a.kind for a in analysis.agreements)
            for kind, n in kinds.most_common():
                statuses = ", ".join(sorted({a.status for a in analysis.agreements if a.kind == kind}))
                options.append(Option(Content.assemble(
                    (f" {kind} ", render.AGREEMENT_BADGE), f"  {n}", (f"  {statuses}", "dim"),
                ), id=f"agreement:{kind}"))
        if analysis.pairs:
            options.append(Option(Content.styled("Pairs", "bold dim"), disabled=True))
            for i, p in enumerate(sorted(analysis.pairs, key=lambda p: -len(p.sentences))):
                glyph, style = render.TONE_GLYPH.get(p.tone, ("· ", "dim"))
                self._pairs[f"pair:{i}"] = (p.countries[0], p.countries[1])
                options.append(Option(Content.assemble(
                    (glyph, style), " – ".join(p.countries), f"  {len(p.sentences)}",
                    (f"  {p.agreements} agr." if p.agreements else "", "dim"),
                ), id=f"pair:{i}"))
        self.add_options(options)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        kind, _, name = (event.option.id or "").partition(":")
        pair = self._pairs.get(event.option.id or "")
        self.post_message(self.Chosen(kind, " – ".join(pair) if pair else name, pair))
