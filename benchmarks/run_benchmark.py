"""End-to-end benchmark of ``newsetl run`` on the real news corpora and on the same replicated to 100,000 articles.

    .venv/bin/python -m benchmarks.run_benchmark                 # 24k real, then 100k replicated
    .venv/bin/python -m benchmarks.run_benchmark --sizes real    # only the real corpora
    .venv/bin/python -m benchmarks.run_benchmark --runner dask   # extraction on a local Dask cluster
    .venv/bin/python -m benchmarks.run_benchmark --sizes small   # the seed article and 2,000 real articles, 5 runs each

``small`` times what a scheduled incremental run pays every time: the seed article, and a 2,000-article
JSON Lines feed of BBC and Reuters articles, each ``--repeat`` times (default 5) on a fresh warehouse,
reporting the median wall time and the median of each stage.

Each run is the real CLI in a cold process on a fresh warehouse, followed by a re-run on
the same inputs (incremental: nothing is re-extracted). Reported per stage (from the
run's ``run_stages`` rows) and end to end: articles/s, tokens/s, wall and CPU seconds,
and peak RSS of the whole process tree (the CLI, Prefect's temporary API server, the
extraction workers), sampled every 50 ms. Results go to ``benchmarks/results/<time>.json``.

Needs ``../shared/data/news``; without it the benchmark says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import psutil

from benchmarks.corpus import REPO, CorpusMissing, real_articles, real_inputs, replicated, small_feed, token_count

RESULTS = REPO / "benchmarks" / "results"
NEWSETL = Path(sys.executable).with_name("newsetl")
REPLICATED_TARGET = 100_000


class TreeMemory:
    """Peak RSS of a process and all its descendants, and the CPU each has used, sampled in the background.

    The CPU is for processes nobody waits for: the CLI leaves Prefect's temporary API to finish
    its shutdown on its own, so its CPU never shows in ``RUSAGE_CHILDREN``.
    """

    def __init__(self, pid: int, every: float = 0.05) -> None:
        self.root, self.every, self.peak, self.peak_main = psutil.Process(pid), every, 0, 0
        self.cpu: dict[int, float] = {}
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._done.is_set():
            try:
                main = self.root.memory_info().rss
                children = self.root.children(recursive=True)
                total = main + sum(_rss(child) for child in children)
                for process in [self.root, *children]:
                    self.cpu[process.pid] = max(self.cpu.get(process.pid, 0.0), _cpu(process))
            except psutil.NoSuchProcess:
                break
            self.peak, self.peak_main = max(self.peak, total), max(self.peak_main, main)
            self._done.wait(self.every)

    @property
    def tree_cpu(self) -> float:
        """CPU seconds of every process of the tree, as last sampled (each misses at most its last ``every``)."""
        return sum(self.cpu.values())

    def stop(self) -> None:
        self._done.set()
        self._thread.join()


def _cpu(process: psutil.Process) -> float:
    try:
        times = process.cpu_times()
        return times.user + times.system
    except psutil.NoSuchProcess:
        return 0.0


def _rss(process: psutil.Process) -> int:
    try:
        return process.memory_info().rss
    except psutil.NoSuchProcess:
        return 0


def run_cli(inputs: list[Path], db: Path, reports: Path, runner: str, env: dict[str, str], batch_size: int) -> dict:
    command = [str(NEWSETL), "run", "--db", str(db), "--report-dir", str(reports), "--task-runner", runner,
               "--batch-size", str(batch_size)]
    for path in inputs:
        command += ["--input", str(path)]
    began = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    memory = TreeMemory(process.pid)
    output, _ = process.communicate()
    wall = time.perf_counter() - began
    memory.stop()
    if process.returncode not in (0, 1):  # 1: validation blocked the publish; every other stage still ran
        raise RuntimeError(f"newsetl run exited {process.returncode}:\n{output[-3000:]}")
    if process.returncode == 1:
        print(f"warning: validation blocked the publish:\n{output[-1500:]}", flush=True)
    # CPU of the CLI and of every child it waited for (extraction workers), or of the whole sampled
    # tree (with Prefect's temporary API, which the CLI does not wait for) when that is more
    return {"status": "published" if process.returncode == 0 else "blocked", "wall_seconds": wall,
            "cpu_seconds": max(_children_cpu(), memory.tree_cpu), "peak_rss_bytes": memory.peak,
            "peak_rss_main_bytes": memory.peak_main}


_cpu_seen = 0.0


def _children_cpu() -> float:
    """CPU seconds of waited-for children since the previous call."""
    global _cpu_seen
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = usage.ru_utime + usage.ru_stime
    spent, _cpu_seen = total - _cpu_seen, total
    return spent


def stages_of(db: Path) -> tuple[dict, dict]:
    with duckdb.connect(str(db), read_only=True) as con:
        run_id, counts = con.execute(
            "select run_id, {'status': status, 'read': articles_read, 'new': articles_new, 'changed': articles_changed, "
            "'unchanged': articles_unchanged, 'quarantined': quarantined, 'mentions': mentions, "
            "'places': places, 'figures': figures, 'run_seconds': epoch(finished_at - started_at)} "
            "from runs order by started_at desc limit 1"
        ).fetchone()
        rows = con.execute(
            "select stage, calls, articles, wall_seconds, cpu_seconds from run_stages where run_id = ?", [run_id]
        ).fetchall()
    return {stage: {"calls": calls, "articles": articles, "wall_seconds": wall, "cpu_seconds": cpu}
            for stage, calls, articles, wall, cpu in rows}, counts


def benchmark(name: str, inputs: list[Path], articles: int, tokens: int, runner: str, work: Path,
              batch_size: int) -> dict:
    db, reports = work / f"{name}.duckdb", work / f"{name}-reports"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    _children_cpu()
    print(f"[{name}] first run over {articles:,} articles …", flush=True)
    first = run_cli(inputs, db, reports, runner, env, batch_size)
    first["stages"], first["counts"] = stages_of(db)
    print(f"[{name}] re-run on unchanged inputs …", flush=True)
    rerun = run_cli(inputs, db, reports, runner, env, batch_size)
    rerun["stages"], rerun["counts"] = stages_of(db)
    for result in (first, rerun):
        result["articles_per_second"] = articles / result["wall_seconds"]
        result["tokens_per_second"] = tokens / result["wall_seconds"]
        for stage in result["stages"].values():
            stage["articles_per_second"] = stage["articles"] / stage["wall_seconds"] if stage["wall_seconds"] else None
    validate = first["stages"].get("validate", {}).get("wall_seconds", 0.0)
    return {
        "corpus": name, "articles": articles, "tokens": tokens, "runner": runner, "batch_size": batch_size,
        "first_run": first, "rerun": rerun,
        "validation_share_of_wall": validate / first["wall_seconds"],
        "rerun_ratio": rerun["wall_seconds"] / first["wall_seconds"],
    }


def small_runs(name: str, inputs: list[Path], repeat: int, runner: str, work: Path, batch_size: int) -> dict:
    """``repeat`` first runs of ``inputs``, each on a fresh warehouse: their wall times and median stages."""
    from statistics import median

    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    runs = []
    for attempt in range(repeat):
        db, reports = work / f"{name}-{attempt}.duckdb", work / f"{name}-{attempt}-reports"
        _children_cpu()
        result = run_cli(inputs, db, reports, runner, env, batch_size)
        result["stages"], result["counts"] = stages_of(db)
        runs.append(result)
        print(f"[{name}] run {attempt + 1}/{repeat}: {result['wall_seconds']:.2f} s wall, "
              f"{result['cpu_seconds']:.2f} s CPU", flush=True)
    stages = {stage: {key: median(run["stages"].get(stage, {}).get(key, 0.0) for run in runs)
                      for key in ("wall_seconds", "cpu_seconds")}
              for stage in dict.fromkeys(stage for run in runs for stage in run["stages"])}
    return {"corpus": name, "articles": runs[0]["counts"]["read"], "runner": runner, "repeat": repeat,
            "wall_seconds": [run["wall_seconds"] for run in runs],
            "median_wall_seconds": median(run["wall_seconds"] for run in runs),
            "median_cpu_seconds": median(run["cpu_seconds"] for run in runs),
            "median_run_row_seconds": median(run["counts"]["run_seconds"] for run in runs),
            "median_peak_rss_bytes": median(run["peak_rss_bytes"] for run in runs),
            "median_stages": stages}


def print_small(result: dict) -> None:
    print(f"\n{result['corpus']}: {result['articles']:,} articles, median of {result['repeat']} runs: "
          f"wall {result['median_wall_seconds']:.2f} s (runs: {', '.join(f'{w:.2f}' for w in result['wall_seconds'])}), "
          f"CPU {result['median_cpu_seconds']:.2f} s, run row {result['median_run_row_seconds']:.2f} s, "
          f"peak RSS {result['median_peak_rss_bytes'] / 2**30:.2f} GiB")
    print(f"{'stage':<18}{'busy wall s':>13}{'CPU s':>9}")
    for stage, t in result["median_stages"].items():
        print(f"{stage:<18}{t['wall_seconds']:>13.2f}{t['cpu_seconds']:>9.2f}")


def print_table(result: dict) -> None:
    first = result["first_run"]
    print(f"\n{result['corpus']}: {result['articles']:,} articles, {result['tokens']:,} tokens, runner {result['runner']}, "
          f"batch size {result['batch_size']}")
    print(f"{'stage':<18}{'calls':>7}{'articles':>10}{'busy wall s':>13}{'CPU s':>9}{'articles/s':>12}")
    for stage, t in first["stages"].items():
        rate = f"{t['articles_per_second']:,.0f}" if t["articles_per_second"] and t["articles"] else "-"
        print(f"{stage:<18}{t['calls']:>7}{t['articles']:>10,}{t['wall_seconds']:>13.2f}{t['cpu_seconds']:>9.2f}{rate:>12}")
    for label, run in (("end to end", first), ("re-run", result["rerun"])):
        print(f"{label:<18} {run['counts']['status']}: wall {run['wall_seconds']:.1f} s "
              f"(run row {run['counts']['run_seconds']:.1f} s; the rest is outside the run row: CLI start, Prefect API, workers), "
              f"CPU {run['cpu_seconds']:.1f} s, "
              f"{run['articles_per_second']:,.0f} articles/s, {run['tokens_per_second']:,.0f} tokens/s, "
              f"peak RSS {run['peak_rss_bytes'] / 2**30:.2f} GiB (CLI process {run['peak_rss_main_bytes'] / 2**30:.2f} GiB)")
    print(f"validation share of wall: {result['validation_share_of_wall']:.1%}; re-run / first run: {result['rerun_ratio']:.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="real,100k", help="comma-separated: small, real, 100k (default: real,100k)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each small input (median reported)")
    parser.add_argument("--runner", choices=["threads", "dask"], default="threads")
    parser.add_argument("--batch-size", type=int, default=1000,
                        help="newsetl run --batch-size (default 1000, as in the issue 6 measurements)")
    parser.add_argument("--work-dir", type=Path, help="where warehouses go (default: a temporary folder)")
    parser.add_argument("--corpus-dir", type=Path, default=RESULTS / "corpus",
                        help="where the replicated JSONL copies are written and reused")
    args = parser.parse_args()
    try:
        inputs = real_inputs()
    except CorpusMissing as missing:
        print(f"benchmark skipped: {missing}")
        return
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="newsetl-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results = []
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    if "small" in sizes:
        for name, small_inputs in (("seed", [REPO / "seeds"]), ("2k", [small_feed(args.corpus_dir)])):
            results.append(small_runs(name, small_inputs, args.repeat, args.runner, work, args.batch_size))
            print_small(results[-1])
    if "real" in sizes:
        articles = real_articles()
        results.append(benchmark("real", inputs, articles.height, token_count(articles["body"]), args.runner, work,
                                 args.batch_size))
        print_table(results[-1])
    if "100k" in sizes:
        scaled, manifest = replicated(REPLICATED_TARGET, args.corpus_dir)
        results.append(benchmark("100k", scaled, manifest["articles"], manifest["tokens"], args.runner, work, args.batch_size))
        print_table(results[-1])
    if {"real", "100k"} <= set(sizes):
        small, large = results[-2]["first_run"], results[-1]["first_run"]
        print(f"\npeak RSS 100k / real: {large['peak_rss_bytes'] / small['peak_rss_bytes']:.2f} tree, "
              f"{large['peak_rss_main_bytes'] / small['peak_rss_main_bytes']:.2f} CLI process")
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS / f"{stamp}-{args.runner}.json"
    machine = {"cpus": os.cpu_count(), "memory_bytes": psutil.virtual_memory().total,
               "load_average_at_end": os.getloadavg()}
    out.write_text(json.dumps({"machine": machine, "results": results}, indent=2))
    print(f"\nwrote {out}")
    if args.work_dir is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
