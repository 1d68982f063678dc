"""NumPy's speed at the map of the README's performance table: batched gradient descent.

Usage: python3 tools/map_benchmark.py

Steps 512 x 512 runs of Rosenbrock, J = (1 - w)^2 + 100 (b - w^2)^2, together as float64
arrays: w0 over [-2, 2] and b0 over [-1, 3] (lo + i (hi - lo)/(n - 1), both ends included),
200 steps at lr 1e-3 with the gradient written by hand, once with plain GD and once with Adam
(torch's formulas, default betas and eps). No stopping tests: diverging runs go on as inf or
nan. Prints steps per second (runs x 200 / seconds, the best of 3) for each.

These are the NumPy reference numbers for benches/map.rs and the README's performance
table; losscape's side:

    losscape map '(1-w)^2 + 100*(b-w^2)^2' --optimizer gd --lr 1e-3 --steps 200 \
        --x w0:-2:2 --y b0:-1:3 --res 512 --threads 1 --out /tmp/m.csv
    cargo bench --bench map
"""

import time

import numpy as np

RES = 512
STEPS = 200
LR = 1e-3
ROUNDS = 3


def starts():
    w0 = np.linspace(-2.0, 2.0, RES)
    b0 = np.linspace(-1.0, 3.0, RES)
    b, w = np.meshgrid(b0, w0, indexing="ij")  # cell order: w varies fastest
    return w.ravel().copy(), b.ravel().copy()


def gradient(w, b):
    r = b - w * w
    return -2.0 * (1.0 - w) - 400.0 * w * r, 200.0 * r


def gd(w, b):
    for _ in range(STEPS):
        gw, gb = gradient(w, b)
        w -= LR * gw
        b -= LR * gb
    return w, b


def adam(w, b, beta1=0.9, beta2=0.999, eps=1e-8):
    mw, mb = np.zeros_like(w), np.zeros_like(b)
    vw, vb = np.zeros_like(w), np.zeros_like(b)
    for t in range(1, STEPS + 1):
        gw, gb = gradient(w, b)
        step = LR / (1.0 - beta1**t)
        root = np.sqrt(1.0 - beta2**t)
        for theta, m, v, g in ((w, mw, vw, gw), (b, mb, vb, gb)):
            m *= beta1
            m += (1.0 - beta1) * g
            v *= beta2
            v += (1.0 - beta2) * g * g
            theta -= step * m / (np.sqrt(v) / root + eps)
    return w, b


def best_time(rule):
    best = float("inf")
    for _ in range(ROUNDS):
        w, b = starts()
        start = time.perf_counter()
        rule(w, b)
        best = min(best, time.perf_counter() - start)
    return best


def main():
    steps = RES * RES * STEPS
    print(f"NumPy {np.__version__}, {RES} x {RES} runs, {STEPS} steps, lr {LR}")
    # Diverging runs overflow to inf and nan on purpose.
    with np.errstate(over="ignore", invalid="ignore"):
        for name, rule in (("gd", gd), ("adam", adam)):
            seconds = best_time(rule)
            print(f"{name}: {seconds:.3f} s, {steps / seconds:.3e} steps/s")


if __name__ == "__main__":
    main()
