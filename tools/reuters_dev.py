#!/usr/bin/env python3
"""Write what `sinoread show --all --json` would print for the Reuters development split,
without building an index: the inner loop for tuning extraction against the Reuters
editors' tags (../shared/gold/score_reuters.py scores the output).

usage: python tools/reuters_dev.py OUT.json [--corpora ../shared/corpora] [--folders 00,01,02,03,04]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


@lru_cache(maxsize=1)
def _config():
    from sinoread.config import load_config

    return load_config(os.environ.get("SINOREAD_DEV_CONFIG") or None)


def _one(path: str) -> dict:
    from sinoread.extract.analysis import analyse
    from sinoread.ingest.corpus import parse_article
    from sinoread.ingest.files import SourceFile

    cfg = _config()
    st = os.stat(path)
    src = SourceFile(id=Path(path).stem, path=path, mtime_ns=st.st_mtime_ns, size=st.st_size,
                     device=st.st_dev, inode=st.st_ino)
    art = parse_article(src, cfg)
    res = analyse(art.text, cfg, art.date)
    actors = {(m.kind, m.name) for m in res.mentions if m.kind in ("person", "organization")}
    return {"id": art.id, "path": path, "countries": list(res.countries()),
            "actors": [{"kind": k, "name": n} for k, n in sorted(actors)]}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--corpora", default=str(ROOT.parent / "shared" / "corpora"))
    ap.add_argument("--folders", default="00,01,02,03,04")
    args = ap.parse_args()
    paths = sorted(str(p) for f in args.folders.split(",") for p in (Path(args.corpora) / "reuters" / f).glob("*.txt"))
    with ProcessPoolExecutor() as pool:
        docs = list(pool.map(_one, paths, chunksize=64))
    Path(args.out).write_text(json.dumps(docs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
