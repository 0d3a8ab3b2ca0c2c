#!/usr/bin/env python3
"""Score sinoread's extraction on the hand-annotated development set.

usage: python tests/data/devset/score.py [--corpora ../shared/corpora] [--config FILE] [--json] [-v]

Countries and people are scored per article as sets (a person found by surname only, or by
a longer form, matches the annotated name when one name's words end the other's). Agreement
sentences match when the annotated opening words are inside a found agreement sentence;
"parties right" is the share of matched agreements whose party set is the annotated one.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]


def _words(name: str) -> list[str]:
    from sinoread.ingest.fold import fold

    return fold(name).casefold().replace(".", " ").replace("-", " ").split()


def same_person(a: str, b: str) -> bool:
    x, y = _words(a), _words(b)
    if not x or not y:
        return False
    short, long_ = (x, y) if len(x) <= len(y) else (y, x)
    return long_[-len(short):] == short or long_[:len(short)] == short and len(short) > 1


def _analyse(path: Path, cfg):
    from sinoread.extract.analysis import analyse
    from sinoread.ingest.corpus import parse_article
    from sinoread.ingest.files import SourceFile

    st = path.stat()
    source = SourceFile(id=path.stem, path=str(path), mtime_ns=st.st_mtime_ns, size=st.st_size,
                        device=st.st_dev, inode=st.st_ino)
    article = parse_article(source, cfg)
    return article, analyse(article.text, cfg, article.date)


def score(corpora: Path, config: str | None = None, verbose: bool = False) -> dict[str, float]:
    from sinoread.config import load_config

    cfg = load_config(config)

    def country(name: str) -> str:
        return cfg.resolve_country(name) or name

    tally = {k: [0, 0, 0] for k in ("countries", "people", "agreements")}  # hit, found, gold
    parties_right = 0
    entries = [e for f in sorted((HERE / "annotations").glob("*.json")) for e in json.loads(f.read_text())]
    for entry in entries:
        path = corpora / entry["file"]
        _article, result = _analyse(path, cfg)
        got_c = set(result.countries())
        gold_c = {country(c) for c in entry["countries"]}
        t = tally["countries"]
        t[0] += len(got_c & gold_c)
        t[1] += len(got_c)
        t[2] += len(gold_c)
        got_p = {m.name for m in result.mentions if m.kind == "person"}
        gold_p = set(entry["people"])
        t = tally["people"]
        t[0] += sum(1 for g in gold_p if any(same_person(g, p) for p in got_p))
        t[1] += len(got_p)
        t[2] += len(gold_p)
        wrong_p = sorted(p for p in got_p if not any(same_person(g, p) for g in gold_p))
        missed_p = sorted(g for g in gold_p if not any(same_person(g, p) for p in got_p))
        t = tally["agreements"]
        found = list(result.agreements)
        matched: set[int] = set()
        missed_a = []
        for g in entry["agreements"]:
            opening = " ".join(g["sentence"].split())
            hit = next((i for i, a in enumerate(found) if opening in " ".join(a.sentence.split())), None)
            if hit is None:
                missed_a.append(opening)
                continue
            matched.add(hit)
            if {country(c) for c in g["parties"]} == set(found[hit].parties):
                parties_right += 1
            elif verbose:
                print(f"  {entry['file']}: parties {sorted(found[hit].parties)} != {sorted(g['parties'])}: {opening[:60]}")
        t[0] += len(matched)
        t[1] += len(found)
        t[2] += len(entry["agreements"])
        if verbose:
            for label, items in (
                ("countries missed", sorted(gold_c - got_c)), ("countries wrong", sorted(got_c - gold_c)),
                ("people missed", missed_p), ("people wrong", wrong_p),
                ("agreements missed", [a[:70] for a in missed_a]),
                ("agreements wrong", [a.sentence[:70] for i, a in enumerate(found) if i not in matched]),
            ):
                if items:
                    print(f"  {entry['file']}: {label}: {items}")
    out: dict[str, float] = {"articles": len(entries)}
    for k, (hit, found_n, gold_n) in tally.items():
        out[f"{k}_precision"] = round(hit / found_n, 3) if found_n else 1.0
        out[f"{k}_recall"] = round(hit / gold_n, 3) if gold_n else 1.0
    out["parties_right"] = round(parties_right / tally["agreements"][0], 3) if tally["agreements"][0] else 1.0
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", default=str(ROOT.parent / "shared" / "corpora"))
    ap.add_argument("--config")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    result = score(Path(args.corpora), args.config, args.verbose)
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{result['articles']} articles")
        for k in ("countries", "people", "agreements"):
            print(f"{k:<11} precision {result[k + '_precision']:.3f}  recall {result[k + '_recall']:.3f}")
        print(f"parties right {result['parties_right']:.3f} of matched agreements")
    return 0


if __name__ == "__main__":
    sys.exit(main())
