"""Arguments and settings: the subcommands, and the config, corpus and index they run on."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import NoReturn

from sinoread.config import Config, load_config
from sinoread.indexing.generations import default_index_dir
from sinoread.resources import bundled_seeds_path

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad input from the user: exit 2 with this one-line message."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"sinoread: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--corpus", metavar="DIR", default=argparse.SUPPRESS,
                        help="folder of .txt/.md articles (env SINOREAD_CORPUS; default: bundled seeds)")
    common.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS,
                        help="config.yaml to use (env SINOREAD_CONFIG; default: the user config folder's, else the bundled one)")
    common.add_argument("--index", metavar="DIR", default=argparse.SUPPRESS,
                        help="index folder (env SINOREAD_INDEX; default: user cache dir)")
    p = _Parser(prog="sinoread", parents=[common],
                description="Read, search and compare articles on security cooperation between states.")
    from sinoread import __version__
    p.add_argument("--version", action="version", version=f"sinoread {__version__}")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    s = sub.add_parser("index", parents=[common], help="build or update the index")
    s.add_argument("--rebuild", action="store_true", help="start over instead of updating")
    s.add_argument("--wait", type=float, default=30.0, metavar="SECONDS",
                   help="how long to wait for another indexer (default 30)")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("articles", parents=[common], help="list articles")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("show", parents=[common], help="an article with its actors, agreements and pairs")
    s.add_argument("ids", nargs="*", metavar="ID")
    s.add_argument("--all", action="store_true", help="every article")
    s.add_argument("--raw", action="store_true", help="print the original file's text")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("search", parents=[common], help="keyword search (Whoosh query syntax)")
    s.add_argument("query", nargs="+")
    s.add_argument("--limit", type=int, default=20)
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("pairs", parents=[common], help="two countries: where they meet; none: the matrix")
    s.add_argument("countries", nargs="*", metavar="COUNTRY")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("timeline", parents=[common], help="every agreement on one time axis")
    s.add_argument("countries", nargs="*", metavar="COUNTRY", help="two countries: only agreements binding both")
    s.add_argument("--kind", metavar="K", help="hotline, arms, patrol, ...")
    s.add_argument("--source", metavar="S", help="only what this outlet reported")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("actors", parents=[common], help="people and organisations across the corpus")
    s.add_argument("name", nargs="*", metavar="NAME", help="one actor: its articles, sentences and company")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("sources", parents=[common], help="articles per source and author; repeated stories")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("notes", parents=[common], help="your notes (search: words or #tag)")
    s.add_argument("query", nargs="*", metavar="WORD")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("export", parents=[common], help="a report as Markdown, CSV or JSON",
                       description="sinoread export pair A B | search QUERY | timeline [A B] | article ID | notes [QUERY]")
    s.add_argument("what", choices=["pair", "search", "timeline", "article", "notes"])
    s.add_argument("args", nargs="*", metavar="ARG")
    s.add_argument("--kind", metavar="K", help="timeline: only this kind")
    s.add_argument("--format", choices=["markdown", "md", "csv", "json"], help="default: from the file name, else markdown")
    s.add_argument("--output", "-o", metavar="FILE", help="file to write (default: print)")
    s.add_argument("--force", action="store_true", help="replace FILE if it exists")
    return p


def _setting(args: argparse.Namespace, name: str, env: str) -> str | None:
    return getattr(args, name, None) or os.environ.get(env) or None


def load_settings(args: argparse.Namespace) -> tuple[Config, Path, Path]:
    """Config, corpus folder and index folder from flags, environment and config."""
    cfg_path = _setting(args, "config", "SINOREAD_CONFIG")
    if cfg_path is None:  # what the reader taught goes to the user's copy; it wins over the bundled file
        from sinoread.workbench.teach import user_config_path

        user = user_config_path()
        cfg_path = str(user) if user.is_file() else None
    cfg = load_config(cfg_path)
    corpus = _setting(args, "corpus", "SINOREAD_CORPUS")
    if corpus is None and cfg.corpus:
        corpus = str((Path(cfg.path).parent / Path(cfg.corpus).expanduser()).resolve())
    corpus_path = Path(corpus).expanduser() if corpus else bundled_seeds_path()
    if not corpus_path.is_dir():
        raise UsageError(f"corpus folder {corpus_path} not found; pass --corpus DIR")
    index = _setting(args, "index", "SINOREAD_INDEX")
    index_path = Path(index).expanduser() if index else default_index_dir(corpus_path)
    return cfg, corpus_path.resolve(), index_path
