"""Load and validate `config.yaml` and its includes; every error names the file, line and key."""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path
from typing import Any

from sinoread.config.countries import merge_countries
from sinoread.config.located import ConfigError, Located, dotted, parse
from sinoread.config.model import Config, Country, Cue, Organization, Person
from sinoread.extract.budget import BudgetedPattern, compile_checked
from sinoread.ingest.fold import fold
from sinoread.resources import bundled_config_path

_TOP_KEYS = {
    "include", "corpus", "countries", "not_countries", "datelines", "places", "people", "roles", "not_names",
    "organizations", "organization_patterns", "ship_prefixes", "boilerplate", "tone", "agreements", "keys",
}
_INCLUDED_KEYS = {"countries", "not_countries", "datelines"}
"""What an included data file (the generated country table) may hold."""


_INCLUDE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,80}\.ya?ml")


def _includes(data: Any, at: Located, cfg_dir: Path) -> list[tuple[Path, bytes, Any, Located]]:
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
            sub, located = parse(raw, str(candidate))
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
    data, located = parse(raw, label)
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


def _build(data: Any, at: Located, cfg_file: str, digest: str, checked: bool = False,
           included: list[tuple[Any, Located]] | None = None) -> Config:
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
            return compile_checked(pattern, flags, where=dotted(path))
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
        merge_countries(source.get("countries"), where, states, owner, s, str_list, mapping)
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

    raw_ships = data.get("ship_prefixes") or {}
    if not isinstance(raw_ships, dict):
        raise at.error(("ship_prefixes",), "expected a mapping of prefix -> country, e.g. HMS: United Kingdom")
    ship_prefixes: dict[str, str] = {}
    for prefix, country in raw_ships.items():
        if not isinstance(prefix, str) or not re.fullmatch(r"[A-Z][A-Za-z]{1,5}", prefix):
            raise at.error(("ship_prefixes", prefix), f"ship prefix {prefix!r}: expected 2 to 6 letters, the first a capital")
        if s(("ship_prefixes", prefix), country) not in states:
            raise at.error(("ship_prefixes", prefix), f"unknown country {country!r}")
        ship_prefixes[prefix] = country

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

    statuses = cues("statuses", "status")
    anaphora = alternation(("agreements", "anaphora"), str_list(("agreements", "anaphora"), agreements.get("anaphora")))

    keys_raw = data.get("keys") or {}
    keys = {str(k): s(("keys", k), v) for k, v in mapping(("keys",), keys_raw, set(keys_raw)).items()}

    return Config(
        path=cfg_file, digest=digest, corpus=corpus, states=states, not_countries=tuple(dict.fromkeys(not_countries)), datelines=datelines,
        places=places, people=tuple(people), roles=roles,
        not_names=frozenset(str_list(("not_names",), data.get("not_names"))),
        organizations=tuple(orgs), organization_patterns=org_patterns, ship_prefixes=ship_prefixes,
        boilerplate=boilerplate, tone_cooperation=coop, tone_tension=tension,
        statuses=statuses, any_status=alternation(("agreements", "statuses"), tuple(p for st in statuses for p in st.source)),
        kinds=cues("kinds", "kind"),
        anaphora=anaphora, keys=keys,
    )


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return False
    return True
