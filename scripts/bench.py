#!/usr/bin/env python3
"""Throughput benchmark for `whosaid extract` (not part of the test suite).

Builds a corpus of at least --mb megabytes of separate article files from samples/ and, when
present, ../shared/polnear/train (repeated), then runs the release binary over it at one
thread and at all threads, several times each, and prints for the best run: MB/s, rows,
and peak resident memory of the process.

    python3 scripts/bench.py [--mb 20] [--runs 3] [--jobs 1,2] [--format jsonl]

Run `cargo build --release` first. The corpus is cached in $TMPDIR/whosaid-bench-<mb>mb.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "whosaid")
POLNEAR = os.path.join(ROOT, "..", "shared", "polnear", "train")


def sources():
    files = []
    sample_dir = os.path.join(ROOT, "samples")
    files += [os.path.join(sample_dir, f) for f in sorted(os.listdir(sample_dir)) if f.endswith(".txt")]
    if os.path.isdir(POLNEAR):
        files += [os.path.join(POLNEAR, f) for f in sorted(os.listdir(POLNEAR)) if f.endswith(".txt")]
    else:
        print(f"note: {POLNEAR} not found; the corpus is built from samples/ only", file=sys.stderr)
    return files


def build_corpus(mb):
    target = mb * 1_000_000
    corpus = os.path.join(tempfile.gettempdir(), f"whosaid-bench-{mb}mb")
    stamp = os.path.join(corpus, ".complete")
    if os.path.exists(stamp):
        return corpus
    shutil.rmtree(corpus, ignore_errors=True)
    os.makedirs(corpus)
    texts = [open(p, "rb").read() for p in sources()]
    size, n, rnd = 0, 0, 0
    while size < target:
        sub = os.path.join(corpus, f"r{rnd:03d}")
        os.makedirs(sub)
        for t in texts:
            with open(os.path.join(sub, f"{n:06d}.txt"), "wb") as f:
                f.write(t)
            size += len(t)
            n += 1
            if size >= target:
                break
        rnd += 1
    open(stamp, "w").close()
    return corpus


def corpus_bytes(corpus):
    total = 0
    for dirpath, _, names in os.walk(corpus):
        total += sum(os.path.getsize(os.path.join(dirpath, n)) for n in names if n.endswith(".txt"))
    return total


def run(corpus, jobs, fmt):
    """One run: (seconds, rows, peak RSS in MB)."""
    out = tempfile.TemporaryFile()
    start = time.perf_counter()
    proc = subprocess.Popen([BIN, "extract", corpus, "--jobs", str(jobs), "--format", fmt], stdout=out, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    err = proc.stderr.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"whosaid failed: {err}")
    out.seek(0)
    rows = sum(1 for _ in out) if fmt == "jsonl" else None
    return elapsed, rows, usage.ru_maxrss / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=int, default=20, help="corpus size in MB (default 20)")
    ap.add_argument("--runs", type=int, default=3, help="runs per setting; the best is reported")
    ap.add_argument("--jobs", default=f"1,{os.cpu_count()}", help="thread counts to measure")
    ap.add_argument("--format", default="jsonl")
    a = ap.parse_args()
    if not os.path.exists(BIN):
        sys.exit(f"{BIN} not found; run `cargo build --release` first")
    corpus = build_corpus(a.mb)
    size = corpus_bytes(corpus)
    files = sum(len([n for n in names if n.endswith(".txt")]) for _, _, names in os.walk(corpus))
    print(f"corpus {corpus}: {size / 1e6:.1f} MB in {files} files")
    print(f"{'jobs':>4} {'seconds':>8} {'MB/s':>8} {'rows':>9} {'peak RSS MB':>12}")
    for jobs in [int(j) for j in a.jobs.split(",")]:
        best = min((run(corpus, jobs, a.format) for _ in range(a.runs)), key=lambda r: r[0])
        secs, rows, rss = best
        print(f"{jobs:>4} {secs:>8.2f} {size / 1e6 / secs:>8.1f} {rows if rows is not None else '-':>9} {rss:>12.1f}")


if __name__ == "__main__":
    main()
