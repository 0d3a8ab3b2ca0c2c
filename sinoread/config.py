"""Load and validate `config.yaml`; every error names the file, line and key."""

from __future__ import annotations

import hashlib
import re
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from sinoread.extract.budget import BudgetedPattern, compile_checked
from sinoread.ingest.fold import fold
from sinoread.resources import bundled_config_path

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""The one YAML loader sinoread runs on config and on front matter (untrusted): libyaml's safe
loader when PyYAML was built with it, same rules, ten times faster; no tag builds an object."""


class ConfigError(Exception):
    """A config problem the user can fix: `str(err)` is the one-line message."""


ALIAS_TAGS = ("name", "demonym", "capital", "abbreviation", "metonym", "historic")
AMBIGUITY_CLASSES = ("word", "person", "place", "shared")
"""Why an alias may not mean the state: a common word ("Turkey" sales), part of personal
names (Michael Jordan), another place (Atlanta, Georgia), or the name of two states (Korea).
Such an alias counts only with corroboration in the article."""


@dataclass(frozen=True)
class CountryAlias:
    text: str
    tag: str
    """One of ALIAS_TAGS: the reader's "why" says which."""
    ambiguity: str | None
    """One of AMBIGUITY_CLASSES, or None for an alias that means the state wherever it stands."""
    exact: bool
    """Matched only as written (US, PRC); the others also match in capitals (CHINA)."""


@dataclass(frozen=True)
class Country:
    name: str
    aliases: tuple[CountryAlias, ...]
    historic: bool = False
    part_of: str | None = None
    successors: tuple[str, ...] = ()
    corroborate_with: tuple[str, ...] = ()
    """Words (not aliases) that, in the same article, confirm an ambiguous alias: Abkhazia for Georgia."""


@dataclass(frozen=True)
class Person:
    name: str
    aliases: tuple[str, ...]
    role: str | None
    country: str | None


@dataclass(frozen=True)
class Organization:
    name: str
    aliases: tuple[str, ...]
    country: str | None


@dataclass(frozen=True)
class Cue:
    """A named label (status or kind) and the compiled patterns that signal it."""

    label: str
    pattern: BudgetedPattern
    source: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Config:
    path: str
    digest: str
    """Hash of the file: an index built under another config is stale."""
    corpus: str | None
    states: dict[str, Country]
    """The country table: aliases with their tags and ambiguity, predecessors and parts."""
    not_countries: tuple[str, ...]
    datelines: dict[str, str]
    """Dateline city (as wires write it, in capitals) -> country."""
    places: dict[str, tuple[str, ...]]
    people: tuple[Person, ...]
    roles: tuple[str, ...]
    not_names: frozenset[str]
    organizations: tuple[Organization, ...]
    organization_patterns: tuple[str, ...]
    boilerplate: tuple[BudgetedPattern, ...]
    tone_cooperation: BudgetedPattern
    tone_tension: BudgetedPattern
    statuses: tuple[Cue, ...]
    kinds: tuple[Cue, ...]
    anaphora: BudgetedPattern
    keys: dict[str, str]

    @cached_property
    def countries(self) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
        """Country -> (aliases, case-sensitive aliases): every alias of `states`, as text."""
        return {
            name: (tuple(a.text for a in st.aliases if not a.exact), tuple(a.text for a in st.aliases if a.exact))
            for name, st in self.states.items()
        }

    @cached_property
    def _aliases(self) -> dict[str, str]:
        lookup: dict[str, str] = {}
        for name, st in self.states.items():
            for a in st.aliases:
                lookup.setdefault(fold(a.text).casefold(), name)
        for name in self.states:  # a canonical name wins over another state's alias
            lookup[fold(name).casefold()] = name
        return lookup

    def related(self, a: str, b: str) -> bool:
        """A state and its predecessor, or a state and its part: never a pair of actors."""
        sa, sb = self.states.get(a), self.states.get(b)
        return bool(sa and sb and (
            sa.part_of == b or sb.part_of == a or b in sa.successors or a in sb.successors
        ))

    def resolve_country(self, text: str) -> str | None:
        """Any alias (`PRC`, `hanoi`, `china`) -> canonical country name, or None."""
        wanted = " ".join(fold(text).strip().casefold().replace("_", " ").split())
        if wanted in self._aliases:
            return self._aliases[wanted]
        # Tolerate hyphenated slugs (`united-states`).
        if "-" in wanted:
            return self.resolve_country(wanted.replace("-", " "))
        return None


_TOP_KEYS = {
    "include", "corpus", "countries", "not_countries", "datelines", "places", "people", "roles", "not_names",
    "organizations", "organization_patterns", "boilerplate", "tone", "agreements", "keys",
}
_INCLUDED_KEYS = {"countries", "not_countries", "datelines"}
"""What an included data file (the generated country table) may hold."""
_COUNTRY_KEYS = {
    "aliases", "exact", "iso", "names", "demonyms", "capitals", "abbreviations", "metonyms",
    "ambiguous", "historic", "successors", "part_of", "corroborate_with",
}
_TAG_OF = {"names": "name", "demonyms": "demonym", "capitals": "capital",
           "abbreviations": "abbreviation", "metonyms": "metonym", "aliases": "name", "exact": "name"}


MAX_NODES = 100_000
"""YAML values a config may hold once its aliases are expanded: the bundled one has ~3,000;
seven levels of nested anchors make billions (an alias bomb)."""


class _Located:
    """Maps key paths to 1-based line numbers, from the YAML node tree.

    The node graph is checked before anything is built from it: keys must be plain strings,
    an alias may not refer to the node that contains it, and with aliases expanded the
    document holds at most MAX_NODES values (counted once per shared node, so the check is
    linear in the file's size however deep the anchors nest)."""

    def __init__(self, node: yaml.Node | None, file: str) -> None:
        self.file = file
        self.lines: dict[tuple[Any, ...], int] = {}
        if node is not None:
            self._bounded(node)
            self._walk(node)

    def _bounded(self, root: yaml.Node) -> None:
        sizes: dict[int, int] = {}
        active: set[int] = set()
        stack: list[tuple[yaml.Node, bool]] = [(root, False)]
        while stack:
            node, done = stack.pop()
            if id(node) in sizes:
                continue
            children = self._children(node)
            if done:
                active.discard(id(node))
                sizes[id(node)] = 1 + sum(sizes[id(c)] for c in children)
                if sizes[id(node)] > MAX_NODES:
                    raise ConfigError(
                        f"{self.file} line {node.start_mark.line + 1}: with its aliases expanded this "
                        f"holds more than {MAX_NODES:,} values (an alias bomb?); write the values out"
                    )
                continue
            if id(node) in active:
                raise ConfigError(
                    f"{self.file} line {node.start_mark.line + 1}: an alias refers to the list or "
                    "mapping that contains it; YAML anchors may not refer to themselves here"
                )
            active.add(id(node))
            stack.append((node, True))
            for child in children:
                if id(child) in active:
                    raise ConfigError(
                        f"{self.file} line {child.start_mark.line + 1}: an alias refers to the list or "
                        "mapping that contains it; YAML anchors may not refer to themselves here"
                    )
                if id(child) not in sizes:
                    stack.append((child, False))

    @staticmethod
    def _children(node: yaml.Node) -> list[yaml.Node]:
        if isinstance(node, yaml.MappingNode):
            return [n for pair in node.value for n in pair]
        if isinstance(node, yaml.SequenceNode):
            return list(node.value)
        return []

    def _walk(self, root: yaml.Node) -> None:
        """Key paths to lines, shared (aliased) nodes visited once, without recursion."""
        visited: set[int] = set()
        stack: list[tuple[yaml.Node, tuple[Any, ...]]] = [(root, ())]
        while stack:
            node, path = stack.pop()
            if id(node) in visited:
                continue
            visited.add(id(node))
            self.lines.setdefault(path, node.start_mark.line + 1)
            if isinstance(node, yaml.MappingNode):
                seen: dict[Any, int] = {}
                for key_node, value_node in node.value:
                    if not isinstance(key_node, yaml.ScalarNode):
                        raise ConfigError(
                            f"{self.file} line {key_node.start_mark.line + 1} ({_dotted(path) or 'top level'}): "
                            "a key must be plain text, not a list or mapping"
                        )
                    key = key_node.value
                    if key in seen:
                        raise ConfigError(
                            f"{self.file} line {key_node.start_mark.line + 1}: duplicate key "
                            f"{_dotted(path + (key,))!r} (first at line {seen[key]}); keep one"
                        )
                    seen[key] = key_node.start_mark.line + 1
                    self.lines[path + (key,)] = key_node.start_mark.line + 1
                    stack.append((value_node, path + (key,)))
            elif isinstance(node, yaml.SequenceNode):
                stack.extend((item, path + (i,)) for i, item in enumerate(node.value))

    def error(self, path: tuple[Any, ...], message: str) -> ConfigError:
        p = path
        while p and p not in self.lines:
            p = p[:-1]
        line = self.lines.get(p)
        where = f"{self.file} line {line}" if line else self.file
        key = f" ({_dotted(path)})" if path else ""
        return ConfigError(f"{where}{key}: {message}")


def _dotted(path: tuple[Any, ...]) -> str:
    return ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in path).replace(".[", "[")


def _parse(raw: bytes, label: str) -> tuple[Any, _Located]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{label}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    loader = SAFE_LOADER(text)
    try:
        node = loader.get_single_node()
        located = _Located(node, label)
        data = loader.construct_document(node) if node is not None else {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.context_mark or exc.problem_mark
        line = f" line {mark.line + 1}" if mark else ""
        what = " ".join(x for x in (exc.context, exc.problem) if x)
        raise ConfigError(f"{label}{line}: {what or 'invalid YAML'}") from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise ConfigError(f"{label} line {line}: character {exc.character!r} is not allowed in YAML") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{label}: invalid YAML ({' '.join(str(exc).split())})") from None
    finally:
        loader.dispose()
    return data, located


_INCLUDE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,80}\.ya?ml")


def _includes(data: Any, at: _Located, cfg_dir: Path) -> list[tuple[Path, bytes, Any, _Located]]:
    """Data files the config names under `include:`: bare file names, looked up beside the
    config and then beside the bundled one (a copied config still finds the country table).
    A path is refused: the config is untrusted, and an include must not read any file."""
    if not isinstance(data, dict) or data.get("include") is None:
        return []
    names = data["include"]
    if not isinstance(names, list):
        raise at.error(("include",), "expected a list of data file names (include: [countries.yaml])")
    out = []
    for i, name in enumerate(names):
        if not isinstance(name, str) or not _INCLUDE_NAME.fullmatch(name):
            raise at.error(("include", i), f"{name!r} is not a plain .yaml file name; an include names a "
                                           "file beside the config, without a folder")
        for folder in (cfg_dir, bundled_config_path().parent):
            candidate = folder / name
            try:
                raw = candidate.read_bytes()
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise at.error(("include", i), f"cannot read {candidate} ({exc.strerror or exc})") from None
            sub, located = _parse(raw, str(candidate))
            if not isinstance(sub, dict):
                raise located.error((), "an included file must be a mapping (countries:, not_countries:, datelines:)")
            for key in sub:
                if key not in _INCLUDED_KEYS:
                    raise located.error((key,), f"unknown key {key!r} in an included file; "
                                                f"known keys: {', '.join(sorted(_INCLUDED_KEYS))}")
            out.append((candidate, raw, sub, located))
            break
        else:
            raise at.error(("include", i), f"{name!r} was found neither beside the config nor in the bundled "
                                           "data; copy it beside the config or remove it from include:")
    return out


def load_config(path: str | Path | None = None) -> Config:
    """Read, validate and compile a config; raises ConfigError with file and line."""
    cfg_path = Path(path) if path else bundled_config_path()
    label = cfg_path.name if path is None else str(cfg_path)
    try:
        raw = cfg_path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{cfg_path}: cannot read config ({exc.strerror or exc})") from None
    data, located = _parse(raw, label)
    included = _includes(data, located, cfg_path.resolve().parent)
    h = hashlib.sha256(raw)
    for _path, sub_raw, _sub, _at in included:
        h.update(sub_raw)  # a changed country table re-annotates the corpus too
    digest = h.hexdigest()[:16]
    memo = _validated_memo(digest)
    cfg = _build(data, located, str(cfg_path.resolve()), digest, checked=memo is not None and memo.exists(),
                 included=[(sub, at) for _p, _r, sub, at in included])
    if memo is not None and not memo.exists():
        try:
            memo.parent.mkdir(parents=True, exist_ok=True)
            memo.touch()
        except OSError:
            pass
    return cfg


def _validated_memo(digest: str) -> Path | None:
    """A marker saying these exact config bytes already passed validation: a later start skips
    compiling each pattern on its own (~50 ms), which only served to name a bad one."""
    try:
        import platformdirs

        python = f"py{sys.version_info[0]}{sys.version_info[1]}"
        return Path(platformdirs.user_cache_dir("sinoread")) / "validated-configs" / f"{digest}-{python}"
    except Exception:
        return None


def _build(data: Any, at: _Located, cfg_file: str, digest: str, checked: bool = False,
           included: list[tuple[Any, _Located]] | None = None) -> Config:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise at.error((), "the top level must be a mapping of keys (countries:, people:, ...)")
    for key in data:
        if key not in _TOP_KEYS:
            raise at.error((key,), f"unknown key {key!r}; known keys: {', '.join(sorted(_TOP_KEYS))}")

    def s(path: tuple[Any, ...], value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            shown = "boolean" if isinstance(value, bool) else type(value).__name__
            hint = " (quote it: YAML reads NO/yes/on as booleans)" if isinstance(value, bool) else ""
            raise at.error(path, f"expected a non-empty string, got {shown}{hint}")
        return value.strip()

    def str_list(path: tuple[Any, ...], value: Any) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise at.error(path, f"expected a list of strings, got {type(value).__name__}")
        return tuple(s(path + (i,), v) for i, v in enumerate(value))

    def mapping(path: tuple[Any, ...], value: Any, allowed: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise at.error(path, f"expected a mapping, got {type(value).__name__}")
        for key in value:
            if key not in allowed:
                raise at.error(path + (key,), f"unknown key {key!r}; expected one of {', '.join(sorted(allowed))}")
        return value

    def regex(path: tuple[Any, ...], pattern: str, flags: int = 0) -> re.Pattern[str]:
        try:
            compiled = re.compile(pattern, flags)
        except (re.error, RecursionError, OverflowError) as exc:
            raise at.error(path, f"pattern {pattern!r} does not compile: {exc}") from None
        if compiled.groupindex:
            raise at.error(path, f"pattern {pattern!r} names a group ({', '.join(compiled.groupindex)}): "
                                 "patterns are joined into one, so use (?:...) instead of (?P<name>...)")
        return compiled

    def budgeted(path: tuple[Any, ...], pattern: str, flags: int = 0) -> BudgetedPattern:
        """A pattern that runs over article text: under the article's time budget."""
        try:
            return compile_checked(pattern, flags, where=_dotted(path))
        except ValueError as exc:  # e.g. a group reference across joined patterns
            raise at.error(path, f"pattern does not compile: {exc}") from None

    def alternation(path: tuple[Any, ...], patterns: tuple[str, ...], flags: int = re.IGNORECASE) -> BudgetedPattern:
        for i, p in enumerate(patterns):
            if not checked:
                regex(path + (i,), p, flags)
        body = "|".join(f"(?:{p})" for p in patterns) or r"(?!x)x"
        return budgeted(path, rf"(?<!\w)(?:{body})(?!\w)", flags)

    corpus = data.get("corpus")
    if corpus is not None:
        corpus = s(("corpus",), corpus)

    states: dict[str, Country] = {}
    owner: dict[str, str] = {}
    not_countries: list[str] = []
    datelines: dict[str, str] = {}
    sources = [*(included or []), (data, at)]
    if not any(isinstance(d, dict) and d.get("countries") for d, _ in sources):
        raise at.error(("countries",), "expected a mapping of country name -> {aliases: [...]}")
    for source, where in sources:
        _countries(source.get("countries"), where, states, owner, s, str_list, mapping)
        not_countries += str_list(("not_countries",), source.get("not_countries"))
    for source, where in sources:
        raw_datelines = source.get("datelines") or {}
        for city, country in mapping(("datelines",), raw_datelines, set(raw_datelines)).items():
            country = s(("datelines", city), country)
            if country not in states:
                raise where.error(("datelines", city), f"unknown country {country!r}; add it under countries: first")
            datelines[fold(str(city)).upper()] = country
    for name, st in states.items():
        for other in (st.part_of, *st.successors):
            if other is not None and other not in states:
                raise at.error(("countries", name), f"{name} refers to unknown country {other!r}")
    places: dict[str, tuple[str, ...]] = {}
    raw_places = data.get("places") or {}
    if not isinstance(raw_places, dict):
        raise at.error(("places",), "expected a mapping of country -> [place, ...]")
    for country, names in raw_places.items():
        if country not in states:
            raise at.error(("places", country), f"unknown country {country!r}; add it under countries: first")
        places[country] = str_list(("places", country), names)

    people: list[Person] = []
    raw_people = data.get("people") or []
    if not isinstance(raw_people, list):
        raise at.error(("people",), "expected a list of {name, aliases, role, country}")
    for i, p in enumerate(raw_people):
        path = ("people", i)
        p = mapping(path, p, {"name", "aliases", "role", "country"})
        if "name" not in p:
            raise at.error(path, "each person needs a name:")
        country = p.get("country")
        if country is not None and s(path + ("country",), country) not in states:
            raise at.error(path + ("country",), f"unknown country {country!r}")
        people.append(Person(
            name=s(path + ("name",), p["name"]),
            aliases=str_list(path + ("aliases",), p.get("aliases")),
            role=s(path + ("role",), p["role"]) if p.get("role") is not None else None,
            country=country,
        ))

    orgs: list[Organization] = []
    raw_orgs = data.get("organizations") or []
    if not isinstance(raw_orgs, list):
        raise at.error(("organizations",), "expected a list of {name, aliases, country}")
    for i, o in enumerate(raw_orgs):
        path = ("organizations", i)
        o = mapping(path, o, {"name", "aliases", "country"})
        if "name" not in o:
            raise at.error(path, "each organization needs a name:")
        country = o.get("country")
        if country is not None and s(path + ("country",), country) not in states:
            raise at.error(path + ("country",), f"unknown country {country!r}")
        orgs.append(Organization(
            name=s(path + ("name",), o["name"]),
            aliases=str_list(path + ("aliases",), o.get("aliases")),
            country=country,
        ))

    roles = str_list(("roles",), data.get("roles"))
    for i, r in enumerate(roles):
        if not checked:
            regex(("roles", i), r)
    org_patterns = str_list(("organization_patterns",), data.get("organization_patterns"))
    for i, p in enumerate(org_patterns):
        if not checked:
            regex(("organization_patterns", i), p.replace("{country}", "X"))
            if p.count("{country}") > 1 or any(
                not _compiles(half) for half in p.split("{country}") if "{country}" in p
            ):
                raise at.error(("organization_patterns", i),
                               f"pattern {p!r}: {{country}} may appear once, at the top level (not inside "
                               "a group or an alternation), since the pattern is matched outwards from it")
    boiler = str_list(("boilerplate",), data.get("boilerplate"))
    for i, p in enumerate(boiler):
        if not checked:
            regex(("boilerplate", i), p, re.IGNORECASE)
    boilerplate = tuple(budgeted(("boilerplate", i), p, re.IGNORECASE) for i, p in enumerate(boiler))

    tone = mapping(("tone",), data.get("tone") or {}, {"cooperation", "tension"})
    coop = alternation(("tone", "cooperation"), str_list(("tone", "cooperation"), tone.get("cooperation")))
    tension = alternation(("tone", "tension"), str_list(("tone", "tension"), tone.get("tension")))

    agreements = mapping(("agreements",), data.get("agreements") or {}, {"statuses", "kinds", "anaphora"})

    def cues(key: str, label_key: str) -> tuple[Cue, ...]:
        raw = agreements.get(key) or []
        if not isinstance(raw, list):
            raise at.error(("agreements", key), f"expected a list of {{{label_key}, cues}}")
        out = []
        for i, item in enumerate(raw):
            path = ("agreements", key, i)
            item = mapping(path, item, {label_key, "cues"})
            label_ = s(path + (label_key,), item.get(label_key))
            patterns = str_list(path + ("cues",), item.get("cues"))
            out.append(Cue(label_, alternation(path + ("cues",), patterns), patterns))
        return tuple(out)

    anaphora = alternation(("agreements", "anaphora"), str_list(("agreements", "anaphora"), agreements.get("anaphora")))

    keys_raw = data.get("keys") or {}
    keys = {str(k): s(("keys", k), v) for k, v in mapping(("keys",), keys_raw, set(keys_raw)).items()}

    return Config(
        path=cfg_file, digest=digest, corpus=corpus, states=states, not_countries=tuple(dict.fromkeys(not_countries)), datelines=datelines,
        places=places, people=tuple(people), roles=roles,
        not_names=frozenset(str_list(("not_names",), data.get("not_names"))),
        organizations=tuple(orgs), organization_patterns=org_patterns,
        boilerplate=boilerplate, tone_cooperation=coop, tone_tension=tension,
        statuses=cues("statuses", "status"), kinds=cues("kinds", "kind"),
        anaphora=anaphora, keys=keys,
    )


def _countries(raw: Any, at: _Located, states: dict[str, Country], owner: dict[str, str],
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
                exact = key in ("abbreviations", "exact") or _is_abbreviation(alias)
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
            own = CountryAlias(name, "historic" if historic else "name", ambiguous.get(name), _is_abbreviation(name))
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


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return False
    return True


def _is_abbreviation(alias: str) -> bool:
    """US, U.S., PRC: capitals only, short; matched only as written."""
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(letters) <= 5
