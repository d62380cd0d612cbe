"""The build's speed and memory benchmark (`make bench`).

For each size N it generates a synthetic site (bench/corpus.py) into bench/out/, then measures, each as the
median of --runs runs in a subprocess, the wall time and peak memory of: the two floors (bench/floor.py: the
site's, and the peers' one that other generators were measured against), a cold build, a no-change rebuild,
rebuilds after one article's body edit, its title edit, one partner's location edit and a template edit,
and the extra cost of search indexing; each as a ratio to both floors; and the peer generators' builds of the same corpus
(bench/peers.py: Hugo, Eleventy, MkDocs; --peers-gens, --no-peers), interleaved with the floors and cold builds. It then
checks that cold, incremental and --jobs 1 builds give the same bytes, prints a table and writes bench/out/results.json.
See docs/benchmark.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from corpus import make_site

sys.modules.setdefault("bench", sys.modules[__name__])  # photos.py and peers.py import this module: one copy of it, one trash

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z: the builds' "now", so that their outputs can be compared
IGNORED = ("pagefind",)  # Pagefind's bundle is byte-reproducible only from the cache (.cache/pagefind), which the cold builds remove
MB = 1024 * 1024
TRASH = OUT / "trash"
SETTLE = 65.0  # seconds after a deletion (written back) before a measured run (see Trash)

# -- measuring one subprocess ----------------------------------------------------------------------


def _children_map() -> dict[int, list[int]]:
    """Parent pid to child pids, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def _memory_proc(pid: int) -> tuple[int, int]:
    """(RSS, PSS) bytes of one process from /proc; PSS shares pages between the processes mapping them."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            rss = int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0, 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            pss = next(int(line.split()[1]) * 1024 for line in handle if line.startswith(b"Pss:"))
    except (OSError, ValueError, IndexError, StopIteration):
        pss = rss
    return rss, pss


def _tree_pids(pid: int) -> list[int]:
    """A process and all its descendants (psutil when installed, else /proc)."""
    try:
        import psutil
    except ImportError:
        children, todo, found = _children_map(), [pid], []
        while todo:
            found.append(todo.pop())
            todo += children.get(found[-1], [])
        return found
    try:
        return [pid, *(p.pid for p in psutil.Process(pid).children(recursive=True))]
    except psutil.Error:
        return []


def tree_memory(pid: int) -> tuple[int, int]:
    """(summed RSS, summed PSS) bytes of a process and all its descendants at this moment."""
    rss = pss = 0
    for member in _tree_pids(pid):
        one_rss, one_pss = _memory_proc(member)
        rss, pss = rss + one_rss, pss + one_pss
    return rss, pss


class TreeSampler(threading.Thread):
    """Samples the summed RSS and PSS of a process tree until stopped; keeps the peaks."""

    def __init__(self, pid: int, interval: float = 0.1):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak_rss, self.peak_pss = pid, interval, 0, 0
        self.done = threading.Event()

    def run(self) -> None:
        """Sample until stopped."""
        while not self.done.is_set():
            rss, pss = tree_memory(self.pid)
            self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
            self.done.wait(self.interval)


def measure(command: list[str], log: Path, cwd: Path, env: dict | None = None) -> dict:
    """Run a command; its wall and CPU time, the largest single process's max RSS and the sampled tree RSS peak."""
    log.parent.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()[0]
    with open(log, "wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=cwd, env=env)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        sampler.done.set()
        sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(command)}\n{tail}")
    max_rss = usage.ru_maxrss * 1024  # kilobytes on Linux: the largest of the child and its reaped descendants
    return {
        "seconds": seconds,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,  # the child and its reaped descendants (pool workers)
        "load_before": load,
        "max_rss_mb": max_rss / MB,
        "tree_rss_mb": sampler.peak_rss / MB,
        "tree_pss_mb": sampler.peak_pss / MB,
        "peak_mb": max(max_rss, sampler.peak_pss) / MB,
    }


# -- folders put aside -----------------------------------------------------------------------------


class Trash:
    """Folders moved aside instead of deleted while runs are measured; deleted when the benchmark ends.

    On ext4 without a journal (these machines' file system), the kernel prefers not to reuse an
    inode freed in the last 60 seconds (6 minutes while its inode table is not yet written back):
    each new file or folder first scans past every such inode of its group. A build started right
    after deleting the previous build's 24,000 files and folders spent 6-12 s more in the kernel
    for it (a cold build at 10,000 articles: 8.6-14.5 s of system time against 2.4 s with no
    deletion before it; more for the build, which makes a folder per page, than for the floor):
    a cost of the benchmark's own cleaning, not of the build. So nothing is deleted between
    measured runs; what an earlier, interrupted benchmark left is deleted before the first run,
    written back, and given SETTLE seconds.
    """

    def __init__(self, folder: Path = TRASH):
        self.folder = folder
        self.count = 0

    def discard(self, path: Path) -> None:
        """Move a file or folder (if there) into the trash."""
        if path.exists() or path.is_symlink():
            self.folder.mkdir(parents=True, exist_ok=True)
            self.count += 1
            os.rename(path, self.folder / f"{self.count}-{path.name}")

    def empty(self) -> bool:
        """Delete what the trash holds; True when it held something."""
        if not self.folder.exists():
            return False
        shutil.rmtree(self.folder)
        return True

    def empty_and_settle(self) -> None:
        """Delete what the trash holds, then wait until the file system reuses the freed inodes as any others."""
        if self.empty():
            os.sync()
            print(f"  waiting {SETTLE:.0f} s for the file system to treat the inodes just freed as any free ones", file=sys.stderr, flush=True)
            time.sleep(SETTLE)


TRASH_CAN = Trash()


# -- the builds ------------------------------------------------------------------------------------


@dataclass
class Runner:
    """Runs the engine's build.py and the floor, each measured, with one number of jobs and a log folder."""

    engine: Path
    jobs: int
    logs: Path

    def env(self) -> dict:
        """Every run's environment: the engine's sitegen first, and what makes outputs comparable between builds.

        SOURCE_DATE_EPOCH fixes the build's "now"; GIT_CEILING_DIRECTORIES stops git at bench/out, so build.json
        does not record the repository's HEAD (the synthetic site is not the repository's content, and a commit
        made during a run would otherwise make two builds of the same site differ).
        """
        path = os.pathsep.join(p for p in (str(self.engine), os.environ.get("PYTHONPATH", "")) if p)
        return {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": path, "GIT_CEILING_DIRECTORIES": str(OUT)}

    def build(self, site: Path, out: Path, name: str, search: bool = False, jobs: int | None = None) -> dict:
        """One measured `build.py` run."""
        command = [sys.executable, str(self.engine / "build.py"), "--config", str(site / "config.yaml"), "--output", str(out)]
        command += ["--jobs", str(jobs or self.jobs)] + ([] if search else ["--no-search"])
        return measure(command, self.logs / f"{name}.log", self.engine, self.env())

    def floor(self, site: Path, out: Path, name: str, peers: bool = False) -> dict:
        """One measured floor run (the site's, or the peers' with `peers`), into an emptied folder."""
        TRASH_CAN.discard(out)
        command = [sys.executable, str(BENCH / "floor.py"), "--site", str(site), "--output", str(out), "--jobs", str(self.jobs)]
        return measure(command + (["--peers"] if peers else []), self.logs / f"{name}.log", self.engine, self.env())

    def cold(self, site: Path, out: Path, name: str, search: bool = False, jobs: int | None = None) -> dict:
        """A build with an empty cache and an empty output folder."""
        TRASH_CAN.discard(site / ".cache")
        TRASH_CAN.discard(out)
        return self.build(site, out, name, search, jobs)

    def rebuild(self, site: Path, out: Path, name: str) -> dict:
        """A build over a previous one; also counts output files whose mtime changed (or that came or went)."""
        before = mtimes(out)
        result = self.build(site, out, name)
        after = mtimes(out)
        result["files_touched"] = sum(before.get(p) != after.get(p) for p in set(before) | set(after))
        return result


def mtimes(folder: Path) -> dict[str, int]:
    """Relative path to mtime (ns) of every file in a folder."""
    found = {}
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(root, name)
            found[path.relative_to(folder).as_posix()] = path.stat().st_mtime_ns
    return found


def edit_article(site: Path, target: str, k: int) -> None:
    """Append a paragraph to one article's body."""
    with open(site / target, "a", encoding="utf-8") as handle:
        handle.write(f"\nBenchmark edit {k}: this paragraph was added to measure the rebuild after one article changes.\n")


def edit_title(site: Path, target: str, k: int) -> None:
    """Change one article's title (what its listings, tag pages and feeds show)."""
    path = site / target
    text = path.read_text(encoding="utf-8")
    head, rest = text.split("\ntitle:", 1)
    _title_line, tail = rest.split("\n", 1)
    path.write_text(f"{head}\ntitle: \"Benchmark title {k}\"\n{tail}", encoding="utf-8")


def edit_partner(site: Path, k: int) -> None:
    """Change one partner's location (only its own pages show it) in partners.yaml."""
    path = site / "content" / "data" / "partners.yaml"
    text = path.read_text(encoding="utf-8")
    at = text.index("\n  location:")
    end = text.index("\n", at + 1)
    path.write_text(f"{text[:at]}\n  location: Benchmark place {k}{text[end:]}", encoding="utf-8")


def edit_template(site: Path, k: int) -> None:
    """Add an HTML comment inside the first block of templates/article.html, so that every article page changes."""
    path = site / "templates" / "article.html"
    text = path.read_text(encoding="utf-8")
    match = re.search(r"{%-?\s*block\s+\w+\s*-?%}\n?", text)
    at = match.end() if match else len(text)
    path.write_text(f"{text[:at]}<!-- benchmark template edit {k} -->\n{text[at:]}", encoding="utf-8")


def measure_serve_edit(site: Path, engine: Path) -> dict | None:
    """Time from saving an article to the reloaded page in Chromium inside the engine's `build.py serve` (median of 3)."""
    try:
        from serve_latency import measure
    except ImportError:
        return None
    try:
        times = measure(site, 3, engine)
    except Exception as exc:
        print(f"  serve measurement skipped: {exc}", file=sys.stderr)
        return None
    return {"seconds": statistics.median(times), "runs": [{"seconds": t} for t in times]}


# -- comparing output folders ----------------------------------------------------------------------


def tree_files(folder: Path) -> dict[str, bytes]:
    """Relative path to bytes of every file, without the ignored top-level folders."""
    found = {}
    for root, dirs, files in os.walk(folder):
        if Path(root) == folder:
            dirs[:] = [d for d in dirs if d not in IGNORED]
        for name in files:
            path = Path(root, name)
            found[path.relative_to(folder).as_posix()] = path.read_bytes()
    return found


def compare(reference: Path, other: Path) -> list[str]:
    """Paths that differ between two output folders (missing on one side or different bytes)."""
    a, b = tree_files(reference), tree_files(other)
    return sorted(p for p in set(a) | set(b) if a.get(p) != b.get(p))


# -- one size --------------------------------------------------------------------------------------


KEYS = ("seconds", "cpu_seconds", "max_rss_mb", "tree_rss_mb", "tree_pss_mb", "peak_mb")


def repeat(runs: int, steps: dict[str, Callable[[int], dict]]) -> dict[str, dict]:
    """Run each step `runs` times, interleaved round by round (so a busy machine weighs on all alike); medians."""
    samples: dict[str, list[dict]] = {label: [] for label in steps}
    for k in range(runs):
        for label, step in steps.items():
            s = step(k)
            samples[label].append(s)
            text = f"{s['seconds']:.2f} s (CPU {s['cpu_seconds']:.1f} s, load {s['load_before']:.1f}), {s['peak_mb']:.0f} MB" if "seconds" in s else ""
            text = f"{text} error: {s['error']}" if "error" in s else text
            print(f"    {label} run {k + 1}/{runs}: {text}", file=sys.stderr, flush=True)
    return {label: summarise(runs_of) for label, runs_of in samples.items()}


def summarise(samples: list[dict]) -> dict:
    """The medians of a measurement's runs, and the runs; a peer's error (bench/peers.py) instead when a run has one."""
    errors = [s["error"] for s in samples if "error" in s]
    if errors:
        return {"error": errors[0], "runs": samples}
    summary = {key: statistics.median(s[key] for s in samples) for key in KEYS}
    if "files_touched" in samples[0]:
        summary["files_touched"] = max(s["files_touched"] for s in samples)  # the worst run
    return {**summary, "runs": samples}


def bench_size(n: int, args: argparse.Namespace) -> dict:
    """Generate the site of size n and take every measurement on it."""
    base = OUT / f"n{n}"
    site, public = base / "site", base / "public"
    run = Runner(args.engine, args.jobs, base / "logs")
    started = time.perf_counter()
    print(f"N={n}: generating the site", file=sys.stderr, flush=True)
    corpus = make_site(site, n, args.seed, repo=args.engine)
    print(f"  {corpus['files']} article files, {corpus['bytes'] / 1e6:.1f} MB, in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    runs = args.runs
    cold_steps = {
        "floor": lambda k: run.floor(site, base / "floor", f"floor-{k}"),
        "peers floor": lambda k: run.floor(site, base / "floor-peers", f"floor-peers-{k}", peers=True),
        "cold + search": lambda k: run.cold(site, base / "public-search", f"search-{k}", search=True),
        "cold": lambda k: run.cold(site, public, f"cold-{k}"),
    }
    if args.peers_gens:
        import peers  # it builds on this module's runner

        peer_runner = peers.PeerRunner(run, base)
        cold_steps |= {f"peer {name}": (lambda k, name=name: peer_runner.run(name, site, f"peer-{name}-{k}")) for name in args.peers_gens}
    m = repeat(runs, cold_steps)
    m |= repeat(runs, {"no-change": lambda k: run.rebuild(site, public, f"no-change-{k}")})

    def one_edit(k: int) -> dict:
        edit_article(site, corpus["edit_target"], k)
        return run.rebuild(site, public, f"edit-{k}")

    def template_edit(k: int) -> dict:
        edit_template(site, k)
        return run.rebuild(site, public, f"template-{k}")

    def title_edit(k: int) -> dict:
        edit_title(site, corpus["edit_target"], k)
        return run.rebuild(site, public, f"title-{k}")

    def partner_edit(k: int) -> dict:
        edit_partner(site, k)
        return run.rebuild(site, public, f"partner-{k}")

    def search_edit(k: int) -> dict:
        if k == 0:  # the cold runs put .cache aside: the graph and the kept shards of public-search are made again first
            run.build(site, base / "public-search", "search-warm-up", search=True)
        edit_article(site, corpus["edit_target"], runs + k)
        return run.build(site, base / "public-search", f"search-edit-{k}", search=True)

    m |= repeat(runs, {"one edit": one_edit})
    m |= repeat(runs, {"one edit + search": search_edit})
    m["search shards"] = shard_stats(base / "public-search" / "pagefind")
    m |= repeat(runs, {"title edit": title_edit})
    m |= repeat(runs, {"data entry edit": partner_edit})
    m |= repeat(runs, {"template edit": template_edit})
    m["one edit (serve)"] = measure_serve_edit(site, run.engine)
    identical = check_identical(run, site, base, public)
    result = {"n": n, "corpus": corpus, "measurements": m, "identical": identical, "total_seconds": time.perf_counter() - started}
    if not args.keep:
        TRASH_CAN.discard(base)
    return result


def shard_stats(bundle: Path) -> dict:
    """The search index's shards (the root one and those shards.json lists) and its bytes."""
    try:
        listed = json.loads((bundle / "shards.json").read_text())["shards"]
    except (OSError, ValueError, KeyError):
        return {"shards": 0, "bytes": 0}
    names = {name for names in listed.values() for name in names}
    return {"shards": len(names) + 1, "bytes": sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())}


def check_identical(run: Runner, site: Path, base: Path, incremental: Path) -> dict:
    """Build the final state cold and with --jobs 1; compare both with the incremental output."""
    print("  comparing cold, incremental and --jobs 1 outputs", file=sys.stderr, flush=True)
    run.cold(site, base / "public-cold", "identical-cold")
    run.cold(site, base / "public-jobs1", "identical-jobs1", jobs=1)
    vs_incremental = compare(base / "public-cold", incremental)
    vs_jobs1 = compare(base / "public-cold", base / "public-jobs1")
    return {
        "cold_vs_incremental": vs_incremental[:50],
        "cold_vs_jobs1": vs_jobs1[:50],
        "differing": {"cold_vs_incremental": len(vs_incremental), "cold_vs_jobs1": len(vs_jobs1)},
        "identical": not vs_incremental and not vs_jobs1,
        "ignored": list(IGNORED),
    }


# -- the table -------------------------------------------------------------------------------------

ROWS = ["floor", "peers floor", "cold", "no-change", "one edit", "one edit (serve)", "title edit", "data entry edit", "template edit",
        "cold + search", "search indexing", "one edit + search"]


def cell(result: dict, row: str) -> str:
    """One table cell: '12.3 s (1.05× floor, 0.98× peers) / 210 MB'."""
    m = result["measurements"]
    floor_s, peers_s = m["floor"]["seconds"], m["peers floor"]["seconds"]
    if row == "one edit (serve)":
        serve = m[row]
        return "not measured (no browser)" if serve is None else f"{serve['seconds']:.2f} s to the reloaded page"
    if row == "search indexing":
        extra = m["cold + search"]["seconds"] - m["cold"]["seconds"]
        shards = m.get("search shards") or {"shards": 0, "bytes": 0}
        return (f"{extra:+.1f} s ({extra / floor_s:+.2f}× floor, {extra / peers_s:+.2f}× peers) / {m['cold + search']['peak_mb']:.0f} MB; "
                f"{shards['shards']} shards, {shards['bytes'] / MB:.1f} MB")
    s = m[row]
    text = f"{_seconds(s['seconds'])} ({s['seconds'] / floor_s:.2f}× floor, {s['seconds'] / peers_s:.2f}× peers) / {s['peak_mb']:.0f} MB"
    if "files_touched" in s:
        text += f"; {s['files_touched']} file{'' if s['files_touched'] == 1 else 's'} written"
    return text


def _seconds(value: float) -> str:
    """Seconds with sensible precision."""
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def identity_cell(result: dict) -> str:
    """Whether the three builds gave the same bytes."""
    same = result["identical"]
    if same["identical"]:
        return "yes"
    d = same["differing"]
    return f"NO: {d['cold_vs_incremental']} files differ cold/incremental, {d['cold_vs_jobs1']} cold/--jobs 1"


def table(results: list[dict]) -> str:
    """The Markdown table: rows are measurements, columns are sizes."""
    head = ["measurement", *[f"N = {r['n']:,}" for r in results]]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for row in ROWS:
        lines.append("| " + " | ".join([row, *[cell(r, row) for r in results]]) + " |")
    lines.append("| " + " | ".join(["same bytes: cold, incremental, --jobs 1", *[identity_cell(r) for r in results]]) + " |")
    return "\n".join(lines)


def cpu_table(results: list[dict]) -> str:
    """CPU seconds (user + system, the build and its workers): less sensitive than wall time to a busy machine."""
    head = ["CPU seconds", *[f"N = {r['n']:,}" for r in results]]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for row in ("floor", "peers floor", "cold", "no-change", "one edit", "title edit", "data entry edit", "template edit", "cold + search",
                "one edit + search"):
        cells = [_cpu_cell(r["measurements"], row) for r in results]
        lines.append("| " + " | ".join([row, *cells]) + " |")
    return "\n".join(lines)


def peers_table(results: list[dict]) -> str:
    """This run's cold builds and the peers' (bench/peers.py), each as a ratio to the peers' floor; the figures issue 24 quotes beside them."""
    import peers

    head = ["cold build / peers' floor", *[f"N = {r['n']:,}" for r in results], "quoted from issue 24, measured elsewhere"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for label, row in (("this generator", "cold"), ("this generator, with search", "cold + search")):
        cells = [peers.cell(r["measurements"][row], r["measurements"]["peers floor"]) for r in results]
        lines.append("| " + " | ".join([label, *cells, ""]) + " |")
    for name, label in peers.NAMES.items():
        cells = [peers.cell(r["measurements"].get(f"peer {name}"), r["measurements"]["peers floor"]) for r in results]
        ratio = peers.QUOTED.get(name)
        lines.append("| " + " | ".join([label, *cells, f"{ratio:.2f}×" if ratio else "none"]) + " |")
    return "\n".join(lines)


def _cpu_cell(m: dict, row: str) -> str:
    """CPU seconds of one measurement and their ratio to the floor's."""
    cpu = m[row]["cpu_seconds"]
    return f"{cpu:.1f} s ({cpu / m['floor']['cpu_seconds']:.2f}× floor)"


def machine() -> dict:
    """The machine the figures come from."""
    model = ""
    try:
        model = next(
            line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")
        )
    except (OSError, StopIteration):
        model = platform.processor()
    return {"nproc": os.cpu_count(), "cpu": model, "python": platform.python_version(), "system": platform.platform()}


def parse_sizes(text: str) -> list[int]:
    """'1000,10000' gives [1000, 10000]."""
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def main(argv: list[str] | None = None) -> int:
    """Command line: bench.py --sizes 1000,10000 --runs 3 --jobs N --keep."""
    parser = argparse.ArgumentParser(description="Benchmark the build against the floor.")
    parser.add_argument("--sizes", type=parse_sizes, default=[1000, 10000], help="article counts, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (the median is reported)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes for the build and the floor")
    parser.add_argument("--seed", type=int, default=1, help="the corpus's random seed")
    parser.add_argument("--keep", action="store_true", help="keep the generated sites and outputs in bench/out/")
    parser.add_argument("--engine", type=lambda p: Path(p).resolve(), default=REPO, help="the checkout to benchmark (default: this one)")
    parser.add_argument("--photos", type=int, default=0, help="also the photos row: this many bundles with a 4000×3000 photo (0: skip)")
    parser.add_argument("--peers-gens", type=_peer_names, default="hugo,eleventy,mkdocs,zola",
                        help="the peer generators to measure beside the cold builds, comma-separated (default: all; bench/peers.py)")
    parser.add_argument("--no-peers", dest="peers_gens", action="store_const", const=[], help="measure no peer generator")
    args = parser.parse_args(argv)
    info = {
        "machine": machine(),
        "runs": args.runs,
        "jobs": args.jobs,
        "seed": args.seed,
        "engine": str(args.engine),
        "source_date_epoch": EPOCH,
        "memory_sampler": _sampler_name(),
        "peers": args.peers_gens,
    }
    compile_engine(args.engine)
    for n in args.sizes:
        TRASH_CAN.discard(OUT / f"n{n}")  # left by a run with --keep or an interrupted one
    TRASH_CAN.empty_and_settle()
    results = []
    try:
        for n in args.sizes:
            results.append(bench_size(n, args))
            _write(info, results)
        photos_table = photo_row(args) if args.photos else ""
    finally:
        TRASH_CAN.empty()
    print(f"\n{info['machine']['nproc']} CPUs ({info['machine']['cpu']}), --jobs {args.jobs}, medians of {args.runs} runs\n")
    print(table(results))
    print()
    print(cpu_table(results))
    print()
    print(peers_table(results))
    if photos_table:
        print(f"\n{photos_table}")
    print(f"\nresults: {OUT / 'results.json'}")
    return 0 if all(r["identical"]["identical"] for r in results) else 1


def photo_row(args: argparse.Namespace) -> str:
    """The photos row (bench/photos.py), measured on its own site; its figures written beside the others in photos.json."""
    import photos  # it builds on this module's runner

    base = OUT / f"photos{args.photos}"
    TRASH_CAN.discard(base)
    result = photos.bench_photos(args.photos, 4000, 3000, Runner(args.engine, args.jobs, base / "logs"), base)
    TRASH_CAN.discard(base)
    (OUT / "photos.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return photos.row(result)


def _peer_names(text: str) -> list[str]:
    """--peers-gens: bench/peers.py's names."""
    import peers

    return peers.parse_names(text)


def compile_engine(engine: Path) -> None:
    """Write the engine's bytecode first, as `make build` does: where PYTHONDONTWRITEBYTECODE is set, every run would compile it."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(engine / "sitegen")], check=True, stdout=subprocess.DEVNULL)


def _sampler_name() -> str:
    """How memory is measured."""
    try:
        import psutil  # noqa: F401
    except ImportError:
        finder = "/proc"
    else:
        finder = "psutil"
    return (
        f"peak = max(largest single process's ru_maxrss from wait4, sampled peak of the summed PSS of the build and its "
        f"descendants found with {finder}, every 0.1 s); the summed RSS (which counts pages shared after fork once per process) is kept too"
    )


def _write(info: dict, results: list[dict]) -> None:
    """Write results.json (after each size, so a long run leaves what it measured)."""
    OUT.mkdir(parents=True, exist_ok=True)
    data = {**info, "sizes": results, "table": table(results), "cpu_table": cpu_table(results), "peers_table": peers_table(results)}
    (OUT / "results.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
