"""Record reference optimizer trajectories with PyTorch (float64) for tests/optim_torch.rs.

Usage: python tools/torch_fixtures.py > tests/fixtures/torch_trajectories.json

Each case runs a torch.optim optimizer (and lr_scheduler) on a small function of (w, b).
w and b are two separate 0-d parameters, in that order, in one parameter group (two groups,
w's then b's, when the case gives b a learning rate of its own), as the Rust engine models
them; every optimizer is built with foreach=False (the single-tensor code path).

The gradient (and, for L-BFGS, the cost the closure returns) is computed by hand with the
same arithmetic, operation for operation, as the Rust test objectives in tests/common, so
the only thing compared is the optimizer and scheduler arithmetic.

Rows: row t is [w, b, lr] after t updates, where lr is the learning rate the next update
uses (torch's `get_last_lr()[0]` after t scheduler steps: w's group). One L-BFGS row is one
`optimizer.step(closure)` call. ASGD cases also record `ax`, torch's averaged parameters
`state[p]["ax"]` for w and b, row by row (zero before the first update).

Two rules have no torch counterpart and come from direct transcriptions instead:
- Newton: the damped Newton rule.
- gd-armijo: gradient descent with backtracking. Each update starts from the schedule's
  rate t and shrinks t *= shrink until J(theta - t g) <= J(theta) - c1 t |g|^2, trying at
  most ARMIJO_MAX_TRIALS step sizes; when none is accepted the last (smallest) one tried is
  taken. Its lr column means what the Rust run records (`set_last_learning_rate`): on every
  row but the last, the step size t the update *from* that row accepted; on the last row,
  the schedule's rate for the next update (no update was taken from it).
"""

import json
import math
import sys

import torch

torch.set_default_dtype(torch.float64)

# src/engine/limits.rs
ARMIJO_MAX_TRIALS = 60


def bowl_value(w, b):
    # J = (w - 1)^2 + 10 (b + 2)^2 + w b, as tests/common's Bowl computes it
    return (w - 1.0) * (w - 1.0) + 10.0 * (b + 2.0) * (b + 2.0) + w * b


def bowl_grad(w, b):
    return 2.0 * (w - 1.0) + b, 20.0 * (b + 2.0) + w


def bowl_hessian(w, b):
    return [[2.0, 1.0], [1.0, 20.0]]


def rosen_value(w, b):
    # J = (1 - w)^2 + 100 (b - w^2)^2, as tests/common's Rosenbrock computes it
    return (1.0 - w) * (1.0 - w) + 100.0 * (b - w * w) * (b - w * w)


def rosen_grad(w, b):
    return -2.0 * (1.0 - w) - 400.0 * w * (b - w * w), 200.0 * (b - w * w)


def rosen_hessian(w, b):
    return [[2.0 - 400.0 * (b - w * w) + 800.0 * w * w, -400.0 * w], [-400.0 * w, 200.0]]


OBJECTIVES = {
    "bowl": (bowl_value, bowl_grad, bowl_hessian),
    "rosenbrock": (rosen_value, rosen_grad, rosen_hessian),
}


def make_optimizer(opt, params, lr):
    """The torch optimizer for the Rust `OptimizerSettings` `opt` (a missing field takes
    the Rust default, which is torch's except momentum 0.9 for the momentum rules and
    the lr, set by the case)."""
    o = torch.optim
    rule = opt["rule"]
    wd = opt.get("weight_decay", 0.0)
    betas = (opt.get("beta1", 0.9), opt.get("beta2", 0.999))
    if rule in ("gd", "sgd", "momentum", "nesterov"):
        default_momentum = 0.9 if rule in ("momentum", "nesterov") else 0.0
        return o.SGD(params, lr=lr, momentum=opt.get("momentum", default_momentum),
                     dampening=opt.get("dampening", 0.0),
                     nesterov=rule == "nesterov" or opt.get("nesterov", False),
                     weight_decay=wd, foreach=False)
    if rule == "adagrad":
        return o.Adagrad(params, lr=lr, lr_decay=opt.get("lr_decay", 0.0), weight_decay=wd,
                         initial_accumulator_value=opt.get("initial_accumulator_value", 0.0),
                         eps=opt.get("eps", 1e-10), foreach=False)
    if rule == "rmsprop":
        return o.RMSprop(params, lr=lr, alpha=opt.get("alpha", 0.99), eps=opt.get("eps", 1e-8),
                         weight_decay=wd, momentum=opt.get("momentum", 0.0),
                         centered=opt.get("centered", False), foreach=False)
    if rule == "adadelta":
        return o.Adadelta(params, lr=lr, rho=opt.get("rho", 0.9), eps=opt.get("eps", 1e-6),
                          weight_decay=wd, foreach=False)
    if rule == "adam":
        return o.Adam(params, lr=lr, betas=betas, eps=opt.get("eps", 1e-8), weight_decay=wd,
                      amsgrad=opt.get("amsgrad", False), foreach=False)
    if rule == "adamw":
        return o.AdamW(params, lr=lr, betas=betas, eps=opt.get("eps", 1e-8),
                       weight_decay=opt.get("weight_decay", 0.01),
                       amsgrad=opt.get("amsgrad", False), foreach=False)
    if rule == "adamax":
        return o.Adamax(params, lr=lr, betas=betas, eps=opt.get("eps", 1e-8), weight_decay=wd,
                        foreach=False)
    if rule == "nadam":
        return o.NAdam(params, lr=lr, betas=betas, eps=opt.get("eps", 1e-8), weight_decay=wd,
                       momentum_decay=opt.get("momentum_decay", 4e-3),
                       decoupled_weight_decay=opt.get("decoupled_weight_decay", False),
                       foreach=False)
    if rule == "radam":
        return o.RAdam(params, lr=lr, betas=betas, eps=opt.get("eps", 1e-8), weight_decay=wd,
                       decoupled_weight_decay=opt.get("decoupled_weight_decay", False),
                       foreach=False)
    if rule == "adafactor":
        return o.Adafactor(params, lr=lr, beta2_decay=opt.get("beta2_decay", -0.8),
                           eps=(opt.get("eps1"), opt.get("eps2", 1e-3)), d=opt.get("d", 1.0),
                           weight_decay=wd, foreach=False)
    if rule == "rprop":
        return o.Rprop(params, lr=lr, etas=(opt.get("eta_minus", 0.5), opt.get("eta_plus", 1.2)),
                       step_sizes=(opt.get("step_size_min", 1e-6), opt.get("step_size_max", 50.0)),
                       foreach=False)
    if rule == "asgd":
        return o.ASGD(params, lr=lr, lambd=opt.get("lambd", 1e-4), alpha=opt.get("alpha", 0.75),
                      t0=opt.get("t0", 1e6), weight_decay=wd, foreach=False)
    if rule == "lbfgs":
        search = opt.get("line_search_fn", "none")
        return o.LBFGS(params, lr=lr, max_iter=opt.get("max_iter", 20), max_eval=opt.get("max_eval"),
                       tolerance_grad=opt.get("tolerance_grad", 1e-7),
                       tolerance_change=opt.get("tolerance_change", 1e-9),
                       history_size=opt.get("history_size", 100),
                       line_search_fn=None if search == "none" else search)
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
    value_fn, grad_fn, _ = OBJECTIVES[objective]
    start = settings["init"]
    w = torch.tensor(start["w"], requires_grad=True)
    b = torch.tensor(start["b"], requires_grad=True)
    lr, lr_b = settings["learning_rate"], settings.get("learning_rate_b")
    groups = [w, b] if lr_b is None else [{"params": [w]}, {"params": [b], "lr": lr_b}]
    rule = settings["optimizer"]["rule"]
    opt = make_optimizer(settings["optimizer"], groups, lr)
    sched = make_scheduler(settings.get("schedule", {"kind": "constant"}), opt)

    def last_lr():
        return sched.get_last_lr()[0] if sched else opt.param_groups[0]["lr"]

    def set_grads():
        gw, gb = grad_fn(w.item(), b.item())
        w.grad = torch.tensor(gw)
        b.grad = torch.tensor(gb)

    def closure():
        # L-BFGS's closure: J and its gradient at the current parameters.
        set_grads()
        return torch.tensor(value_fn(w.item(), b.item()))

    def averages():
        return [opt.state[p]["ax"].item() if "ax" in opt.state[p] else 0.0 for p in (w, b)]

    rows = [[w.item(), b.item(), last_lr()]]
    ax = [averages()]
    for _ in range(settings["max_iterations"]):
        opt.zero_grad()
        if rule == "lbfgs":
            opt.step(closure)
        else:
            set_grads()
            if settings.get("clip_norm") is not None:
                torch.nn.utils.clip_grad_norm_([w, b], settings["clip_norm"], foreach=False)
            opt.step()
        if sched:
            sched.step()
        rows.append([w.item(), b.item(), last_lr()])
        ax.append(averages())
    return rows, (ax if rule == "asgd" else None)


def newton_damping(h):
    a, d = h[0][0], h[1][1]
    c = 0.5 * (h[0][1] + h[1][0])
    mean = 0.5 * (a + d)
    radius = math.hypot(0.5 * (a - d), c)
    smallest, largest = mean - radius, mean + radius
    delta = 1e-6 * max(1.0, abs(smallest), abs(largest))
    return 0.0 if smallest >= delta else delta - smallest


def run_newton(objective, settings):
    _, grad_fn, hess_fn = OBJECTIVES[objective]
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
    return rows, None


def run_armijo(objective, settings):
    """gd-armijo, transcribed (see the module docs for its lr column). The schedule's rates
    come from a torch scheduler on a dummy optimizer."""
    value_fn, grad_fn, _ = OBJECTIVES[objective]
    shrink = settings["optimizer"].get("shrink", 0.5)
    c1 = settings["optimizer"].get("c1", 1e-4)
    w, b = settings["init"]["w"], settings["init"]["b"]
    dummy = torch.optim.SGD([torch.zeros((), requires_grad=True)], lr=settings["learning_rate"])
    sched = make_scheduler(settings.get("schedule", {"kind": "constant"}), dummy)
    rate = lambda: sched.get_last_lr()[0] if sched else dummy.param_groups[0]["lr"]
    rows = [[w, b, rate()]]
    for _ in range(settings["max_iterations"]):
        cost = value_fn(w, b)
        g0, g1 = grad_fn(w, b)
        squared_norm = g0 * g0 + g1 * g1
        t = rate()
        for k in range(1, ARMIJO_MAX_TRIALS + 1):
            trial = (w - t * g0, b - t * g1)
            if value_fn(*trial) <= cost - c1 * t * squared_norm or k == ARMIJO_MAX_TRIALS:
                break
            t *= shrink
        rows[-1][2] = t  # the step the update from this row took
        w, b = trial
        dummy.step()
        if sched:
            sched.step()
        rows.append([w, b, rate()])
    return rows, None


def case(name, objective, optimizer, lr, start, steps=100, schedule=None, clip=None, lr_b=None):
    settings = {
        "optimizer": optimizer,
        "learning_rate": lr,
        "init": {"kind": "manual", "w": start[0], "b": start[1]},
        "max_iterations": steps,
        "schedule": schedule or {"kind": "constant"},
        "clip_norm": clip,
    }
    if lr_b is not None:
        settings["learning_rate_b"] = lr_b
    run = {"newton": run_newton, "gd-armijo": run_armijo}.get(optimizer["rule"], run_torch)
    rows, ax = run(objective, settings)
    out = {"name": name, "objective": objective, "settings": settings, "rows": rows}
    if ax is not None:
        out["ax"] = ax
    return out


def main():
    R, B = "rosenbrock", "bowl"
    RS, BS = (-1.5, 2.0), (3.0, 1.0)
    adam = {"rule": "adam", "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
    adamw = {"rule": "adamw", "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
    gd = {"rule": "gd"}
    step = {"kind": "step", "step_size": 10, "gamma": 0.5}
    expo = {"kind": "exponential", "gamma": 0.97}
    cosine = {"kind": "cosine", "t_max": 30, "eta_min": 0.001}
    restarts = {"kind": "warm_restarts", "t_0": 10, "t_mult": 2, "eta_min": 0.001}
    cases = [
        case("gd_rosenbrock", R, gd, 1e-3, RS),
        case("sgd_weight_decay_bowl", B, {"rule": "sgd", "weight_decay": 0.1}, 0.05, BS),
        case("momentum_rosenbrock", R, {"rule": "momentum", "momentum": 0.9}, 1e-3, RS),
        case("momentum_weight_decay_bowl", B, {"rule": "momentum", "momentum": 0.5, "weight_decay": 0.2}, 0.02, BS),
        case("nesterov_rosenbrock", R, {"rule": "nesterov", "momentum": 0.9}, 1e-3, RS),
        case("adagrad_bowl", B, {"rule": "adagrad", "eps": 1e-10}, 0.5, BS),
        case("adagrad_weight_decay_rosenbrock", R, {"rule": "adagrad", "eps": 1e-10, "weight_decay": 0.05}, 0.1, RS),
        case("rmsprop_rosenbrock", R, {"rule": "rmsprop", "alpha": 0.99, "eps": 1e-8}, 0.01, RS),
        case("rmsprop_weight_decay_bowl", B, {"rule": "rmsprop", "alpha": 0.99, "eps": 1e-8, "weight_decay": 0.1}, 0.01, BS),
        case("adam_rosenbrock", R, adam, 0.05, RS),
        case("adam_amsgrad_rosenbrock", R, {**adam, "amsgrad": True}, 0.05, RS),
        case("adam_weight_decay_bowl", B, {**adam, "weight_decay": 0.1}, 0.1, BS),
        case("adamw_rosenbrock", R, {**adamw, "weight_decay": 0.01}, 0.05, RS),
        case("adamw_amsgrad_bowl", B, {**adamw, "weight_decay": 0.1, "amsgrad": True}, 0.1, BS),
        case("gd_step_schedule_bowl", B, gd, 0.05, BS, schedule=step),
        case("gd_exponential_schedule_bowl", B, gd, 0.05, BS, schedule=expo),
        case("adam_cosine_schedule_rosenbrock", R, adam, 0.05, RS, schedule=cosine),
        case("gd_warm_restarts_bowl", B, gd, 0.05, BS, schedule=restarts),
        case("momentum_warm_restarts_t_mult_1_rosenbrock", R, {"rule": "momentum", "momentum": 0.9}, 1e-3, RS, schedule={"kind": "warm_restarts", "t_0": 7, "t_mult": 1, "eta_min": 0.0}),
        case("gd_clip_rosenbrock", R, gd, 1e-3, RS, clip=1.0),
        case("newton_rosenbrock", R, {"rule": "newton"}, 1.0, RS, steps=30),
        case("newton_bowl_half_step", B, {"rule": "newton"}, 0.5, BS, steps=30),
        # SGD family with every option
        case("sgd_momentum_dampening_bowl", B, {"rule": "sgd", "momentum": 0.9, "dampening": 0.5}, 0.02, BS),
        case("sgd_nesterov_weight_decay_rosenbrock", R, {"rule": "sgd", "momentum": 0.8, "nesterov": True, "weight_decay": 0.01}, 1e-3, RS),
        case("momentum_dampening_rosenbrock", R, {"rule": "momentum", "momentum": 0.9, "dampening": 0.3}, 1e-3, RS),
        case("momentum_nesterov_bowl", B, {"rule": "momentum", "momentum": 0.7, "nesterov": True, "weight_decay": 0.05}, 0.02, BS),
        case("nesterov_legacy_weight_decay_bowl", B, {"rule": "nesterov", "momentum": 0.6, "weight_decay": 0.1}, 0.03, BS),
        # AdaGrad, RMSprop, Adadelta
        case("adagrad_lr_decay_accumulator_bowl", B, {"rule": "adagrad", "lr_decay": 0.01, "initial_accumulator_value": 0.5, "eps": 1e-6}, 0.5, BS),
        case("adagrad_lr_decay_weight_decay_rosenbrock", R, {"rule": "adagrad", "lr_decay": 0.05, "initial_accumulator_value": 0.1, "weight_decay": 0.01}, 0.2, RS),
        case("rmsprop_centered_rosenbrock", R, {"rule": "rmsprop", "alpha": 0.9, "eps": 1e-6, "centered": True}, 0.005, RS),
        case("rmsprop_momentum_bowl", B, {"rule": "rmsprop", "momentum": 0.5}, 0.01, BS),
        case("rmsprop_centered_momentum_weight_decay_rosenbrock", R, {"rule": "rmsprop", "alpha": 0.95, "eps": 1e-7, "momentum": 0.7, "centered": True, "weight_decay": 0.02}, 0.002, RS),
        case("adadelta_defaults_rosenbrock", R, {"rule": "adadelta"}, 1.0, RS),
        case("adadelta_options_bowl", B, {"rule": "adadelta", "rho": 0.8, "eps": 1e-4, "weight_decay": 0.1}, 2.0, BS),
        # Adam relatives
        case("adamax_betas_rosenbrock", R, {"rule": "adamax", "beta1": 0.8, "beta2": 0.99, "eps": 1e-6}, 0.02, RS),
        case("adamax_weight_decay_bowl", B, {"rule": "adamax", "weight_decay": 0.1}, 0.1, BS),
        case("nadam_momentum_decay_rosenbrock", R, {"rule": "nadam", "momentum_decay": 0.01}, 0.02, RS),
        case("nadam_weight_decay_bowl", B, {"rule": "nadam", "weight_decay": 0.1, "beta1": 0.85, "beta2": 0.99}, 0.1, BS),
        case("nadam_decoupled_weight_decay_bowl", B, {"rule": "nadam", "weight_decay": 0.1, "decoupled_weight_decay": True, "momentum_decay": 0.002}, 0.1, BS),
        case("radam_rosenbrock", R, {"rule": "radam"}, 0.002, RS),
        case("radam_weight_decay_bowl", B, {"rule": "radam", "weight_decay": 0.1, "eps": 1e-6}, 0.1, BS),
        case("radam_decoupled_weight_decay_bowl", B, {"rule": "radam", "weight_decay": 0.1, "decoupled_weight_decay": True, "beta1": 0.8, "beta2": 0.99}, 0.1, BS),
        # Adafactor
        case("adafactor_defaults_rosenbrock", R, {"rule": "adafactor"}, 0.01, RS),
        case("adafactor_options_bowl", B, {"rule": "adafactor", "beta2_decay": -0.5, "eps1": 1e-3, "eps2": 1e-2, "d": 2.0, "weight_decay": 0.1}, 0.05, BS),
        case("adafactor_zero_start_bowl", B, {"rule": "adafactor", "eps2": 0.05}, 0.05, (0.0, 1.0)),
        # Rprop, ASGD
        case("rprop_rosenbrock", R, {"rule": "rprop", "eta_minus": 0.3, "eta_plus": 1.5, "step_size_min": 1e-4, "step_size_max": 0.5}, 0.01, RS),
        case("rprop_bowl", B, {"rule": "rprop", "eta_minus": 0.6, "eta_plus": 1.1, "step_size_min": 1e-3, "step_size_max": 1.0}, 0.1, BS),
        case("asgd_bowl", B, {"rule": "asgd", "lambd": 0.01, "alpha": 0.5, "t0": 5.0, "weight_decay": 0.05}, 0.02, BS),
        case("asgd_rosenbrock", R, {"rule": "asgd", "lambd": 1e-3, "alpha": 0.9, "t0": 10.0}, 1e-3, RS),
        # L-BFGS: one row per optimizer.step(closure)
        case("lbfgs_rosenbrock", R, {"rule": "lbfgs", "max_iter": 4, "tolerance_grad": 1e-9, "tolerance_change": 1e-12, "history_size": 5}, 0.2, RS, steps=20),
        case("lbfgs_strong_wolfe_rosenbrock", R, {"rule": "lbfgs", "max_iter": 5, "history_size": 3, "line_search_fn": "strong_wolfe"}, 1.0, RS, steps=20),
        case("lbfgs_strong_wolfe_max_eval_bowl", B, {"rule": "lbfgs", "max_iter": 10, "max_eval": 8, "history_size": 2, "tolerance_grad": 1e-5, "tolerance_change": 1e-7, "line_search_fn": "strong_wolfe"}, 0.5, BS, steps=20),
        case("lbfgs_exponential_schedule_bowl", B, {"rule": "lbfgs", "max_iter": 3, "history_size": 4}, 0.1, BS, steps=20, schedule={"kind": "exponential", "gamma": 0.9}),
        # GD with Armijo backtracking (a transcription, no torch counterpart)
        case("gd_armijo_rosenbrock", R, {"rule": "gd-armijo"}, 1.0, RS),
        case("gd_armijo_options_bowl", B, {"rule": "gd-armijo", "shrink": 0.7, "c1": 0.3}, 0.5, BS, schedule=expo),
        # schedules with the newer rules
        case("nadam_step_schedule_rosenbrock", R, {"rule": "nadam"}, 0.05, RS, schedule={"kind": "step", "step_size": 20, "gamma": 0.5}),
        case("rmsprop_centered_cosine_schedule_bowl", B, {"rule": "rmsprop", "centered": True, "momentum": 0.3}, 0.02, BS, schedule=cosine),
        case("adafactor_warm_restarts_rosenbrock", R, {"rule": "adafactor", "weight_decay": 0.01}, 0.02, RS, schedule=restarts),
        case("radam_exponential_schedule_rosenbrock", R, {"rule": "radam", "decoupled_weight_decay": True, "weight_decay": 0.05}, 0.005, RS, schedule=expo),
        case("asgd_step_schedule_bowl", B, {"rule": "asgd", "lambd": 0.05, "t0": 5.0}, 0.02, BS, schedule=step),
        # two parameter groups: b's own learning rate
        case("sgd_momentum_groups_bowl", B, {"rule": "sgd", "momentum": 0.9, "dampening": 0.1}, 0.02, BS, lr_b=0.005),
        case("adam_groups_step_schedule_rosenbrock", R, adam, 0.05, RS, schedule=step, lr_b=0.02),
        case("adafactor_groups_bowl", B, {"rule": "adafactor", "d": 1.5}, 0.05, BS, lr_b=0.01),
        case("rprop_groups_rosenbrock", R, {"rule": "rprop"}, 0.01, RS, lr_b=0.05),
        case("asgd_groups_bowl", B, {"rule": "asgd", "lambd": 0.01, "t0": 5.0}, 0.02, BS, lr_b=0.01),
    ]
    json.dump({"torch_version": torch.__version__, "cases": cases}, sys.stdout, indent=None)
    sys.stdout.write("\n")
    for c in cases:  # how far each case went, for choosing settings (stderr)
        first, last = c["rows"][0], c["rows"][-1]
        sys.stderr.write(f"{c['name']:55s} {len(c['rows']):4d} rows  ({first[0]:.3g}, {first[1]:.3g}) -> ({last[0]:.6g}, {last[1]:.6g})  lr {last[2]:.3g}\n")


if __name__ == "__main__":
    main()
