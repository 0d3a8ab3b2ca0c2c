"""The index's fields, and the postings a build worker works out for its text fields.

Whoosh pickles the schema into every index, naming each class by module and name: the
classes here are `sinoread.engine.schema.FiledText` (and `analysis.CJKBigramFilter`) to
any index written since schema version 10, and `unpickle` allows exactly these.
Moving them is a schema change (`SCHEMA_VERSION` in `sinoread.indexing.documents`).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any, Self

from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from sinoread.engine.analysis import pretokenize, text_analyzer
from sinoread.engine.blocks import ints, pack
from sinoread.engine.postings import packed_format

if TYPE_CHECKING:
    from sinoread.engine import Fields

Postings = list[tuple[bytes, int, float, bytes]]
"""(term, frequency, weight, encoded positions) per distinct term of one field's text."""


class TextWithPostings(str):
    """A field's text with the postings a build worker worked out for it (see FiledText)."""

    postings: Postings

    def __new__(cls, text: str, postings: Postings) -> Self:
        obj = super().__new__(cls, text)
        obj.postings = postings
        return obj


class FiledText(TEXT):
    """TEXT whose postings a build worker may already have worked out (a `TextWithPostings` value):
    the writer, the build's one serial stage, then only adds them to its pool (analysing
    and encoding were two thirds of its time per article). Its positions are stored as
    arrays, read without unpickling (`postings`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        TEXT.__init__(self, *args, **kwargs)
        self.format = packed_format(self.format)

    def index(self, value: Any, **kwargs: Any) -> Iterator[Any]:
        postings = getattr(value, "postings", None)
        return iter(postings) if postings is not None else TEXT.index(self, value, **kwargs)


def make_schema() -> Schema:
    body = text_analyzer()
    names = text_analyzer(stem=False)
    keyword = {"lowercase": True, "scorable": True}
    return Schema(
        id=ID(stored=True, unique=True),
        path=STORED(),
        mtime_ns=STORED(),
        size=STORED(),
        title=FiledText(analyzer=body, stored=True, field_boost=2.0, multitoken_query="phrase"),
        author=FiledText(analyzer=names, stored=True, multitoken_query="phrase"),
        source=FiledText(analyzer=names, stored=True, multitoken_query="phrase"),
        date=DATETIME(),
        date_iso=STORED(),
        url=STORED(),
        body=FiledText(analyzer=body, stored=True, chars=True, multitoken_query="phrase"),
        country=KEYWORD(**keyword),
        actor=FiledText(analyzer=names, multitoken_query="phrase"),
        pair=KEYWORD(**keyword),
        pair_coop=KEYWORD(**keyword),
        pair_tension=KEYWORD(**keyword),
        pair_agreement=KEYWORD(**keyword),
        kind=KEYWORD(**keyword),
        status=KEYWORD(**keyword),
        tone=KEYWORD(lowercase=True),
        analysis=STORED(),
        countries=STORED(),
    )


@cache
def _field_formats() -> dict[str, Any]:
    schema = make_schema()
    return {name: schema[name].format for name in ("title", "body")}


def file_postings(name: str, text: str) -> Postings:
    """What Whoosh's `field.index(text)` gives for the title or body field, (term, frequency,
    weight, encoded positions) per distinct term, from the fused tokenizer: worked out in a
    build worker so the writer only files it. A test holds the postings identical."""
    fmt = _field_formats()[name]
    texts, ints = pretokenize(text)
    seen: dict[str, list[int]] = {}
    if fmt.supports("characters"):  # the body: (position, start, end) per occurrence, flat
        for i, word in enumerate(texts):
            found = seen.get(word)
            if found is None:
                seen[word] = found = []
            found += ints[3 * i:3 * i + 3]
        width = 3
    else:  # the title: positions
        for i, word in enumerate(texts):
            found = seen.get(word)
            if found is None:
                seen[word] = [ints[3 * i]]
            else:
                found.append(ints[3 * i])
        width = 1
    boost = fmt.field_boost
    out = []
    for word, flat in seen.items():
        frequency = len(flat) // width
        out.append((word.encode("utf-8"), frequency, float(frequency) * boost, pack(flat)))
    return out


def body_positions(postings: Postings, words: frozenset[str]) -> dict[str, set[int]]:
    """Each of `words` the body postings hold, with its positions (every third integer)."""
    wanted = _encoded(words)
    return {wanted[term]: set(ints(value)[0::3]) for term, _, _, value in postings if term in wanted}


@cache
def _encoded(words: frozenset[str]) -> dict[bytes, str]:
    return {w.encode("utf-8"): w for w in words}


def add_document(writer: Any, doc: Fields) -> None:
    """Index one prepared document, filing the title and body postings its worker made."""
    fields = dict(doc)
    fields.pop("_taught", None)  # kept in the listing, not in Whoosh
    for name, postings in fields.pop("_postings", {}).items():
        fields[f"_stored_{name}"] = fields[name]
        fields[name] = TextWithPostings(fields[name], postings)
    writer.add_document(**fields)
