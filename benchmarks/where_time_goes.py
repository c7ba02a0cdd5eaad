"""Where our time goes in a benchmark case: the share spent in BLAS matrix products, in
NumPy's other loops (elementwise arithmetic, copies, reductions), in Python's garbage
collector, and in Python itself (the interpreter running this library's code), with the
source lines that cost the most outside BLAS.

    python benchmarks/where_time_goes.py lstm            # cases whose name contains "lstm"
    python benchmarks/where_time_goes.py conv --seconds 30 --threads 1

A case's ``ours`` runs alone, repeated for ``--seconds``, under the sampling profiler
py-spy (``pip install -e ".[bench]"``), which reads the native stack too: a sample whose
stack passes through the BLAS library counts as BLAS, whatever Python line called it.
Only the samples taken inside the repetitions count (not the imports or the set-up).
Reading the native stack pauses the process, so the times per repetition printed here are
longer than ``run.py``'s; the shares are what to read.
This is the measurement behind "profile before you optimise": a case that spends most of
its time in BLAS is as fast as its products; one that spends it in Python or in NumPy's
small loops is not.
"""
import argparse
import collections
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
#: The function whose frames mark the samples that count (see ``_child``).
MARKER = "_profiled_repetitions"

CHILD = f"""
import sys, time
sys.path[:0] = [{str(HERE)!r}, {str(HERE.parent)!r}]
from run import discover
case = [c for c in discover() if c.name == sys.argv[1]][0]
run = case.ours()
for _ in range(max(case.warmup, 1)):
    run()

def {MARKER}(seconds):
    count, end = 0, time.perf_counter() + seconds
    while time.perf_counter() < end:
        run()
        count += 1
    return count

start = time.perf_counter()
count = {MARKER}(float(sys.argv[2]))
print("repetitions", count, (time.perf_counter() - start) / count)
"""


def classify(frames):
    """The kind of time a sampled stack (outermost frame first) is spending."""
    if any("blas" in f.lower() or "gemm" in f.lower() for f in frames):
        return "BLAS"
    leaf = frames[-1]
    if "gc_collect" in " ".join(frames[-6:]) or "gc_" in leaf:
        return "garbage collector"
    if "_multiarray_umath" in leaf or "libc.so" in leaf or "_umath_linalg" in leaf:
        return "NumPy loops"
    return "Python"


def python_line(frames):
    """The innermost line of this project's code in a stack, as path:line."""
    ours = [f for f in frames if ".py:" in f and any(p in f for p in ("autograd_core/", "nn/", "optim/"))]
    if not ours:
        return None
    name, where = ours[-1].rsplit(" (", 1)
    return f"{where.rstrip(')')} {name}"


def profile(case, seconds, rate):
    """(repetitions, seconds per repetition, Counter of kinds, Counter of non-BLAS lines)."""
    with tempfile.TemporaryDirectory() as folder:
        raw = pathlib.Path(folder) / "samples.txt"
        command = ["py-spy", "record", "--native", "--rate", str(rate), "--format", "raw", "--output", str(raw), "--"]
        result = subprocess.run(
            command + [sys.executable, "-c", CHILD, case.name, str(seconds)], capture_output=True, text=True
        )
        if result.returncode != 0 or not raw.exists():
            raise SystemExit(f"py-spy failed on {case.name!r}:\n{result.stderr.strip()}")
        # py-spy writes to the same output.
        count, per_run = next(l.split()[1:] for l in result.stdout.splitlines() if l.startswith("repetitions "))
        kinds, lines = collections.Counter(), collections.Counter()
        for sample in raw.read_text().splitlines():
            stack, weight = sample.rsplit(" ", 1)
            frames = stack.split(";")
            if not any(MARKER in f for f in frames):
                continue
            kind = classify(frames)
            kinds[kind] += int(weight)
            if kind != "BLAS":
                lines[python_line(frames) or "(outside this library)"] += int(weight)
    return int(count), float(per_run), kinds, lines


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("words", nargs="+", help="profile the cases whose name contains one of these")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long to repeat each case (default 20)")
    parser.add_argument("--rate", type=int, default=250, help="samples per second (default 250)")
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="BLAS threads (default: cores)")
    parser.add_argument("--top", type=int, default=8, help="source lines to list per case (default 8)")
    args = parser.parse_args()
    if shutil.which("py-spy") is None:
        raise SystemExit('profile: py-spy is not installed; pip install -e ".[bench]"')
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[variable] = str(args.threads)
    sys.path[:0] = [str(HERE), str(HERE.parent)]
    from run import discover

    cases = [c for c in discover() if c.unit == "s" and any(w.lower() in c.name.lower() for w in args.words)]
    if not cases:
        raise SystemExit(f"profile: no timed case matches {args.words}")
    for case in cases:
        count, per_run, kinds, lines = profile(case, args.seconds, args.rate)
        total = sum(kinds.values()) or 1
        print(f"{case.name}\n  {per_run * 1e3:.2f} ms per repetition ({count} repetitions, {total} samples, "
              f"{args.threads} BLAS threads)")
        for kind in ("BLAS", "NumPy loops", "garbage collector", "Python"):
            print(f"  {kinds[kind] / total:6.1%}  {kind}")
        print("  outside BLAS, by the innermost line of this library:")
        for line, weight in lines.most_common(args.top):
            print(f"  {weight / total:6.1%}  {line}")


if __name__ == "__main__":
    main()
