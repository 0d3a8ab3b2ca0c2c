"""Whoosh unpickles an index's table of contents, schema and stored fields: only the classes
sinoread's own schema needs may come out of them.

An index folder someone else could write is otherwise code execution for whoever opens it
(a pickle can name any callable). The engine points Whoosh's unpickling at `loads` and
`load` before it opens any index (`store`); a forbidden name raises
`pickle.UnpicklingError`, which the index reports as damage. An index that names the
classes where an older sinoread kept them (`sinoread.index.FiledText`) is refused too: the
schema version already has it rebuilt without being opened."""

from __future__ import annotations

import io
import pickle
import re
from functools import cache
from typing import Any

_BUILTINS = ("bool", "bytearray", "bytes", "complex", "dict", "float", "frozenset", "int", "list",
             "object", "set", "slice", "str", "tuple")
ALLOWED: frozenset[tuple[str, str]] = frozenset({
    *(("builtins", n) for n in _BUILTINS),
    *(("__builtin__", n) for n in (*_BUILTINS, "long", "unicode")),
    ("collections", "defaultdict"), ("collections", "OrderedDict"),
    ("copyreg", "_reconstructor"), ("copy_reg", "_reconstructor"),
    ("array", "array"), ("array", "_array_reconstructor"), ("_codecs", "encode"),
    ("datetime", "datetime"), ("datetime", "date"), ("datetime", "timedelta"),
    ("datetime", "timezone"),
    ("sinoread.engine.analysis", "CJKBigramFilter"), ("sinoread.engine.schema", "FiledText"),
    ("sinoread.engine.postings", "PackedCodec"), ("sinoread.engine.postings", "PackedPositions"),
    ("sinoread.engine.postings", "PackedCharacters"),
    ("whoosh.fields", "Schema"), ("whoosh.fields", "ID"), ("whoosh.fields", "STORED"),
    ("whoosh.fields", "TEXT"),
    ("whoosh.fields", "KEYWORD"), ("whoosh.fields", "DATETIME"), ("whoosh.fields", "NUMERIC"),
    ("whoosh.formats", "Existence"), ("whoosh.formats", "Frequency"),
    ("whoosh.formats", "Positions"),
    ("whoosh.formats", "Characters"),
    ("whoosh.analysis.analyzers", "CompositeAnalyzer"),
    ("whoosh.analysis.tokenizers", "IDTokenizer"), ("whoosh.analysis.tokenizers", "RegexTokenizer"),
    ("whoosh.analysis.tokenizers", "SpaceSeparatedTokenizer"),
    ("whoosh.analysis.tokenizers", "CommaSeparatedTokenizer"),
    ("whoosh.analysis.filters", "LowercaseFilter"), ("whoosh.analysis.filters", "StopFilter"),
    ("whoosh.analysis.filters", "CharsetFilter"), ("whoosh.analysis.filters", "StripFilter"),
    ("whoosh.analysis.morph", "StemFilter"), ("whoosh.lang.porter", "stem"),
    ("whoosh.codec.whoosh3", "W3Segment"), ("whoosh.codec.whoosh3", "W3Codec"),
})
"""(module, name) pairs an index may unpickle: what sinoread's schema and segments are made of."""


@cache
def _patterns() -> frozenset[str]:
    from sinoread.engine.analysis import TOKEN

    return frozenset({TOKEN, r"[^ \t\r\n]+", r"[^,]+"})


def _compile(pattern: Any, flags: int = 0) -> re.Pattern[str]:
    """`re._compile`, for the tokenizer patterns sinoread's schema holds and nothing else."""
    if pattern not in _patterns():
        raise pickle.UnpicklingError(f"the index holds an unknown tokenizer pattern {pattern!r}")
    return re.compile(pattern, flags)


class Restricted(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("re", "_compile"):
            return _compile
        if (module, name) not in ALLOWED:
            raise pickle.UnpicklingError(
                f"the index names {module}.{name}, which sinoread never writes")
        return super().find_class(module, name)


def loads(data: bytes, *args: Any, **kwargs: Any) -> Any:
    return Restricted(io.BytesIO(data)).load()


def load(file: Any, *args: Any, **kwargs: Any) -> Any:
    return Restricted(file).load()
