"""The `sinoread` entry point: one subcommand, or the reader; errors become exit codes.

Commands that do not open the reader never import Textual, so scripts stay fast.
"""

from __future__ import annotations

import sys

from sinoread.cli.commands import COMMANDS
from sinoread.cli.output import forgiving_streams, to_stderr
from sinoread.cli.parser import (
    EXIT_FAIL,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    build_parser,
    load_settings,
)
from sinoread.config import ConfigError
from sinoread.engine import UnsupportedWhoosh
from sinoread.indexing import Index, IndexUnusable
from sinoread.library import Library

NO_TERMINAL = (
    "sinoread: the reader needs a terminal on stdin and stdout; for scripts use `sinoread index`, "
    "`articles`, `show`, `search`, `pairs`, `timeline`, `actors`, `sources`, `notes` or `export` (each with --json)"
)




def main(argv: list[str] | None = None) -> int:
    forgiving_streams()
    args = build_parser().parse_args(argv)
    try:
        cfg, corpus, index_dir = load_settings(args)
        index = Index(index_dir, corpus, cfg)
        library = Library(index)
        if args.command is None:
            if not (sys.stdin.isatty() and sys.stdout.isatty()):  # cron, `ssh host sinoread`, </dev/null
                to_stderr(NO_TERMINAL)
                return EXIT_USAGE
            from sinoread.tui.app import run_app

            return run_app(library)
        try:
            return COMMANDS[args.command](args, library)
        finally:
            library.close()
    except (ConfigError, UsageError) as exc:
        to_stderr(f"sinoread: {exc}")
        return EXIT_USAGE
    except (IndexUnusable, UnsupportedWhoosh) as exc:  # also IndexBusy
        to_stderr(f"sinoread: {exc}")
        return EXIT_FAIL
    except KeyboardInterrupt:
        to_stderr("sinoread: interrupted; the previous index is intact, and `sinoread index` resumes "
                "an unfinished build from its last batch")
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
