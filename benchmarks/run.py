"""Run the speed benchmarks and print, per case, our median time, PyTorch CPU's median
time measured in the same process on the same inputs, and the ratio (ours / PyTorch).

    python benchmarks/run.py            # every case
    python benchmarks/run.py conv mlp   # cases whose name contains one of the words
    python benchmarks/run.py --markdown # the table as Markdown, for the README

Each ``benchmarks/bench_*.py`` module lists ``CASES``: ``Case`` objects whose ``ours``
and ``torch`` functions each return a zero-argument callable that runs one repetition.
"""
import argparse
import importlib
import pathlib
import platform
import statistics
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from common import Case  # noqa: E402


def median_time(run, repeats, warmup, unit="s"):
    """The median over ``repeats`` runs of the time taken, or, for a case measured in
    MiB, of the value each run returns (its peak memory)."""
    for _ in range(warmup):
        run()
    if unit == "MiB":
        return statistics.median(run() for _ in range(repeats))
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


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
    import os

    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, NumPy {np.__version__}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("words", nargs="*", help="run only cases whose name contains one of these")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()
    try:
        import torch

        torch_version = torch.__version__
    except ImportError:
        torch = None
        torch_version = "not installed"
    cases = [c for c in discover() if not args.words or any(w in c.name for w in args.words)]
    print(f"Machine: {machine()}; PyTorch {torch_version} (CPU, {torch.get_num_threads() if torch else '-'} threads)")
    rows = []
    for case in cases:
        ours = median_time(case.ours(), case.repeats, case.warmup, case.unit)
        theirs = median_time(case.torch(), case.repeats, case.warmup, case.unit) if torch and case.torch else None
        ratio = ours / theirs if theirs else None
        rows.append((case.name, ours, theirs, ratio, case.target, case.unit))
        if not args.markdown:
            print(_line(rows[-1]), flush=True)
    if args.markdown:
        print("| case | ours | PyTorch CPU | ratio | target |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for name, ours, theirs, ratio, target, unit in rows:
            print(
                f"| {name} | {_fmt(ours, unit)} | {_fmt(theirs, unit)} | "
                f"{'-' if ratio is None else f'{ratio:.2f}x'} | {'-' if target is None else f'<= {target}x'} |"
            )


def _fmt(seconds, unit):
    if seconds is None:
        return "-"
    if unit == "MiB":
        return f"{seconds:.1f} MiB"
    return f"{seconds * 1e3:.3f} ms"


def _line(row):
    name, ours, theirs, ratio, target, unit = row
    r = "-" if ratio is None else f"{ratio:.2f}x"
    t = "" if target is None else f" (target <= {target}x)"
    return f"{name:<48} ours {_fmt(ours, unit):>12}   torch {_fmt(theirs, unit):>12}   ratio {r}{t}"


if __name__ == "__main__":
    main()
