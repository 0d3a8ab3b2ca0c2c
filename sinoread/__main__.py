"""`python -m sinoread` runs the same entry point as the `sinoread` command."""

from sinoread.cli.main import main

raise SystemExit(main())
