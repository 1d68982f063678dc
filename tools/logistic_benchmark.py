"""The large logistic-regression fit of the README's performance table, and NumPy's time.

Usage: python tools/logistic_benchmark.py [OUT.csv]

Writes OUT.csv (default: logistic100k.csv): 100,000 examples of two classes (x around -1
for y = 0 and around +1 for y = 1, spread 0.8), then times NumPy's vectorized cost
mean(logloss(sigmoid(w*x + b), y)) at one point and prints the time per example (the best
of 20 rounds of 10 evaluations). Then, for losscape's side:

    time losscape grid --dataset OUT.csv --model "sigmoid(w*x + b)" --loss logloss --res 128
    cargo bench --bench grid -- logistic
"""

import sys
import time

import numpy as np

M = 100_000


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "logistic100k.csv"
    rng = np.random.default_rng(7)
    y = (np.arange(M) % 2).astype(np.float64)
    x = np.where(y == 1.0, 1.0, -1.0) + 0.8 * rng.standard_normal(M)
    with open(out, "w") as f:
        f.write("x,y\n")
        for xi, yi in zip(x, y):
            f.write(f"{xi:.6f},{int(yi)}\n")

    def cost(w, b):
        p = 1.0 / (1.0 + np.exp(-(w * x + b)))
        return np.mean(-(y * np.log(p) + (1.0 - y) * np.log(1.0 - p)))

    best = float("inf")
    for _ in range(20):
        start = time.perf_counter()
        for _ in range(10):
            cost(1.5, 0.3)
        best = min(best, (time.perf_counter() - start) / 10)
    print(f"wrote {out}; NumPy: {best * 1e9 / M:.1f} ns per example (cost {cost(1.5, 0.3):.6f})")


if __name__ == "__main__":
    main()
