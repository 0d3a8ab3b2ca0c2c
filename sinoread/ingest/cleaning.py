"""Scraped text made readable: markdown and HTML debris, navigation, boilerplate and repeated
lines dropped, header lines read into the article's metadata."""

from __future__ import annotations

import html
import re
from functools import cache
from typing import Any

from sinoread.config import Config
from sinoread.extract.budget import check_budget
from sinoread.extract.prefilter import StartGate
from sinoread.ingest.fold import fold
from sinoread.ingest.metadata import Meta, header_line

_MD_HEADING = re.compile(r"^#{1,6}\s+", re.M)
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>\n]*)?>|</?[A-Za-z][A-Za-z0-9]*\s+[a-z-]+=[^\n]*$")
_HTML_ATTR_TAG = re.compile(r"<[A-Za-z]+\s+[a-z-]+=")
_BREADCRUMB = re.compile(r"^(?:[^»\n]{1,40}\s*»\s*)+")
_GLUED_SENTENCE = re.compile(r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])")
_SPACES = re.compile(r"[ \t]+")


def _norm(s: str) -> str:
    return " ".join(fold(s).casefold().split())


_MARKDOWN_CHARS = frozenset("[]*_`!<&\\")
MARKDOWN_LINE_MAX = 4000
"""Longer lines are left as they are: the parser costs ~30 µs a character on `![![…`."""
_SEPARATORS = frozenset(" \t,;|·•-–—»/")


@cache
def _markdown() -> Any:
    from markdown_it import MarkdownIt  # installed with Textual (rich depends on it)

    return MarkdownIt("commonmark")


def _markdown_text(line: str) -> tuple[str, bool]:
    """A line of scraped markdown as plain text, read by a parser (regular expressions over
    links backtracked for good on a paragraph of thirty of them), and whether it held
    nothing but links: (text of links and emphasis kept, images dropped, HTML tags dropped)."""
    if _MARKDOWN_CHARS.isdisjoint(line) or len(line) > MARKDOWN_LINE_MAX:
        return line, False
    out: list[str] = []
    links = 0
    outside = False
    depth = 0
    for token in _markdown().parseInline(line)[0].children or ():
        kind = token.type
        if kind == "link_open":
            depth += 1
            links += 1
        elif kind == "link_close":
            depth = max(0, depth - 1)
        elif kind in ("text", "code_inline"):
            out.append(token.content)
            if depth == 0 and not _SEPARATORS.issuperset(token.content):
                outside = True
        elif kind in ("softbreak", "hardbreak"):
            out.append(" ")
        elif kind == "html_inline":
            out.append(token.content)  # left for the tag cleaner, which knows captions in tags
    return "".join(out), links > 0 and not outside


def _clean_inline(line: str) -> str:
    """A line the markdown parser has read: tags, entities, glued sentences and spaces."""
    if "<" in line:
        had_attr_tag = bool(_HTML_ATTR_TAG.search(line))
        line = _HTML_TAG.sub("", line)
        if had_attr_tag and len(line.split()) < 4 and not line.rstrip().endswith((".", "!", "?", "”", '"')):
            return ""  # a caption smeared into a tag attribute: nothing readable is left
    line = html.unescape(line) if "&" in line else line
    line = _GLUED_SENTENCE.sub(" ", line)
    return _SPACES.sub(" ", line).strip()


def _paragraphs(body: str) -> list[tuple[str, str]]:
    """Split on blank lines -> (raw, cleaned) pairs; lines inside a paragraph are joined, and
    a paragraph of nothing but links (navigation, tags, share rows) is cleaned to nothing."""
    out = []
    for block in re.split(r"\n[ \t]*\n", body):
        raw = block.strip()
        if not raw:
            continue
        texts, link_only = [], True
        for line in raw.split("\n"):
            check_budget("cleaning the text")  # the parser is slow on lines of `![![`: bounded too
            text, only = _markdown_text(_MD_HEADING.sub("", line))
            link_only = link_only and (only or not line.strip())
            texts.append(text)
        if link_only:
            out.append((raw, ""))
            continue
        cleaned = " ".join(c for c in (_clean_inline(t) for t in texts) if c)
        out.append((raw, cleaned))
    return out


@cache
def _start_gate(patterns: tuple[str, ...]) -> StartGate:
    return StartGate(list(patterns))


def _is_boilerplate(text: str, cfg: Config) -> bool:
    """Whether a boilerplate pattern matches at the start: only those that can start with its
    first character are tried (25 patterns per paragraph were a tenth of a build)."""
    gate = _start_gate(tuple(p.pattern for p in cfg.boilerplate))
    return any(cfg.boilerplate[i].match(text) for i in gate.candidates(text))


def clean(body: str, cfg: Config, meta: Meta) -> str:
    """Scraped text -> readable paragraphs; header lines fill `meta` where it is empty."""
    kept: list[str] = []
    header = True
    for raw, para in _paragraphs(body):
        if not para:
            continue
        if _BREADCRUMB.match(para) and "»" in para:
            para = _BREADCRUMB.sub("", para).strip()
            if not para:
                continue
        if _is_boilerplate(para, cfg):
            continue
        if kept and _norm(para) == _norm(kept[-1]):
            continue  # repeated title or caption
        if header and len(para.split()) >= 25:
            header = False
        if header and header_line(para, meta, cfg, is_first=not kept):
            continue
        kept.append(para)
    return "\n\n".join(kept)
