"""YAML with a line number for every key: parsing, the node-graph checks (alias bombs,
self-reference) and errors that point at the line to fix."""

from __future__ import annotations

from typing import Any

import yaml

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""The one YAML loader sinoread runs on config and on front matter (untrusted): libyaml's safe
loader when PyYAML was built with it, same rules, ten times faster; no tag builds an object."""


class ConfigError(Exception):
    """A config problem the user can fix: `str(err)` is the one-line message."""


MAX_NODES = 100_000
"""YAML values a config may hold once its aliases are expanded: the bundled one has ~3,000;
seven levels of nested anchors make billions (an alias bomb)."""


class Located:
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
                            f"{self.file} line {key_node.start_mark.line + 1} ({dotted(path) or 'top level'}): "
                            "a key must be plain text, not a list or mapping"
                        )
                    key = key_node.value
                    if key in seen:
                        raise ConfigError(
                            f"{self.file} line {key_node.start_mark.line + 1}: duplicate key "
                            f"{dotted(path + (key,))!r} (first at line {seen[key]}); keep one"
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
        key = f" ({dotted(path)})" if path else ""
        return ConfigError(f"{where}{key}: {message}")


def dotted(path: tuple[Any, ...]) -> str:
    return ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in path).replace(".[", "[")


def parse(raw: bytes, label: str) -> tuple[Any, Located]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{label}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    loader = SAFE_LOADER(text)
    try:
        node = loader.get_single_node()
        located = Located(node, label)
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

