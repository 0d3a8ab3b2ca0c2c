"""A few hundred articles made from the seeds, big enough that indexing takes seconds."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import SEEDS


def make_corpus(root: Path, n: int = 240) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    seeds = sorted(SEEDS.iterdir())
    for i in range(n):
        text = seeds[i % len(seeds)].read_text(encoding="utf-8")
        (root / f"a{i:04d}.txt").write_text(text + f"\n\nNote {i}: Japan and India agreed to exercise number {i}.\n")
    return root
