"""The country table: each `countries:` mapping merged into one, with tagged aliases."""

from __future__ import annotations

from typing import Any

from sinoread.config.located import Located
from sinoread.config.model import AMBIGUITY_CLASSES, Country, CountryAlias
from sinoread.ingest.fold import fold

_COUNTRY_KEYS = {
    "aliases", "exact", "iso", "names", "demonyms", "capitals", "abbreviations", "metonyms",
    "ambiguous", "historic", "successors", "part_of", "corroborate_with",
}
_TAG_OF = {"names": "name", "demonyms": "demonym", "capitals": "capital",
           "abbreviations": "abbreviation", "metonyms": "metonym", "aliases": "name", "exact": "name"}


def merge_countries(raw: Any, at: Located, states: dict[str, Country], owner: dict[str, str],
                    s: Any, str_list: Any, mapping: Any) -> None:
    """Merge one `countries:` mapping into `states`: a later file adds aliases to a country
    an earlier one defined (the config extends the bundled table)."""
    if raw is None:
        return
    if not isinstance(raw, dict):
        raise at.error(("countries",), "expected a mapping of country name -> {names: [...], ...}")
    for name, spec in raw.items():
        path = ("countries", name)
        name = s(path, name)
        spec = mapping(path, spec if spec is not None else {}, _COUNTRY_KEYS)
        ambiguous_raw = spec.get("ambiguous") or {}
        ambiguous = mapping(path + ("ambiguous",), ambiguous_raw, set(ambiguous_raw))
        for alias, cls in ambiguous.items():
            if cls not in AMBIGUITY_CLASSES:
                raise at.error(path + ("ambiguous", alias),
                               f"ambiguity {cls!r} is not one of {', '.join(AMBIGUITY_CLASSES)}")
        historic = spec.get("historic", False)
        if not isinstance(historic, bool):
            raise at.error(path + ("historic",), "expected true or false")
        aliases: list[CountryAlias] = []
        listed: set[str] = set()
        for key in ("names", "aliases", "demonyms", "capitals", "metonyms", "abbreviations", "exact"):
            for alias in str_list(path + (key,), spec.get(key)):
                exact = key in ("abbreviations", "exact") or is_abbreviation(alias)
                tag = "historic" if historic and key in ("names", "aliases") else _TAG_OF[key]
                aliases.append(CountryAlias(alias, tag, ambiguous.get(alias), exact))
                listed.add(alias)
        for alias in ambiguous:
            if alias not in listed and alias != name:
                raise at.error(path + ("ambiguous", alias), f"{alias!r} is not an alias of {name}")
        for alias in aliases:
            k = fold(alias.text).casefold()
            if k in owner and owner[k] != name and alias.ambiguity != "shared":
                raise at.error(path, f"alias {alias.text!r} is claimed by both {owner[k]} and {name}; keep it "
                                     "in one, or mark it `shared` under ambiguous: in both")
            owner.setdefault(k, name)
        before = states.get(name)
        if before is None:
            own = CountryAlias(name, "historic" if historic else "name", ambiguous.get(name), is_abbreviation(name))
            if not any(a.text == name for a in aliases):
                aliases.insert(0, own)
        else:
            known = {a.text for a in before.aliases}
            aliases = [*before.aliases, *(a for a in aliases if a.text not in known)]
        part_of = spec.get("part_of")
        states[name] = Country(
            name=name, aliases=tuple(aliases),
            historic=historic or bool(before and before.historic),
            part_of=s(path + ("part_of",), part_of) if part_of is not None else (before.part_of if before else None),
            successors=str_list(path + ("successors",), spec.get("successors")) or (before.successors if before else ()),
            corroborate_with=(*(before.corroborate_with if before else ()),
                              *str_list(path + ("corroborate_with",), spec.get("corroborate_with"))),
        )


def is_abbreviation(alias: str) -> bool:
    """US, U.S., PRC: capitals only, short; matched only as written."""
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(letters) <= 5
