"""Repository promises: the README's two commands, CI running the second verbatim, seeds."""

from __future__ import annotations

import re

from tests.helpers import ROOT, SEEDS


def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.lstrip().startswith("# sinoread")
    section = readme.split("## Quick start", 1)[1]
    block = re.search(r"```(?:sh|bash)?\n(.*?)```", section, re.DOTALL)
    assert block
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_quick_start_has_exactly_two_commands():
    run, test = quick_start_commands()
    assert "pip install ." in run and run.endswith("sinoread")
    assert "'.[test]'" in test and "pytest" in test


def test_ci_runs_the_readme_test_command_verbatim():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert quick_start_commands()[1] in ci.splitlines()


def test_seeds_are_the_five_shared_files():
    shared = ROOT.parent / "shared" / "seeds"
    ours = sorted(p.name for p in SEEDS.iterdir())
    assert len(ours) == 5
    if shared.is_dir():
        assert ours == sorted(p.name for p in shared.iterdir())
        for name in ours:
            assert (SEEDS / name).read_bytes() == (shared / name).read_bytes()
