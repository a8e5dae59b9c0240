#!/usr/bin/env python3
"""The reference for benchmarks/matching.sh: scipy.optimize.linear_sum_assignment on the same cost matrix.

    python3 matching_reference.py FILE N [--runs R]

FILE holds an N × N matrix of little-endian float64 values, row-major, as `matching-bench assign --out` writes it.
Prints one line `reference n=N seconds=S total=T`: the median time of R runs of the solver alone (reading the file
is not timed) and the total cost of the assignment it finds. Needs numpy and scipy (pip install scipy).
"""
import argparse
import statistics
import sys
import time

try:
    import numpy as np
    from scipy.optimize import linear_sum_assignment
except ImportError as e:  # pragma: no cover - a message rather than a trace
    sys.exit(f"error: {e}; install with: python3 -m pip install scipy")


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("file")
    p.add_argument("n", type=int)
    p.add_argument("--runs", type=int, default=1)
    args = p.parse_args(argv)
    costs = np.fromfile(args.file, dtype="<f8")
    if costs.size != args.n * args.n:
        sys.exit(f"error: {args.file} holds {costs.size} values, expected {args.n} × {args.n}")
    costs = costs.reshape(args.n, args.n)
    times = []
    for _ in range(max(1, args.runs)):
        start = time.perf_counter()
        rows, cols = linear_sum_assignment(costs)
        times.append(time.perf_counter() - start)
    total = float(costs[rows, cols].sum())
    print(f"reference n={args.n} seconds={statistics.median(times):.6f} total={total:.10f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
