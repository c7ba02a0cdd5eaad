"""Run the speed benchmarks and print, per case, our time, the reference library's time
(PyTorch's CPU build unless the case says otherwise) and the ratio ours / reference.

    python benchmarks/run.py                 # every case
    python benchmarks/run.py conv mlp        # cases whose name contains one of the words
    python benchmarks/run.py --markdown      # the table as Markdown, for the README
    python benchmarks/run.py --rounds 7 --rest 2 --threads 1
    python benchmarks/run.py --quick         # each case once, to check that it runs

Each library is timed alone, as a user runs it. On a machine with few cores, PyTorch's
OpenMP threads and OpenBLAS's threads keep spinning for a while after their last
operation and steal the CPU from whatever runs next; timed alternately, repetition by
repetition, the two libraries measure each other's threads. So a case runs in rounds: in
each round one block of repetitions of ours, then one of the reference's (the order
alternates between rounds), with a rest before each block that lets the other block's
threads fall asleep (and collects its garbage). A round's ratio is the median time of our
block over the median time of the reference's; the table shows the median ratio over the
rounds and its spread (smallest and largest). Both libraries run at the same thread count
(``--threads``, the number of cores by default): NumPy's BLAS through the environment
variables it reads when it loads, PyTorch through ``torch.set_num_threads``.

Each ``benchmarks/bench_*.py`` module lists ``CASES``: ``Case`` objects (``common.py``)
whose ``ours`` and ``reference`` functions each return a zero-argument callable that runs
one repetition.
"""
import argparse
import dataclasses
import datetime
import gc
import importlib
import os
import pathlib
import platform
import statistics
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def block(run, repeats, unit):
    """The median over ``repeats`` runs of the time taken, or, for a case measured in
    MiB, of the value each run returns (its peak memory)."""
    if unit == "MiB":
        return statistics.median(run() for _ in range(repeats))
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(case, rounds, rest, with_reference, quick=False):
    """Per round, (our block's median, the reference's block median or None); with
    ``quick``, one round of one repetition without warm-up or rest."""
    if quick:
        case = dataclasses.replace(case, rounds=1, repeats=1, warmup=0)
        rest = 0
    sides = {"ours": case.ours()}
    if with_reference:
        sides["reference"] = case.reference()
    for run in sides.values():
        for _ in range(case.warmup):
            run()
    results = {side: [] for side in sides}
    for round_ in range(case.rounds or rounds):
        order = list(sides) if round_ % 2 == 0 else list(reversed(sides))
        for side in order:
            gc.collect()
            if case.unit != "MiB":
                time.sleep(rest)
            results[side].append(block(sides[side], case.repeats, case.unit))
    ours = [t / case.per[0] for t in results["ours"]]
    theirs = [t / case.per[1] for t in results.get("reference", [])] or [None] * len(ours)
    return list(zip(ours, theirs))


def discover():
    cases = []
    for path in sorted(pathlib.Path(__file__).resolve().parent.glob("bench_*.py")):
        module = importlib.import_module(path.stem)
        cases.extend(module.CASES)
    return cases


def machine():
    import numpy as np

    cpu = platform.processor() or platform.machine()
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, NumPy {np.__version__}"


def available(module):
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("words", nargs="*", help="run only cases whose name contains one of these")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per case (default 5)")
    parser.add_argument("--rest", type=float, default=1.0, help="seconds of rest before each block (default 1)")
    parser.add_argument("--quick", action="store_true", help="each case once: a check that it runs, not a measurement")
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="threads for both libraries (default: cores)")
    args = parser.parse_args()
    # Before NumPy loads: its BLAS reads these once.
    for variable in THREAD_VARIABLES:
        os.environ[variable] = str(args.threads)
    torch = available("torch")
    if torch:
        torch.set_num_threads(args.threads)
    cases = [c for c in discover() if not args.words or any(w in c.name for w in args.words)]
    print(
        f"{datetime.date.today()}; {machine()}; PyTorch {torch.__version__ if torch else 'not installed'}; "
        f"{args.threads} threads each; {args.rounds} rounds of blocks, {args.rest:g} s rest before each block",
        flush=True,
    )
    rows = []
    for case in cases:
        with_reference = case.reference is not None and (case.against != "PyTorch" or torch is not None)
        if case.against == "micrograd" and not available("micrograd"):
            with_reference = False
        rows.append((case, measure(case, args.rounds, args.rest, with_reference, args.quick)))
        if not args.markdown:
            print(_line(*rows[-1]), flush=True)
    if args.markdown:
        print("| case | ours | reference | ratio: median (min-max) | target |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for case, results in rows:
            ours, theirs, ratio = _summary(case, results)
            print(f"| {case.name} | {ours} | {theirs} | {ratio} | {'-' if case.target is None else f'<= {case.target}'} |")


def _summary(case, results):
    """(our time, the reference's time with its name, ratio with spread) as text."""
    ours = statistics.median(o for o, _ in results)
    if results[0][1] is None:
        return _fmt(ours, case.unit), "-", "-"
    theirs = statistics.median(t for _, t in results)
    ratios = [o / t for o, t in results]
    ratio = f"{statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f})"
    return _fmt(ours, case.unit), f"{_fmt(theirs, case.unit)} ({case.against})", ratio


def _fmt(value, unit):
    if unit == "MiB":
        return f"{value:.1f} MiB"
    if unit == "us/op":
        return f"{value * 1e6:.2f} us/op"
    return f"{value * 1e3:.3f} ms"


def _line(case, results):
    ours, theirs, ratio = _summary(case, results)
    target = "" if case.target is None else f" (target <= {case.target})"
    return f"{case.name}\n    ours {ours:>12}   reference {theirs:>24}   ratio {ratio}{target}"


if __name__ == "__main__":
    main()
