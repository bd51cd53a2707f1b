"""Replays the real published history as a daily cron job met it, and checks what it leaves.

    python3 tests/python/replay.py BIN SHARED_DIR WORK_DIR [--seed N] [--kill-share X]

SHARED_DIR holds `real/` (one folder per topic, `<day>.md` as published, plus Hugo's
`_index.md`) and `real-history/` (the earlier same-day versions, `<day>.<commit day>.<commit>.md`).
Day by day in date order, every topic's earlier versions of that day are copied, in name
order, to the final file's path (`<topic>/<day>.md`), with `biaslens run` after each; then
that day's final files, and a run. Some runs (a fixed-seed draw) are killed with SIGKILL at
a random moment of their expected duration, and the next run follows at once.

Some steps (another fixed-seed draw, `--delete-share`) also delete a digest published
earlier, as a site that takes a day down does. Every `--check-every`-th complete run, the
analysis is checked against a full one: the run's analysis folder against `analyze --full`
of the run's tables, and an analysis kept in the partitioned layout (`analyze --partitioned`,
incremental, run only at these checks) against `analyze --partitioned --full`, byte for byte.

It fails when
- a run exits with anything but 0 or 2 (killed runs aside);
- at a check, an incremental analysis differs from the full one (either layout);
- after the last run, the tables, the analysis or the last weekly report differ, byte for
  byte, from those of one `run --force` on the final folder (state and lock files aside);
- a temporary file of a killed run is left in any output folder.

Prints one line per day and a summary with the number of runs, kills and the time taken.
"""

import argparse
import filecmp
import os
import pathlib
import random
import shutil
import signal
import subprocess
import sys
import time

# Files a run keeps for itself, not outputs: compared by neither side.
STATE = {".biaslens.lock", ".biaslens-state.bin", ".biaslens-analysis.json"}
GENERATED_AT = "2026-08-03T06:00:00Z"


def events(shared: pathlib.Path):
    """The replay, as (day, [(source file, destination relative path)]) steps in order."""
    real, history = shared / "real", shared / "real-history"
    steps = {}  # day -> list of (order key, source, dest)
    for topic in sorted(p for p in real.iterdir() if p.is_dir()):
        for f in sorted(topic.glob("*.md")):
            if f.name == "_index.md":
                continue
            day = f.stem
            steps.setdefault(day, []).append(((1, topic.name, f.name), f, f"{topic.name}/{day}.md"))
        hist = history / topic.name
        if hist.is_dir():
            for f in sorted(hist.glob("*.md")):
                day = f.name.split(".")[0]
                steps.setdefault(day, []).append(((0, topic.name, f.name), f, f"{topic.name}/{day}.md"))
    out = []
    for day in sorted(steps):
        ordered = sorted(steps[day], key=lambda s: s[0])
        earlier = [(src, dst) for key, src, dst in ordered if key[0] == 0]
        final = [(src, dst) for key, src, dst in ordered if key[0] == 1]
        # Each earlier version is a run of its own; the day's final files are one.
        for step in earlier:
            out.append((day, [step]))
        out.append((day, final))
    return out


def run_args(binary, work, name, force=False):
    args = [
        binary, "run",
        "--input", str(work / "input"),
        "--tables", str(work / name / "tables"),
        "--analysis", str(work / name / "analysis"),
        "--reports", str(work / name / "reports"),
        "--generated-at", GENERATED_AT,
        "--chart-images", "svg",
    ]
    return args + (["--force"] if force else [])


def files(root: pathlib.Path):
    """Every file under root, relative, state and lock files aside."""
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and p.name not in STATE
    )


def compare(a: pathlib.Path, b: pathlib.Path, what: str, failures: list):
    fa, fb = files(a), files(b)
    if fa != fb:
        only_a = sorted(set(fa) - set(fb))[:10]
        only_b = sorted(set(fb) - set(fa))[:10]
        failures.append(f"{what}: files differ; only in the replay {only_a}, only in the fresh run {only_b}")
    for rel in sorted(set(fa) & set(fb)):
        if not filecmp.cmp(a / rel, b / rel, shallow=False):
            failures.append(f"{what}: {rel} differs")


def check_analysis(binary, work, runs, env, failures):
    """The run's analysis, and an incremental partitioned one, against full analyses of the
    run's tables."""
    tables = str(work / "replay" / "tables")
    steps = [
        ("full", ["--full"]),
        ("partitioned", ["--partitioned"]),
        ("partitioned-full", ["--partitioned", "--full"]),
    ]
    for name, extra in steps:
        out = work / "check" / name
        if name != "partitioned":
            shutil.rmtree(out, ignore_errors=True)
        p = subprocess.run([binary, "analyze", "--tables", tables, "--out", str(out), *extra],
                           env=env, capture_output=True, text=True)
        if p.returncode != 0:
            failures.append(f"check after run {runs}: analyze {' '.join(extra)} exited {p.returncode}: {p.stderr.strip()[-400:]}")
            return
    compare(work / "replay/analysis", work / "check/full", f"analysis after run {runs}", failures)
    compare(work / "check/partitioned", work / "check/partitioned-full", f"partitioned analysis after run {runs}", failures)


def temporaries(root: pathlib.Path):
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob(".*.tmp-*")
        if p.is_file()
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary")
    ap.add_argument("shared")
    ap.add_argument("work")
    ap.add_argument("--seed", type=int, default=20251011)
    ap.add_argument("--kill-share", type=float, default=0.06)
    ap.add_argument("--delete-share", type=float, default=0.03)
    ap.add_argument("--check-every", type=int, default=4)
    a = ap.parse_args()
    binary = str(pathlib.Path(a.binary).resolve())
    shared = pathlib.Path(a.shared).resolve()
    work = pathlib.Path(a.work).resolve()
    shutil.rmtree(work, ignore_errors=True)
    (work / "input").mkdir(parents=True)
    rng = random.Random(a.seed)
    env = dict(os.environ, SOURCE_DATE_EPOCH="1785736800")

    # Hugo's section pages sit in the folders from the start, as on the site.
    for index in sorted((shared / "real").glob("*/_index.md")):
        dest = work / "input" / index.parent.name / "_index.md"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(index, dest)

    failures = []
    started = time.monotonic()
    runs = kills = deleted = checks = 0
    check_time = 0.0
    statuses = {}
    last = 1.0  # seconds the last complete run took: the range a kill is drawn from
    steps = events(shared)
    for i, (day, copies) in enumerate(steps):
        for src, dst in copies:
            dest = work / "input" / dst
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)
        if rng.random() < a.delete_share:
            published = sorted(p for p in (work / "input").rglob("*.md") if p.name != "_index.md")
            if len(published) > 1:
                rng.choice(published[:-1]).unlink()
                deleted += 1
        if rng.random() < a.kill_share:
            delay = rng.uniform(0.0, last)
            p = subprocess.Popen(run_args(binary, work, "replay"), env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                p.wait(timeout=delay)
            except subprocess.TimeoutExpired:
                p.send_signal(signal.SIGKILL)
                p.wait()
                kills += 1
        t = time.monotonic()
        p = subprocess.run(run_args(binary, work, "replay"), env=env, capture_output=True, text=True)
        last = time.monotonic() - t
        runs += 1
        statuses[p.returncode] = statuses.get(p.returncode, 0) + 1
        if p.returncode not in (0, 2):
            failures.append(f"run {runs} ({day}, {[d for _, d in copies][:3]}) exited {p.returncode}: {p.stderr.strip()[-400:]}")
            break
        if runs % a.check_every == 0:
            t = time.monotonic()
            check_analysis(binary, work, runs, env, failures)
            check_time += time.monotonic() - t
            checks += 1
            if failures:
                break
        if i + 1 == len(steps) or steps[i + 1][0] != day:
            print(f"{day}: {runs} runs, {kills} killed, last {last:.2f} s, exit {p.returncode}", flush=True)

    replay_time = time.monotonic() - started - check_time
    t = time.monotonic()
    fresh = subprocess.run(run_args(binary, work, "fresh", force=True), env=env, capture_output=True, text=True)
    fresh_time = time.monotonic() - t
    if fresh.returncode not in (0, 2):
        failures.append(f"the fresh run exited {fresh.returncode}: {fresh.stderr.strip()[-400:]}")
    else:
        compare(work / "replay/tables", work / "fresh/tables", "tables", failures)
        compare(work / "replay/analysis", work / "fresh/analysis", "analysis", failures)
        weeks = sorted(p.name for p in (work / "fresh/reports").iterdir() if p.is_dir())
        if not weeks:
            failures.append("the fresh run wrote no report")
        else:
            week = weeks[-1]
            compare(work / "replay/reports" / week, work / "fresh/reports" / week, f"report {week}", failures)
    for name in ("replay", "fresh"):
        left = temporaries(work / name)
        if left:
            failures.append(f"{name}: temporary files left behind: {left[:10]}")

    for f in failures[:40]:
        print(f"FAIL {f}")
    status_text = ", ".join(f"{n} exited {s}" for s, n in sorted(statuses.items()))
    print(
        f"replay: {len(steps)} steps, {runs} runs ({status_text}), {kills} killed mid-run, "
        f"{deleted} digests deleted, {replay_time:.0f} s; {checks} checks of the incremental analysis "
        f"against a full one in both layouts, {check_time:.0f} s; a fresh run --force {fresh_time:.1f} s; "
        f"{len(failures)} failures"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
