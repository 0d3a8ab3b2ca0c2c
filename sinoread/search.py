"""Keyword and pair queries over the index -> plain results; no Whoosh type leaves here."""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from pathlib import Path
from typing import Any

from sinoread import engine
from sinoread.indexing import Index, IndexUnusable
from sinoread.indexing.documents import document_row, pair_slug, slug, stored_article
from sinoread.models import (
    Analysis,
    Article,
    ArticleRow,
    Hit,
    MatrixRow,
    PairAgreement,
    PairArticle,
    PairResult,
    PairSentence,
    SearchResult,
    Snippet,
    analysis_from_plain,
)

MAX_QUERY = 1000
MAX_NESTING = 50
"""Levels a parsed query may nest: everything after parsing (the ranker, snippet words,
Whoosh's matchers) walks the tree recursively, so depth is checked once, here."""
FIELDS = ("title", "body", "author", "source", "country", "actor", "pair", "kind", "status", "tone", "date")
TONES = ("cooperation", "tension", "neutral")


class QueryError(Exception):
    """A query the parser cannot answer; `str(err)` says why, for the user."""


class UnknownCountry(QueryError):
    pass


def make_snippet(text: str, marks: list[tuple[int, int]], width: int = 240, fragments: int = 2) -> Snippet:
    """The densest windows of matches, in reading order; deterministic, any article length.

    (Whoosh's own highlighter gave different fragments from run to run and nothing at
    all past 32 KiB of text.)"""
    if not marks:
        return Snippet(" ".join(text[:width].split()))
    marks = sorted(marks)
    starts = [a for a, _ in marks]
    windows = []
    for s, _ in marks[:500]:  # a huge article: the best window among its first 500 matches
        start = max(0, s - width // 4)
        end = min(len(text), start + width)
        inside = [(a, b) for a, b in marks[bisect_left(starts, start):bisect_left(starts, end)] if b <= end]
        windows.append((-len({text[a:b].lower() for a, b in inside}), -len(inside), start, end))
    chosen: list[tuple[int, int]] = []
    for _, _, start, end in sorted(windows):
        if all(end <= cs or start >= ce for cs, ce in chosen):
            chosen.append((start, end))
        if len(chosen) == fragments:
            break
    parts, out_marks, offset = [], [], 0
    for n, (start, end) in enumerate(sorted(chosen)):
        back = text.rfind(" ", max(0, start - 20), start)
        start = back + 1 if back >= 0 and start > 0 else start  # start on a word
        if n:
            parts.append(" … ")
            offset += 3
        piece = text[start:end].replace("\n", " ")
        out_marks += [(offset + a - start, offset + b - start) for a, b in marks if a >= start and b <= end]
        parts.append(piece)
        offset += len(piece)
    return Snippet("".join(parts), tuple(out_marks))


def _strip_quoted(q: str) -> str:
    return re.sub(r'"[^"]*"', lambda m: "q" * len(m.group(0)), q)


class Search:
    """Answers queries from one index; keeps one Whoosh searcher open and reuses it."""

    def __init__(self, index: Index, generation: str | None = None) -> None:
        """`generation`: a build still being written (see `Index.open_generation`), searched
        as far as it has committed; by default the live index."""
        self.index = index
        self.cfg = index.cfg
        self.partial = generation is not None
        self._ix = index.open() if generation is None else index.open_generation(generation)
        self._searcher = self._ix.searcher()
        self._rank: Any = None
        # Plain words search title and text; `actor:` reaches the canonical names.
        self._parser = engine.query_parser(self._ix.schema, ("title", "body"))
        self._kinds = {c.label for c in self.cfg.kinds} | {"diplomatic"}
        self._statuses = {c.label for c in self.cfg.statuses}

    def close(self) -> None:
        self._searcher.close()

    def refresh(self) -> bool:
        """Pick up a newer index (written by another process); True if it changed."""
        if self.index.is_current() and self.index.current_generation() != Path(self._ix.storage.folder).name:
            fresh = self.index.open()
            if fresh.storage.folder != self._ix.storage.folder:
                self._searcher.close()
                self._ix = fresh
                self._searcher = fresh.searcher()
                return True
        if self._searcher.up_to_date():
            return False
        self._searcher = self._searcher.refresh()
        return True

    def _guarded(self, fn: Any) -> Any:
        """Run a read; if another process swapped or damaged the index under us, reopen once."""
        try:
            return fn()
        except (QueryError, IndexUnusable):
            raise
        except Exception:  # Whoosh: FileNotFoundError, EOFError, struct.error, ...
            try:
                self._searcher.close()
                self._ix = self.index.open()
                self._searcher = self._ix.searcher()
            except Exception as exc:
                raise IndexUnusable(f"the index changed while reading and cannot be reopened ({exc}); run `sinoread index`") from None
            return fn()

    # -- keyword search -----------------------------------------------------------------

    def _country(self, name: str, where: str) -> str:
        c = self.cfg.resolve_country(name)
        if c is None:
            raise UnknownCountry(f"unknown country {name!r} in {where}; try a name, capital or demonym (China, Hanoi, Russian)")
        return c

    def _pair_value(self, value: str) -> str:
        parts = value.replace(" ", "-").split("-")
        for i in range(1, len(parts)):
            a = self.cfg.resolve_country("-".join(parts[:i]))
            b = self.cfg.resolve_country("-".join(parts[i:]))
            if a and b:
                return pair_slug(a, b)
        raise UnknownCountry(f"pair:{value} does not name two known countries; write pair:china-vietnam")

    def _rewrite(self, q: str) -> str:
        """Check the query and map country and pair values to their indexed tokens."""
        if len(q) > MAX_QUERY:
            raise QueryError(f"query is {len(q)} characters long; the limit is {MAX_QUERY}")
        if re.search(r"[\x00-\x1f\x7f-\x9f]", q):
            raise QueryError("query contains control characters; type plain text")
        if not q.strip():
            raise QueryError("empty query; type words, \"a phrase\" or field:value")
        if q.count('"') % 2:
            raise QueryError('unbalanced quote: every " needs a closing "')
        bare = _strip_quoted(q)
        depth = 0
        for ch in bare:
            depth += ch == "("
            depth -= ch == ")"
            if depth < 0:
                raise QueryError("unbalanced parentheses: a ) comes before its (")
        if depth:
            raise QueryError("unbalanced parentheses: a ( is never closed")
        for m in re.finditer(r"(?<![\w:])([A-Za-z_]+):(\S?)", bare):
            field, after = m.group(1), m.group(2)
            if field.lower() not in FIELDS:
                raise QueryError(f"unknown field {field!r}; fields: {', '.join(FIELDS)}")
            if not after or after in ")":
                raise QueryError(f"{field}: needs a value, e.g. {field}:{'china' if field == 'country' else 'word'}")
        words = bare.split()
        ops = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
        if words and (words[-1] in ops or words[0] in ops - {"NOT"}):
            raise QueryError(f"dangling {words[-1] if words[-1] in ops else words[0]}: it needs a term on each side")
        for a, b in zip(words, words[1:], strict=False):
            if a in ops and b in ops - {"NOT"}:
                raise QueryError(f"{a} {b}: two operators in a row")
            if a == "NOT" and b == "NOT":
                raise QueryError("NOT NOT: say what to exclude once")
        if re.search(r"(?<![\w\"])[*?]", bare):
            raise QueryError("a wildcard cannot start a word (*land); put letters first (land*)")

        def country_sub(m: re.Match[str]) -> str:
            value = m.group(2) if m.group(2) is not None else m.group(3)
            return f"country:{slug(self._country(value, 'country:'))}"

        def pair_sub(m: re.Match[str]) -> str:
            value = m.group(2) if m.group(2) is not None else m.group(3)
            return f"pair:{self._pair_value(value)}"

        def value_check(field: str, allowed: set[str] | tuple[str, ...]):
            def sub(m: re.Match[str]) -> str:
                value = (m.group(2) if m.group(2) is not None else m.group(3)).lower()
                if value.rstrip("*") and not any(a.startswith(value.rstrip("*")) for a in allowed):
                    raise QueryError(f"unknown {field} {value!r}; one of: {', '.join(sorted(allowed))}")
                return f"{field}:{value}"
            return sub

        val = r'(?:"([^"]*)"|([^\s()]+))'
        q = re.sub(rf"(?i)(?<![\w:])(country):{val}", country_sub, q)
        q = re.sub(rf"(?i)(?<![\w:])(pair):{val}", pair_sub, q)
        q = re.sub(rf"(?i)(?<![\w:])(kind):{val}", value_check("kind", self._kinds), q)
        q = re.sub(rf"(?i)(?<![\w:])(status):{val}", value_check("status", self._statuses), q)
        q = re.sub(rf"(?i)(?<![\w:])(tone):{val}", value_check("tone", TONES), q)
        return q

    def parse(self, text: str) -> Any:
        q = self._rewrite(text)
        try:
            return self._parser.parse(q, MAX_NESTING)
        except engine.BadQuery as exc:
            raise QueryError(str(exc)) from None

    def keyword(self, text: str, limit: int = 20) -> SearchResult:
        """Ranked hits for a Whoosh-syntax query, each with a highlighted snippet."""
        return self._guarded(lambda: self._keyword(text, limit))

    def _keyword(self, text: str, limit: int) -> SearchResult:
        parsed = self.parse(text)
        try:
            ranked = (self._ranker().top(parsed, limit)
                      or engine.whoosh_top(self._searcher, parsed, limit))
        except RecursionError:
            raise QueryError("query is nested too deeply; use fewer parentheses") from None
        total, best = ranked
        marks = self._stored_offsets([docnum for docnum, _ in best], self._body_words(parsed))
        hits = []
        for docnum, score in best:
            f = self._searcher.stored_fields(docnum)
            hits.append(Hit(
                id=f["id"], title=f.get("title") or None, score=round(float(score), 4),
                snippet=make_snippet(f["body"], marks.get(docnum, [])), source=f.get("source") or None,
                date=f.get("date_iso"),
            ))
        return SearchResult(query=text, total=total, hits=tuple(hits))

    def _ranker(self) -> Any:
        """The postings ranker for the open searcher (it caches the searcher's field lengths);
        Whoosh's own matchers answer the query shapes it leaves alone (wildcards, ranges, slop)."""
        if self._rank is None or self._rank.searcher is not self._searcher:
            self._rank = engine.ranker(self._searcher)
        return self._rank

    def hit_offsets(self, text: str, article_id: str) -> list[tuple[int, int]]:
        """Where a query's words occur in an article, for `n`/`N` in the reader.

        Read from the stored character offsets, like snippets: a long article is never
        analysed a second time."""
        return self._guarded(lambda: self._hit_offsets(text, article_id))

    def _hit_offsets(self, text: str, article_id: str) -> list[tuple[int, int]]:
        parsed = self.parse(text)
        docnum = self._searcher.document_number(id=article_id)
        if docnum is None:
            return []
        return self._stored_offsets([docnum], self._body_words(parsed))[docnum]

    def _body_words(self, parsed: Any) -> set[str]:
        """The indexed words a query looks for in the text, wildcards expanded; words under
        NOT are left out (they are what a hit does not contain)."""
        return engine.query_words(parsed, self._searcher.reader(), ("body", "title"))

    def _stored_offsets(self, docnums: list[int], words: set[str]) -> dict[int, list[tuple[int, int]]]:
        """Where the words sit in each document's body, read from the postings (the body is
        indexed with character offsets), so snippets need no second analysis of the text.

        One postings cursor per word walks the documents in order: a fresh cursor per hit
        re-read the word's skip blocks from the start each time (half a query's time)."""
        out: dict[int, list[tuple[int, int]]] = {d: [] for d in docnums}
        ordered = sorted(out)
        for word in words:
            known = self._ranker().characters("body", word, ordered)
            if known is not None:  # the ranker read this word's postings for the query
                for d, spans in known.items():
                    out[d] += spans
                continue
            for docnum, spans in engine.character_spans(self._searcher, "body", word, ordered):
                out[docnum] += spans
        return {d: sorted(v) for d, v in out.items()}

    # -- articles -----------------------------------------------------------------------

    def articles(self) -> list[ArticleRow]:
        """Every article's row, by id."""
        return self._guarded(self._articles)

    def _articles(self) -> list[ArticleRow]:
        listing = self.index.listing()
        if listing is not None and self.index.current_generation() == Path(self._ix.storage.folder).name:
            rows = [e.row for e in listing.articles]
        else:
            rows = [document_row(f) for f in self._searcher.all_stored_fields()]
        rows.sort(key=lambda r: r.id)
        return rows

    def ids(self) -> list[str]:
        """Every article id in the index."""
        return [r.id for r in self.articles()]

    def resolve(self, wanted: str) -> str:
        """The id `wanted` names: itself, or the one id it is a path suffix of (`001` for
        `business/001`); `UnknownArticle` (a LookupError) says which ids it could be."""
        from sinoread.ingest.corpus import resolve_id

        return resolve_id(wanted, self.ids())

    def article(self, art_id: str) -> tuple[Article, Analysis] | None:
        return self._guarded(lambda: self._article(art_id))

    def documents(self) -> list[tuple[Article, Analysis]]:
        """Every article with its analysis, by id: the input of the corpus-wide views
        (timeline, actors, sources)."""
        return self._guarded(lambda: sorted(
            (stored_article(f) for f in self._searcher.all_stored_fields()), key=lambda d: d[0].id,
        ))

    def _article(self, art_id: str) -> tuple[Article, Analysis] | None:
        f = self._searcher.document(id=art_id)
        return None if f is None else stored_article(f)

    # -- pairs --------------------------------------------------------------------------

    def pair(self, a: str, b: str) -> PairResult:
        """Articles where two countries meet in a sentence, those sentences, their agreements."""
        return self._guarded(lambda: self._pair(a, b))

    def _pair(self, a: str, b: str) -> PairResult:
        ca, cb = self._country(a, "pair"), self._country(b, "pair")
        if ca == cb:
            raise UnknownCountry(f"{a!r} and {b!r} are both {ca}; name two different countries")
        token = pair_slug(ca, cb)
        articles = []
        for f in engine.term_documents(self._searcher, "pair", token):
            analysis = analysis_from_plain(json.loads(f["analysis"]))
            body = f["body"]
            summary = next((p for p in analysis.pairs if set(p.countries) == {ca, cb}), None)
            sentences = tuple(
                PairSentence(body[s.start:s.end], s.tone, s.start, s.end)
                for s in analysis.sentences if ca in s.countries and cb in s.countries
            )
            agreements = tuple(
                PairAgreement(g.sentence, g.kind, g.status, g.parties, g.date, g.why, g.start)
                for g in analysis.agreements if ca in g.parties and cb in g.parties
            )
            articles.append(PairArticle(
                f["id"], f.get("title") or None, f.get("source") or None, f.get("date_iso"),
                summary.tone if summary else "neutral", sentences, agreements,
            ))
        articles.sort(key=lambda r: (r.date or "", r.id), reverse=True)
        x, y = sorted([ca, cb])
        return PairResult((x, y), tuple(articles))

    def matrix(self) -> list[MatrixRow]:
        """Every country pair of the corpus with counts, read from the index's term lists."""
        return self._guarded(self._matrix)

    def _matrix(self) -> list[MatrixRow]:
        reader = self._searcher.reader()
        names = {slug(c): c for c in self.cfg.countries}
        agreements, cooperation, tension = (
            {token: int(weight) for token, _, weight in engine.term_counts(reader, field)}
            for field in ("pair_agreement", "pair_coop", "pair_tension")
        )
        rows = []
        for token, docs, weight in engine.term_counts(reader, "pair"):
            x, _, y = token.partition("-")
            if x in names and y in names:
                a, b = sorted((names[x], names[y]))
                rows.append(MatrixRow((a, b), docs, int(weight), agreements.get(token, 0),
                                      cooperation.get(token, 0), tension.get(token, 0)))
        return sorted(rows, key=lambda r: (-r.articles, -r.sentences, r.countries))
