#!/usr/bin/env python3
"""Checks the metadata and the statements of whosaid rows against ../shared/gold.

Usage: seed_metadata.py ROWS.jsonl [--gold DIR]

ROWS.jsonl is `whosaid extract samples --format jsonl`. For every sample the gold describes
(gold/seeds_meta.jsonl), the rows' title, outlet, published and author must equal the gold
wherever the gold has a value (and every row of a document must carry the same values);
no statement may appear twice in one document (the same content span, or the same content
text at two places, as when a page repeats its body). Exit status 1 on any mismatch.
"""
import argparse
import json
import os
import re
import sys
from collections import defaultdict

FIELDS = [("title", "title"), ("outlet", "outlet"), ("published", "date"), ("author", "author")]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("rows")
    ap.add_argument("--gold", default=os.path.join(here, "..", "..", "shared", "gold"))
    a = ap.parse_args()
    meta_path = os.path.join(a.gold, "seeds_meta.jsonl")
    if not os.path.exists(meta_path):
        sys.exit(f"seed_metadata.py: no gold at {meta_path} (the shared data lives beside the project: ../shared)")
    gold = [json.loads(l) for l in open(meta_path, encoding="utf-8") if l.strip()]
    rows = defaultdict(list)
    for line in open(a.rows, encoding="utf-8"):
        if line.strip():
            r = json.loads(line)
            rows[r["doc"]].append(r)

    failures = 0
    checked = 0
    for g in gold:
        doc = g["doc"]
        got = rows.get(doc)
        if not got:
            print(f"{doc}: no rows")
            failures += 1
            continue
        for field, gold_field in FIELDS:
            values = {r.get(field) for r in got}
            if len(values) != 1:
                print(f"{doc}: rows disagree on {field}: {sorted(map(str, values))}")
                failures += 1
                continue
            value = values.pop()
            want = g.get(gold_field)
            if want is None:
                note = "" if value is None else f" (gold has none; got {value!r})"
                print(f"{doc}: {field:<9} -{note}")
                continue
            checked += 1
            ok = value == want
            failures += not ok
            print(f"{doc}: {field:<9} {'ok  ' if ok else 'FAIL'} {value!r}" + ("" if ok else f" (gold {want!r})"))
        spans = defaultdict(list)
        texts = defaultdict(list)
        for r in got:
            spans[(r["content_start"], r["content_end"])].append(r)
            texts[re.sub(r"\W+", " ", r["content"]).strip().lower()].append(r)
        for key, same in list(spans.items()) + list(texts.items()):
            if len(same) > 1:
                print(f"{doc}: statement twice: {[(r['content_start'], r['content'][:60]) for r in same]}")
                failures += 1
    print(f"{checked} gold values checked, {failures} failures")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
