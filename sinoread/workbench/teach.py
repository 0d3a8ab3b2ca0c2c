"""Teach the extractor from the reader: add a word to config.yaml, keeping the file's comments
and order (ruamel.yaml round-trip), validated before anything is written.

The bundled config is never edited in place: the first lesson copies it to the user's config
folder, which `sinoread` then reads (see `user_config_path`).
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sinoread.config import Config, ConfigError, load_config
from sinoread.resources import bundled_config_path

LESSONS = {
    "alias": "another name of a country (needs the country)",
    "person": "a person (country optional)",
    "organization": "an organisation (country optional)",
    "not_country": "a phrase that names no country (`Vietnam War`, `South China Sea`)",
    "boilerplate": "site debris: paragraphs starting with it are dropped",
}


class TeachError(Exception):
    """The lesson cannot be written; the message says why, and the file is unchanged."""


def user_config_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir("sinoread")) / "config.yaml"


@dataclass(frozen=True)
class Lesson:
    kind: str
    text: str
    country: str | None = None


def writable_config(current: Path) -> Path:
    """Where a lesson goes: the config in use, unless it is the bundled one (then a user copy)."""
    if current.resolve() != bundled_config_path().resolve():
        return current
    target = user_config_path()
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(bundled_config_path(), target)
    return target


def teach(cfg: Config, lesson: Lesson) -> tuple[Path, Config, str]:
    """Write the lesson; returns (file written, the new config, what was done)."""
    text = " ".join(lesson.text.split())
    if not text:
        raise TeachError("nothing to add: select or type a word")
    if len(text) > 200:
        raise TeachError("that is more than a word or name (over 200 characters)")
    if lesson.kind not in LESSONS:
        raise TeachError(f"unknown lesson {lesson.kind!r}; one of {', '.join(LESSONS)}")
    country = None
    if lesson.country:
        country = cfg.resolve_country(lesson.country)
        if country is None:
            raise TeachError(f"unknown country {lesson.country!r}; name a country of the config")
    if lesson.kind == "alias" and country is None:
        raise TeachError("an alias needs the country it names")
    path = writable_config(Path(cfg.path))
    with _config_lock(path):
        return _teach_locked(path, cfg, lesson, text, country)


def _writable_mode(path: Path) -> int:
    """The config's mode, if we may replace it: a file its owner made read-only (0444) is
    left alone, even by root (decided by st_mode, not by access())."""
    import stat

    try:
        st = os.stat(path)
    except OSError as exc:
        raise TeachError(f"cannot read {path} ({exc.strerror})") from None
    if not stat.S_ISREG(st.st_mode):
        raise TeachError(f"{path} is not a regular file; lessons are not written there")
    if not st.st_mode & stat.S_IWUSR:
        raise TeachError(f"{path} is read-only (mode {st.st_mode & 0o777:04o}); make it writable "
                         f"(`chmod u+w {path}`) to teach, or point --config at a copy")
    return stat.S_IMODE(st.st_mode)


@contextmanager
def _config_lock(path: Path) -> Iterator[None]:
    """One lesson at a time: read, change and replace the config under an flock of a lock file
    beside it (two lessons at once lost one before, while both said they were written)."""
    import fcntl

    lock = path.with_name(f".{path.name}.lock")
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    except OSError as exc:
        raise TeachError(f"cannot lock {path} for writing ({exc.strerror}); is its folder writable?") from None
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TeachError(f"{path} is being written by another lesson; try again") from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)


def _teach_locked(path: Path, cfg: Config, lesson: Lesson, text: str, country: str | None) -> tuple[Path, Config, str]:
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    mode = _writable_mode(path)
    rt = YAML(typ="rt")  # round-trip (safe: no Python objects): comments, order and quoting survive
    rt.preserve_quotes = True
    rt.width = 4096
    try:
        data = rt.load(path.read_text(encoding="utf-8"))
    except Exception as exc:
        raise TeachError(f"{path}: cannot read it back ({exc})") from None

    def seq(key: str) -> CommentedSeq:
        if data.get(key) is None:
            data[key] = CommentedSeq()
        return data[key]

    if lesson.kind == "alias":
        if data.get("countries") is None:
            data["countries"] = CommentedMap()
        spec = data["countries"].get(country)  # a country of the included table has no entry yet
        if spec is None:
            spec = data["countries"][country] = CommentedMap()
        aliases = spec.setdefault("aliases", CommentedSeq())
        if any(a.casefold() == text.casefold() for a in aliases):
            raise TeachError(f"{text!r} is already an alias of {country}")
        aliases.append(text)
        done = f"{text!r} is now a name of {country}"
    elif lesson.kind in ("person", "organization"):
        key = "people" if lesson.kind == "person" else "organizations"
        items = seq(key)
        if any(str(p.get("name", "")).casefold() == text.casefold() for p in items):
            raise TeachError(f"{text!r} is already listed under {key}")
        entry = CommentedMap(name=text)
        if country:
            entry["country"] = country
        items.append(entry)
        done = f"{text!r} is now a{'n organisation' if key == 'organizations' else ' person'}" + (f" of {country}" if country else "")
    elif lesson.kind == "not_country":
        items = seq("not_countries")
        if any(str(p).casefold() == text.casefold() for p in items):
            raise TeachError(f"{text!r} is already listed under not_countries")
        items.append(text)
        done = f"{text!r} no longer counts as a country"
    else:
        items = seq("boilerplate")
        pattern = re.escape(text).replace(r"\ ", r"\s+")
        if pattern in [str(p) for p in items]:
            raise TeachError(f"{text!r} is already boilerplate")
        items.append(pattern)
        done = f"paragraphs starting {text!r} are now dropped as debris"

    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            rt.dump(data, fh)
            os.fchmod(fh.fileno(), mode)  # the file keeps its mode
        load_config(tmp)  # validate exactly what will be written
    except ConfigError as exc:
        tmp.unlink(missing_ok=True)
        raise TeachError(f"not written: the result would be invalid ({exc})") from None
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise TeachError(f"cannot write {path} ({exc.strerror or exc})") from None
    os.replace(tmp, path)
    return path, load_config(path), done
