#!/usr/bin/env python3
"""Grouping benchmark for `whosaid groups` (not part of the test suite).

Extracts the statements of ../shared/polnear/train once, then generates --rows statements
(default 200,000) as if many outlets had reported them: "editions" of the whole extraction,
each under one outlet and date, in which every statement is reworded in one of several ways
(verbatim, synonyms swapped, words dropped, inflections changed, clauses swapped, reported
speech, a partial quote in a reporter's frame, a fragment). It times

    whosaid groups --rows ROWS.jsonl --statements --jobs J

for each size in --sizes (so the growth with input size shows), and prints seconds, rows/s,
groups and peak resident memory of the process. Since every generated statement knows the
statement it was made from, it also prints B-cubed precision and recall of the groups
(precision: of the rows grouped with a row, the share made from the same statement; recall:
of the rows made from the same statement, the share grouped with it).

    python3 scripts/bench_groups.py [--sizes 50000,100000,200000] [--jobs 2] [--runs 1]

Run `cargo build --release` first. Generated files are cached in $TMPDIR/whosaid-groups-bench.
"""
import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "whosaid")
POLNEAR = os.path.join(ROOT, "..", "shared", "polnear")
CACHE = os.path.join(tempfile.gettempdir(), "whosaid-groups-bench")

OUTLETS = ["Associated Press", "Reuters", "Breitbart", "CNN", "Fox News", "The New York Times",
           "Politico", "The Washington Post", "USA Today", "The Guardian", "NPR", "The Hill"]
SYNONYMS = {"said": "stated", "big": "large", "help": "assist", "people": "citizens",
            "country": "nation", "believe": "think", "important": "significant", "very": "really",
            "going": "about", "want": "wish", "great": "tremendous", "bad": "terrible",
            "job": "work", "jobs": "positions", "money": "funds", "win": "prevail",
            "president": "leader", "campaign": "bid", "support": "back", "attack": "assault"}
REPORTED = {"i": "he", "I": "he", "we": "they", "We": "They", "my": "his", "our": "their",
            "will": "would", "am": "was", "is": "was", "are": "were", "can": "could"}
FRAMES = ["warned that the country", "insisted", "told reporters that", "argued",
          "described the plan as", "said it was"]
WORD = re.compile(r"\S+")


def extraction():
    """The rows whosaid extracts from the train split (cached)."""
    os.makedirs(CACHE, exist_ok=True)
    path = os.path.join(CACHE, "train-rows.jsonl")
    if not os.path.exists(path):
        with open(path + ".tmp", "w", encoding="utf-8") as out:
            subprocess.run([BIN, "extract", os.path.join(POLNEAR, "train")], stdout=out, check=True)
        os.replace(path + ".tmp", path)
    rows = [json.loads(l) for l in open(path, encoding="utf-8")]
    return [r for r in rows if r.get("speaker") and len(r["content"].split()) >= 4]


def dates():
    """stem -> publication date, from metadata.tsv."""
    out = {}
    with open(os.path.join(POLNEAR, "metadata.tsv"), encoding="utf-8") as f:
        head = f.readline().rstrip("\n").split("\t")
        for line in f:
            cols = dict(zip(head, line.rstrip("\n").split("\t")))
            out[cols["filename"]] = cols["publication_date"]
    return out


def reword(content, rnd):
    """A rewording of `content` and the kind it now has."""
    words = WORD.findall(content)
    how = rnd.randrange(8)
    if how == 0:
        return content, None
    if how == 1:
        return " ".join(SYNONYMS.get(w, w) if rnd.random() < 0.7 else w for w in words), None
    if how == 2:
        return " ".join(w for w in words if rnd.random() > 0.15) or content, None
    if how == 3:
        def inflect(w):
            if w.endswith("ing") and len(w) > 6:
                return w[:-3]
            if w.isalpha() and w.islower() and len(w) > 4 and not w.endswith("s") and rnd.random() < 0.3:
                return w + "s"
            return w
        return " ".join(inflect(w) for w in words), None
    if how == 4 and "," in content:
        a, b = content.split(",", 1)
        return f"{b.strip()}, {a.strip()}", None
    if how == 5:
        return " ".join(REPORTED.get(w, w) for w in words), "indirect"
    if how == 6 and len(words) >= 8:
        n = max(4, int(len(words) * rnd.uniform(0.5, 0.8)))
        start = rnd.randrange(len(words) - n + 1)
        return f"{rnd.choice(FRAMES)} “{' '.join(words[start:start + n])}”", "mixed"
    n = max(4, int(len(words) * rnd.uniform(0.6, 0.9)))
    start = rnd.randrange(len(words) - n + 1)
    return " ".join(words[start:start + n]), None


def generate(n):
    """n statements (cached): (path, the index of the base statement of each line)."""
    path = os.path.join(CACHE, f"rows-{n}.jsonl")
    truth_path = path + ".truth"
    if not (os.path.exists(path) and os.path.exists(truth_path)):
        base, when = extraction(), dates()
        rnd = random.Random(7)
        truth = []
        with open(path + ".tmp", "w", encoding="utf-8") as out:
            edition = 0
            while len(truth) < n:
                outlet = OUTLETS[edition % len(OUTLETS)]
                for b, r in enumerate(base):
                    if len(truth) == n:
                        break
                    content, kind = reword(r["content"], rnd)
                    day = when.get(r["doc"], "2016-01-01")
                    day = f"{day[:8]}{min(28, int(day[8:]) + edition % 3):02d}"
                    row = dict(r)
                    row.update(doc=f"e{edition:03d}-{r['doc']}", source=f"e{edition:03d}/{r['doc']}.txt",
                               content=content, kind=kind or r["kind"], outlet=outlet, published=day)
                    out.write(json.dumps(row) + "\n")
                    truth.append(b)
                edition += 1
        with open(truth_path, "w") as f:
            f.write("\n".join(map(str, truth)))
        os.replace(path + ".tmp", path)
    truth = [int(x) for x in open(truth_path).read().split()]
    return path, truth


def bcubed(groups, truth):
    by_group, by_base = {}, {}
    for g, t in zip(groups, truth):
        by_group.setdefault(g, []).append(t)
        by_base[t] = by_base.get(t, 0) + 1
    precision = recall = 0.0
    for members in by_group.values():
        counts = {}
        for t in members:
            counts[t] = counts.get(t, 0) + 1
        for t, c in counts.items():
            precision += c * c / len(members)
            recall += c * c / by_base[t]
    return precision / len(truth), recall / len(truth)


def run(path, jobs):
    """One run: (seconds, groups of each line, peak RSS in MB)."""
    out = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
    start = time.perf_counter()
    proc = subprocess.Popen([BIN, "groups", "--rows", path, "--statements", "--jobs", str(jobs)],
                            stdout=out, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"whosaid failed: {proc.stderr.read().decode()}")
    out.seek(0)
    groups = [json.loads(l)["group"] for l in out]
    return elapsed, groups, usage.ru_maxrss / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="50000,100000,200000", help="numbers of statements to group")
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    ap.add_argument("--runs", type=int, default=1, help="runs per size; the fastest is reported")
    a = ap.parse_args()
    if not os.path.isdir(POLNEAR):
        sys.exit(f"{POLNEAR} not found: the benchmark generates its statements from the PolNeAR train split")
    if not os.path.exists(BIN):
        sys.exit(f"{BIN} not found; run `cargo build --release` first")
    print(f"{'rows':>8} {'seconds':>8} {'rows/s':>9} {'groups':>8} {'peak RSS MB':>12} {'B3 precision':>13} {'B3 recall':>10}")
    for n in [int(s) for s in a.sizes.split(",")]:
        path, truth = generate(n)
        secs, groups, rss = min((run(path, a.jobs) for _ in range(a.runs)), key=lambda r: r[0])
        p, r = bcubed(groups, truth)
        print(f"{n:>8} {secs:>8.2f} {n / secs:>9.0f} {len(set(groups)):>8} {rss:>12.1f} {p:>13.3f} {r:>10.3f}")


if __name__ == "__main__":
    main()
