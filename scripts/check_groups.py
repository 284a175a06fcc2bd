#!/usr/bin/env python3
"""Checks statement groups on the samples against ../shared/gold (not part of the test suite).

Runs `whosaid extract --group samples`, matches the rows to the gold rows of
gold/seeds.jsonl the way tools/score_seeds.py does (same document, content token-overlap
F1 >= 0.5, best pairs first), then checks gold/seeds_same.json:

  required   every cluster's rows are found and share one group        (must hold)
  speakers   no group holds rows of two gold speakers, nor of two
             output speakers                                          (must hold)
  related    clusters that should be linked (reported, not counted)

    python3 scripts/check_groups.py [--gold-speakers] [--verbose]

--gold-speakers replaces the speaker of every matched row by its gold canonical speaker and
regroups with `whosaid groups --rows - --statements`: it tests grouping apart from speaker
resolution. Exit status 1 when a must-hold check fails, 2 when ../shared is missing.
Run `cargo build --release` first.
"""
import argparse
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "whosaid")
GOLD = os.path.join(ROOT, "..", "shared", "gold")
TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text, start, end):
    return {m.start() + start for m in TOKEN.finditer(text[start:end])}


def f1(a, b):
    inter = len(a & b)
    if not inter:
        return 0.0
    p, r = inter / len(a), inter / len(b)
    return 2 * p * r / (p + r)


def run(args, stdin=None):
    proc = subprocess.run([BIN, *args], cwd=ROOT, input=stdin, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"whosaid {' '.join(args)} failed ({proc.returncode}): {proc.stderr}")
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def match(rows, gold, texts):
    """Gold id -> index of the matching row (one to one, best overlap first)."""
    cands = []
    for i, r in enumerate(rows):
        t = texts.get(r["doc"])
        if t is None:
            continue
        rt = tokens(t, r["content_start"], r["content_end"])
        for g in gold:
            if g["doc"] == r["doc"]:
                score = f1(rt, tokens(t, g["content_start"], g["content_end"]))
                if score >= 0.5:
                    cands.append((score, i, g["id"]))
    cands.sort(key=lambda c: (-c[0], c[1], c[2]))
    by_gold, used = {}, set()
    for _, i, gid in cands:
        if gid not in by_gold and i not in used:
            by_gold[gid] = i
            used.add(i)
    return by_gold


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold-speakers", action="store_true", help="regroup with the gold canonical speakers")
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    if not os.path.isdir(GOLD):
        print(f"{GOLD} not found: this check needs the shared gold data beside the project", file=sys.stderr)
        sys.exit(2)
    if not os.path.exists(BIN):
        sys.exit(f"{BIN} not found; run `cargo build --release` first")
    gold = [json.loads(l) for l in open(os.path.join(GOLD, "seeds.jsonl"), encoding="utf-8") if l.strip()]
    gold = [g for g in gold if g["kind"] != "none"]
    same = json.load(open(os.path.join(GOLD, "seeds_same.json"), encoding="utf-8"))
    texts = {}
    for name in sorted(os.listdir(os.path.join(ROOT, "samples"))):
        if name.endswith(".txt"):
            with open(os.path.join(ROOT, "samples", name), encoding="utf-8", newline="") as f:
                texts[name[:-4]] = f.read()

    rows = run(["extract", "--group", "samples"])
    by_gold = match(rows, gold, texts)
    gold_by_id = {g["id"]: g for g in gold}
    if a.gold_speakers:
        for gid, i in by_gold.items():
            if gold_by_id[gid]["speaker"]:
                rows[i]["speaker"] = gold_by_id[gid]["speaker"]
        rows = run(["groups", "--rows", "-", "--statements"], "".join(json.dumps(r) + "\n" for r in rows))
    gold_of_row = {i: gid for gid, i in by_gold.items()}

    failed = False
    print(f"rows {len(rows)}, groups {len({r['group'] for r in rows})}, "
          f"gold rows matched {len(by_gold)}/{len(gold)}" + (" (gold speakers)" if a.gold_speakers else ""))
    for cluster in same["required"]:
        missing = [gid for gid in cluster if gid not in by_gold]
        found = {rows[by_gold[gid]]["group"] for gid in cluster if gid in by_gold}
        ok = not missing and len(found) == 1
        failed |= not ok
        detail = f"missing {missing}" if missing else f"groups {sorted(found)}"
        print(f"required {'+'.join(cluster)}: {'one group' if ok else 'NOT one group'} ({detail})")
    for cluster in same.get("related", []):
        found = {rows[by_gold[gid]]["group"] for gid in cluster if gid in by_gold}
        linked = len(found) == 1 and all(gid in by_gold for gid in cluster)
        print(f"related  {'+'.join(cluster)}: {'linked' if linked else 'not linked'}")

    members = {}
    for i, r in enumerate(rows):
        members.setdefault(r["group"], []).append(i)
    mixed = 0
    for g, idx in sorted(members.items()):
        out_speakers = {rows[i]["speaker"] for i in idx}
        gold_speakers = {gold_by_id[gold_of_row[i]]["speaker"] or gold_by_id[gold_of_row[i]]["speaker_mention"]
                         for i in idx if i in gold_of_row}
        if len(out_speakers) > 1 or len(gold_speakers) > 1:
            mixed += 1
            print(f"group {g} mixes speakers: output {sorted(map(str, out_speakers))}, gold {sorted(gold_speakers)}")
        elif a.verbose and len(idx) > 1:
            print(f"group {g} ({len(idx)} rows, {rows[idx[0]]['speaker']}):")
            for i in idx:
                print(f"    {rows[i]['doc'][:3]} {gold_of_row.get(i, '-'):>6} {rows[i]['content'][:100]!r}")
    failed |= mixed > 0
    multi = sum(1 for idx in members.values() if len(idx) > 1)
    print(f"groups with several rows {multi}; groups mixing speakers {mixed}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
