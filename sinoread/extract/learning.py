"""What one article teaches the rest of the corpus: names found with high confidence.

A person introduced with a title ("Treasury Secretary James Baker") or listed in the config is
a person in every article of the corpus, also where another article names him bare ("James
Baker told reporters"). After a build or an update, each name learned for the first time is
looked up in the index; only the articles that contain it, and do not yet mark it, are
analysed again, so an update stays an update.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sinoread.extract.people import Known
from sinoread.ingest.fold import fold
from sinoread.models import Analysis

TEACHING = ("title ", "known person", "role ")
"""The rules whose finds are sure enough to teach other articles."""


def taught(analysis: Analysis) -> list[list[str | None]]:
    """The names this article teaches: [name, country, role], full names only."""
    out: dict[str, list[str | None]] = {}
    for m in analysis.mentions:
        if m.kind == "person" and m.why.startswith(TEACHING) and " " in m.name and m.name not in out:
            out[m.name] = [m.name, m.country, m.role]
    return list(out.values())


def learned_names(entries: Iterable[tuple[str, list[Any]]]) -> dict[str, Known]:
    """Surface form -> what was learned, from (article id, taught) pairs; the first teacher
    in corpus order is the one the "why" names."""
    out: dict[str, Known] = {}
    for art_id, names in entries:
        for item in names or ():
            if not (isinstance(item, list) and len(item) == 3 and isinstance(item[0], str)):
                continue  # the listing is read back from disk: trust nothing
            name, country, role = item
            key = fold(name)
            if key not in out:
                out[key] = Known(name, role if isinstance(role, str) else None,
                                 country if isinstance(country, str) else None,
                                 f"learned from article {art_id}")
    return out
