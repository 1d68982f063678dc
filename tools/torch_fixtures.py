"""Record reference optimizer trajectories with PyTorch (float64) for tests/optim_torch.rs.

Usage: python tools/torch_fixtures.py > tests/fixtures/torch_trajectories.json

Each case runs a torch.optim optimizer (and lr_scheduler) on a small function of (w, b).
The gradient is computed by hand with the same arithmetic as the Rust test objectives, so
the only thing compared is the optimizer and scheduler arithmetic. Newton has no torch
counterpart; its rows come from a direct transcription of the damped Newton rule.
"""

import json
import math
import sys

import torch

torch.set_default_dtype(torch.float64)


def bowl_grad(w, b):
    # J = (w - 1)^2 + 10 (b + 2)^2 + w b
    return 2.0 * (w - 1.0) + b, 20.0 * (b + 2.0) + w


def bowl_hessian(w, b):
    return [[2.0, 1.0], [1.0, 20.0]]


def rosen_grad(w, b):
    # J = (1 - w)^2 + 100 (b - w^2)^2
    return -2.0 * (1.0 - w) - 400.0 * w * (b - w * w), 200.0 * (b - w * w)


def rosen_hessian(w, b):
    return [[2.0 - 400.0 * (b - w * w) + 800.0 * w * w, -400.0 * w], [-400.0 * w, 200.0]]


OBJECTIVES = {"bowl": (bowl_grad, bowl_hessian), "rosenbrock": (rosen_grad, rosen_hessian)}


def make_optimizer(opt, params, lr):
    rule = opt["rule"]
    wd = opt.get("weight_decay", 0.0)
    if rule in ("gd", "sgd"):
        return torch.optim.SGD(params, lr=lr, weight_decay=wd, foreach=False)
    if rule in ("momentum", "nesterov"):
        return torch.optim.SGD(params, lr=lr, momentum=opt["momentum"], weight_decay=wd,
                               nesterov=rule == "nesterov", foreach=False)
    if rule == "adagrad":
        return torch.optim.Adagrad(params, lr=lr, weight_decay=wd, foreach=False)
    if rule == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, weight_decay=wd, foreach=False)
    if rule == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=wd,
                                amsgrad=opt.get("amsgrad", False), foreach=False)
    if rule == "adamw":
        return torch.optim.AdamW(params, lr=lr, weight_decay=wd,
                                 amsgrad=opt.get("amsgrad", False), foreach=False)
    raise ValueError(rule)


def make_scheduler(schedule, optimizer):
    s = torch.optim.lr_scheduler
    kind = schedule["kind"]
    if kind == "constant":
        return None
    if kind == "step":
        return s.StepLR(optimizer, step_size=schedule["step_size"], gamma=schedule["gamma"])
    if kind == "exponential":
        return s.ExponentialLR(optimizer, gamma=schedule["gamma"])
    if kind == "cosine":
        return s.CosineAnnealingLR(optimizer, T_max=schedule["t_max"], eta_min=schedule["eta_min"])
    if kind == "warm_restarts":
        return s.CosineAnnealingWarmRestarts(optimizer, T_0=schedule["t_0"],
                                             T_mult=schedule["t_mult"], eta_min=schedule["eta_min"])
    raise ValueError(kind)


def run_torch(objective, settings):
    grad_fn = OBJECTIVES[objective][0]
    start = settings["init"]
    p = torch.tensor([start["w"], start["b"]], requires_grad=True)
    opt = make_optimizer(settings["optimizer"], [p], settings["learning_rate"])
    sched = make_scheduler(settings.get("schedule", {"kind": "constant"}), opt)
    last_lr = lambda: sched.get_last_lr()[0] if sched else opt.param_groups[0]["lr"]
    rows = [[p[0].item(), p[1].item(), last_lr()]]
    for _ in range(settings["max_iterations"]):
        w, b = p[0].item(), p[1].item()
        gw, gb = grad_fn(w, b)
        opt.zero_grad()
        p.grad = torch.tensor([gw, gb])
        if settings.get("clip_norm") is not None:
            torch.nn.utils.clip_grad_norm_([p], settings["clip_norm"], foreach=False)
        opt.step()
        if sched:
            sched.step()
        rows.append([p[0].item(), p[1].item(), last_lr()])
    return rows


def newton_damping(h):
    a, d = h[0][0], h[1][1]
    c = 0.5 * (h[0][1] + h[1][0])
    mean = 0.5 * (a + d)
    radius = math.hypot(0.5 * (a - d), c)
    smallest, largest = mean - radius, mean + radius
    delta = 1e-6 * max(1.0, abs(smallest), abs(largest))
    return 0.0 if smallest >= delta else delta - smallest


def run_newton(objective, settings):
    grad_fn, hess_fn = OBJECTIVES[objective]
    w, b = settings["init"]["w"], settings["init"]["b"]
    lr = settings["learning_rate"]
    rows = [[w, b, lr]]
    for _ in range(settings["max_iterations"]):
        g = grad_fn(w, b)
        h = hess_fn(w, b)
        lam = newton_damping(h)
        a, d = h[0][0] + lam, h[1][1] + lam
        c = 0.5 * (h[0][1] + h[1][0])
        det = a * d - c * c
        w -= lr * ((d * g[0] - c * g[1]) / det)
        b -= lr * ((a * g[1] - c * g[0]) / det)
        rows.append([w, b, lr])
    return rows


def case(name, objective, optimizer, lr, start, steps=100, schedule=None, clip=None):
    settings = {
        "optimizer": optimizer,
        "learning_rate": lr,
        "init": {"kind": "manual", "w": start[0], "b": start[1]},
        "max_iterations": steps,
        "schedule": schedule or {"kind": "constant"},
        "clip_norm": clip,
    }
    run = run_newton if optimizer["rule"] == "newton" else run_torch
    return {"name": name, "objective": objective, "settings": settings, "rows": run(objective, settings)}


def main():
    R, B = "rosenbrock", "bowl"
    adam = {"rule": "adam", "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
    adamw = {"rule": "adamw", "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
    gd = {"rule": "gd"}
    cases = [
        case("gd_rosenbrock", R, gd, 1e-3, (-1.5, 2.0)),
        case("sgd_weight_decay_bowl", B, {"rule": "sgd", "weight_decay": 0.1}, 0.05, (3.0, 1.0)),
        case("momentum_rosenbrock", R, {"rule": "momentum", "momentum": 0.9}, 1e-3, (-1.5, 2.0)),
        case("momentum_weight_decay_bowl", B, {"rule": "momentum", "momentum": 0.5, "weight_decay": 0.2}, 0.02, (3.0, 1.0)),
        case("nesterov_rosenbrock", R, {"rule": "nesterov", "momentum": 0.9}, 1e-3, (-1.5, 2.0)),
        case("adagrad_bowl", B, {"rule": "adagrad", "eps": 1e-10}, 0.5, (3.0, 1.0)),
        case("adagrad_weight_decay_rosenbrock", R, {"rule": "adagrad", "eps": 1e-10, "weight_decay": 0.05}, 0.1, (-1.5, 2.0)),
        case("rmsprop_rosenbrock", R, {"rule": "rmsprop", "alpha": 0.99, "eps": 1e-8}, 0.01, (-1.5, 2.0)),
        case("rmsprop_weight_decay_bowl", B, {"rule": "rmsprop", "alpha": 0.99, "eps": 1e-8, "weight_decay": 0.1}, 0.01, (3.0, 1.0)),
        case("adam_rosenbrock", R, adam, 0.05, (-1.5, 2.0)),
        case("adam_amsgrad_rosenbrock", R, {**adam, "amsgrad": True}, 0.05, (-1.5, 2.0)),
        case("adam_weight_decay_bowl", B, {**adam, "weight_decay": 0.1}, 0.1, (3.0, 1.0)),
        case("adamw_rosenbrock", R, {**adamw, "weight_decay": 0.01}, 0.05, (-1.5, 2.0)),
        case("adamw_amsgrad_bowl", B, {**adamw, "weight_decay": 0.1, "amsgrad": True}, 0.1, (3.0, 1.0)),
        case("gd_step_schedule_bowl", B, gd, 0.05, (3.0, 1.0), schedule={"kind": "step", "step_size": 10, "gamma": 0.5}),
        case("gd_exponential_schedule_bowl", B, gd, 0.05, (3.0, 1.0), schedule={"kind": "exponential", "gamma": 0.97}),
        case("adam_cosine_schedule_rosenbrock", R, adam, 0.05, (-1.5, 2.0), schedule={"kind": "cosine", "t_max": 30, "eta_min": 0.001}),
        case("gd_warm_restarts_bowl", B, gd, 0.05, (3.0, 1.0), schedule={"kind": "warm_restarts", "t_0": 10, "t_mult": 2, "eta_min": 0.001}),
        case("momentum_warm_restarts_t_mult_1_rosenbrock", R, {"rule": "momentum", "momentum": 0.9}, 1e-3, (-1.5, 2.0), schedule={"kind": "warm_restarts", "t_0": 7, "t_mult": 1, "eta_min": 0.0}),
        case("gd_clip_rosenbrock", R, gd, 1e-3, (-1.5, 2.0), clip=1.0),
        case("newton_rosenbrock", R, {"rule": "newton"}, 1.0, (-1.5, 2.0), steps=30),
        case("newton_bowl_half_step", B, {"rule": "newton"}, 0.5, (3.0, 1.0), steps=30),
    ]
    json.dump({"torch_version": torch.__version__, "cases": cases}, sys.stdout, indent=None)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
