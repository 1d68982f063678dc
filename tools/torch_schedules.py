"""Record learning-rate schedules with PyTorch (float64) for tests/schedule_torch.rs.

Usage: python tools/torch_schedules.py > tests/fixtures/torch_schedules.json

Two kinds of case:
- "sequences": a torch.optim.lr_scheduler driving a plain SGD optimizer of one scalar
  parameter; the rates are get_last_lr() right after construction, then after each step
  (ReduceLROnPlateau is stepped with a fixed, made-up cost sequence);
- "runs": whole runs of plain SGD on J = (w - 1)^2 + 10 (b + 2)^2 + w b or on Rosenbrock's
  J = (1 - w)^2 + 100 (b - w^2)^2 (positive, so a relative plateau threshold means what it
  says), the gradient computed by hand, with the scheduler stepped after each update (ReduceLROnPlateau with
  the cost at the point that update started from); rows are [w, b, lr].

Each schedule is written in the settings form losscape reads (serde, `kind = ...`), and
built here into the torch scheduler it stands for. The recorded numbers are written as
strings (Python's shortest round-trip form), since a JSON reader need not parse a
17-digit number to the nearest double (serde_json does not by default); every input is a
short decimal, which any reader gets exactly.
"""

import json
import math
import sys

import torch

torch.set_default_dtype(torch.float64)
S = torch.optim.lr_scheduler


def build(schedule, opt):
    """The torch scheduler of a losscape schedule (None for a constant rate)."""
    kind = schedule["kind"]
    if kind == "constant":
        return None
    if kind == "step":
        return S.StepLR(opt, step_size=schedule["step_size"], gamma=schedule["gamma"])
    if kind == "multi_step":
        return S.MultiStepLR(opt, milestones=schedule["milestones"], gamma=schedule.get("gamma", 0.1))
    if kind == "exponential":
        return S.ExponentialLR(opt, gamma=schedule["gamma"])
    if kind == "cosine":
        return S.CosineAnnealingLR(opt, T_max=schedule["t_max"], eta_min=schedule.get("eta_min", 0.0))
    if kind == "warm_restarts":
        return S.CosineAnnealingWarmRestarts(opt, T_0=schedule["t_0"], T_mult=schedule.get("t_mult", 1),
                                             eta_min=schedule.get("eta_min", 0.0))
    if kind == "constant_lr":
        return S.ConstantLR(opt, factor=schedule.get("factor", 1.0 / 3), total_iters=schedule.get("total_iters", 5))
    if kind == "linear":
        return S.LinearLR(opt, start_factor=schedule.get("start_factor", 1.0 / 3),
                          end_factor=schedule.get("end_factor", 1.0), total_iters=schedule.get("total_iters", 5))
    if kind == "polynomial":
        return S.PolynomialLR(opt, total_iters=schedule.get("total_iters", 5), power=schedule.get("power", 1.0))
    if kind == "cyclic":
        return S.CyclicLR(opt, base_lr=schedule["base_lr"], max_lr=schedule["max_lr"],
                          step_size_up=schedule.get("step_size_up", 2000),
                          step_size_down=schedule.get("step_size_down"),
                          mode=schedule.get("mode", "triangular"), gamma=schedule.get("gamma", 1.0),
                          cycle_momentum=False)
    if kind == "one_cycle":
        return S.OneCycleLR(opt, max_lr=schedule["max_lr"], total_steps=schedule["total_steps"],
                            pct_start=float(schedule.get("pct_start", 0.3)),
                            anneal_strategy=schedule.get("anneal_strategy", "cos"),
                            cycle_momentum=False, div_factor=schedule.get("div_factor", 25.0),
                            final_div_factor=schedule.get("final_div_factor", 1e4),
                            three_phase=schedule.get("three_phase", False))
    if kind == "warmup":
        n = schedule["iters"]
        first = S.LinearLR(opt, start_factor=1 / n, end_factor=1.0, total_iters=n)
        then = build(schedule["then"], opt)
        if then is None:
            # A constant rate after the warm-up: the rate it started from, unchanged.
            then = S.LambdaLR(opt, lambda _: 1.0)
        return S.SequentialLR(opt, schedulers=[first, then], milestones=[n])
    if kind == "plateau":
        return S.ReduceLROnPlateau(opt, mode="min", factor=schedule.get("factor", 0.1),
                                   patience=schedule.get("patience", 10),
                                   threshold=schedule.get("threshold", 1e-4), threshold_mode="rel",
                                   cooldown=schedule.get("cooldown", 0), min_lr=schedule.get("min_lr", 0.0),
                                   eps=1e-8)
    raise ValueError(kind)


def rates(schedule, lr, steps, costs=None):
    """get_last_lr() after construction and after each of `steps` steps."""
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=lr)
    sched = build(schedule, opt)
    last = lambda: sched.get_last_lr()[0] if sched else opt.param_groups[0]["lr"]
    out = [last()]
    for t in range(steps):
        p.grad = torch.ones(1)
        opt.step()
        if sched is None:
            pass
        elif costs is not None:
            sched.step(costs[t])
        else:
            sched.step()
        out.append(float(last()))
    return out


def sequence(name, schedule, lr, steps, costs=None):
    return {"name": name, "schedule": schedule, "learning_rate": lr, "costs": costs,
            "rates": [repr(r) for r in rates(schedule, lr, steps, costs)]}


def bowl(w, b):
    cost = (w - 1.0) * (w - 1.0) + 10.0 * (b + 2.0) * (b + 2.0) + w * b
    return cost, (2.0 * (w - 1.0) + b, 20.0 * (b + 2.0) + w)


def rosenbrock(w, b):
    cost = (1.0 - w) * (1.0 - w) + 100.0 * (b - w * w) * (b - w * w)
    return cost, (-2.0 * (1.0 - w) - 400.0 * w * (b - w * w), 200.0 * (b - w * w))


OBJECTIVES = {"bowl": bowl, "rosenbrock": rosenbrock}


def run(name, objective, schedule, lr, start, steps, lr_b=None):
    """A whole run of plain SGD; rows [w, b, lr of w's group]."""
    w = torch.tensor([start[0]], requires_grad=True)
    b = torch.tensor([start[1]], requires_grad=True)
    groups = [{"params": [w]}, {"params": [b]} if lr_b is None else {"params": [b], "lr": lr_b}]
    opt = torch.optim.SGD(groups, lr=lr, foreach=False)
    sched = build(schedule, opt)
    last = lambda: sched.get_last_lr()[0] if sched else opt.param_groups[0]["lr"]
    rows = [[w.item(), b.item(), float(last())]]
    for _ in range(steps):
        cost, (gw, gb) = OBJECTIVES[objective](w.item(), b.item())
        opt.zero_grad()
        w.grad = torch.tensor([gw])
        b.grad = torch.tensor([gb])
        opt.step()
        if sched is None:
            pass
        elif schedule["kind"] == "plateau":
            sched.step(cost)
        else:
            sched.step()
        rows.append([w.item(), b.item(), float(last())])
    settings = {
        "optimizer": {"rule": "gd"},
        "learning_rate": lr,
        "init": {"kind": "manual", "w": start[0], "b": start[1]},
        "max_iterations": steps,
        "schedule": schedule,
    }
    if lr_b is not None:
        settings["learning_rate_b"] = lr_b
    rows = [[repr(x) for x in row] for row in rows]
    return {"name": name, "objective": objective, "settings": settings, "rows": rows}


def plateau_costs():
    """Falls, then stalls, improves by less than the threshold, falls again, rises."""
    costs = [10.0, 9.0, 8.0, 8.0, 8.0, 8.0, 7.9995, 7.999, 8.1, 8.2, 7.0, 6.0, 6.0, 6.0,
             5.9999, 6.0, 6.0, 6.0, 6.0, 6.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0]
    costs += [5.0 + 0.01 * math.sin(t) for t in range(30)]
    return costs


def main():
    q = 0.037  # a learning rate with no short binary form
    seq = [
        # The schedules torch already had here, including past T_max and eta_min.
        sequence("step", {"kind": "step", "step_size": 3, "gamma": 0.7}, q, 20),
        sequence("exponential", {"kind": "exponential", "gamma": 0.93}, q, 30),
        sequence("cosine_past_t_max", {"kind": "cosine", "t_max": 7, "eta_min": 0.003}, q, 40),
        sequence("warm_restarts_eta_min", {"kind": "warm_restarts", "t_0": 3, "t_mult": 2, "eta_min": 0.0011}, q, 40),
        # MultiStepLR.
        sequence("multi_step", {"kind": "multi_step", "milestones": [3, 7, 12], "gamma": 0.5}, q, 20),
        sequence("multi_step_at_0", {"kind": "multi_step", "milestones": [0, 4], "gamma": 0.3}, q, 10),
        sequence("multi_step_default_gamma", {"kind": "multi_step", "milestones": [2]}, 0.1, 5),
        # ConstantLR.
        sequence("constant_lr_default", {"kind": "constant_lr"}, q, 10),
        sequence("constant_lr_half_1", {"kind": "constant_lr", "factor": 0.5, "total_iters": 1}, q, 5),
        sequence("constant_lr_long", {"kind": "constant_lr", "factor": 0.7, "total_iters": 10}, 0.1, 15),
        # LinearLR.
        sequence("linear_default", {"kind": "linear"}, q, 10),
        sequence("linear_down", {"kind": "linear", "start_factor": 1.0, "end_factor": 0.1, "total_iters": 10}, q, 15),
        sequence("linear_part", {"kind": "linear", "start_factor": 0.25, "end_factor": 0.75, "total_iters": 7}, 0.1, 12),
        sequence("linear_to_zero", {"kind": "linear", "start_factor": 0.9, "end_factor": 0.0, "total_iters": 6}, 0.1, 9),
        # PolynomialLR.
        sequence("polynomial_default", {"kind": "polynomial"}, q, 8),
        sequence("polynomial_square", {"kind": "polynomial", "total_iters": 10, "power": 2.0}, q, 14),
        sequence("polynomial_root", {"kind": "polynomial", "total_iters": 8, "power": 0.5}, 0.1, 10),
        sequence("polynomial_flat", {"kind": "polynomial", "total_iters": 4, "power": 0.0}, 0.1, 6),
        # CyclicLR, every mode.
        sequence("cyclic_triangular", {"kind": "cyclic", "base_lr": 0.001, "max_lr": 0.1, "step_size_up": 4}, q, 30),
        sequence("cyclic_uneven", {"kind": "cyclic", "base_lr": 0.002, "max_lr": 0.07, "step_size_up": 3,
                                   "step_size_down": 7}, q, 40),
        sequence("cyclic_sawtooth", {"kind": "cyclic", "base_lr": 0.01, "max_lr": 0.05, "step_size_up": 5,
                                     "step_size_down": 0}, q, 20),
        sequence("cyclic_triangular2", {"kind": "cyclic", "base_lr": 0.01, "max_lr": 0.1, "step_size_up": 3,
                                        "step_size_down": 5, "mode": "triangular2"}, q, 50),
        sequence("cyclic_exp_range", {"kind": "cyclic", "base_lr": 0.001, "max_lr": 0.1, "step_size_up": 5,
                                      "mode": "exp_range", "gamma": 0.97}, q, 60),
        sequence("cyclic_down_first", {"kind": "cyclic", "base_lr": 0.1, "max_lr": 0.01, "step_size_up": 3,
                                       "mode": "triangular2"}, q, 20),
        # OneCycleLR, both shapes, two and three phases; up to torch's last allowed step.
        sequence("one_cycle_cos", {"kind": "one_cycle", "max_lr": 0.1, "total_steps": 20}, q, 20),
        sequence("one_cycle_linear", {"kind": "one_cycle", "max_lr": 0.2, "total_steps": 15, "pct_start": 0.25,
                                      "anneal_strategy": "linear", "div_factor": 10.0,
                                      "final_div_factor": 100.0}, q, 15),
        sequence("one_cycle_three_phase_cos", {"kind": "one_cycle", "max_lr": 0.1, "total_steps": 30,
                                               "three_phase": True}, q, 30),
        sequence("one_cycle_three_phase_linear", {"kind": "one_cycle", "max_lr": 0.3, "total_steps": 23,
                                                  "pct_start": 0.4, "anneal_strategy": "linear",
                                                  "three_phase": True}, q, 23),
        sequence("one_cycle_no_climb", {"kind": "one_cycle", "max_lr": 0.1, "total_steps": 12, "pct_start": 0.0}, q, 12),
        sequence("one_cycle_one_step", {"kind": "one_cycle", "max_lr": 0.1, "total_steps": 1}, q, 1),
        # SequentialLR: a linear warm-up, then another schedule.
        sequence("warmup_constant", {"kind": "warmup", "iters": 5, "then": {"kind": "constant"}}, q, 12),
        sequence("warmup_cosine", {"kind": "warmup", "iters": 10, "then": {"kind": "cosine", "t_max": 90, "eta_min": 0.0}}, q, 100),
        sequence("warmup_cosine_eta_min", {"kind": "warmup", "iters": 4, "then": {"kind": "cosine", "t_max": 6,
                                                                             "eta_min": 0.0013}}, q, 30),
        sequence("warmup_step", {"kind": "warmup", "iters": 3, "then": {"kind": "step", "step_size": 4, "gamma": 0.5}}, q, 20),
        sequence("warmup_exponential", {"kind": "warmup", "iters": 7, "then": {"kind": "exponential", "gamma": 0.9}}, q, 20),
        sequence("warmup_multi_step", {"kind": "warmup", "iters": 2, "then": {"kind": "multi_step", "milestones": [0, 3, 5],
                                                                         "gamma": 0.6}}, q, 12),
        sequence("warmup_warm_restarts", {"kind": "warmup", "iters": 4, "then": {"kind": "warm_restarts", "t_0": 3,
                                                                            "t_mult": 2, "eta_min": 0.001}}, q, 30),
        sequence("warmup_constant_lr", {"kind": "warmup", "iters": 3, "then": {"kind": "constant_lr", "factor": 0.5,
                                                                          "total_iters": 4}}, q, 12),
        sequence("warmup_linear", {"kind": "warmup", "iters": 3, "then": {"kind": "linear", "start_factor": 0.8,
                                                                     "end_factor": 0.2, "total_iters": 5}}, q, 12),
        sequence("warmup_polynomial", {"kind": "warmup", "iters": 6, "then": {"kind": "polynomial", "total_iters": 9,
                                                                         "power": 1.5}}, q, 20),
        sequence("warmup_one_iteration", {"kind": "warmup", "iters": 1, "then": {"kind": "exponential", "gamma": 0.8}}, q, 6),
        # ReduceLROnPlateau on a made-up cost sequence: reductions, cooldown, the threshold,
        # the min_lr floor and the eps rule.
        sequence("plateau_default", {"kind": "plateau"}, q, 60, plateau_costs()),
        sequence("plateau_patience_2", {"kind": "plateau", "factor": 0.5, "patience": 2, "threshold": 1e-3,
                                        "cooldown": 0, "min_lr": 0.0}, q, 60, plateau_costs()),
        sequence("plateau_cooldown", {"kind": "plateau", "factor": 0.3, "patience": 1, "threshold": 1e-4,
                                      "cooldown": 3, "min_lr": 0.0}, q, 60, plateau_costs()),
        sequence("plateau_min_lr", {"kind": "plateau", "factor": 0.5, "patience": 0, "threshold": 0.0,
                                    "cooldown": 1, "min_lr": 0.005}, q, 60, plateau_costs()),
        sequence("plateau_eps", {"kind": "plateau", "factor": 0.5, "patience": 0, "threshold": 0.01,
                                 "cooldown": 0, "min_lr": 0.0}, 3e-8, 60, plateau_costs()),
    ]
    B, R = "bowl", "rosenbrock"
    runs = [
        run("sgd_plateau_rosenbrock", R, {"kind": "plateau", "factor": 0.5, "patience": 2, "threshold": 0.01,
                                          "cooldown": 2, "min_lr": 0.0}, 0.002, (-1.5, 2.0), 100),
        run("sgd_plateau_two_groups_rosenbrock", R, {"kind": "plateau", "factor": 0.5, "patience": 1,
                                                     "threshold": 0.01, "cooldown": 0, "min_lr": 0.0002},
            0.002, (-1.5, 2.0), 60, lr_b=0.0005),
        run("sgd_one_cycle_bowl", B, {"kind": "one_cycle", "max_lr": 0.09, "total_steps": 60}, 0.05, (3.0, 1.0), 60),
        run("sgd_one_cycle_linear_bowl", B, {"kind": "one_cycle", "max_lr": 0.08, "total_steps": 40, "pct_start": 0.2,
                                             "anneal_strategy": "linear", "three_phase": True}, 0.05, (3.0, 1.0), 40),
        run("sgd_cyclic_bowl", B, {"kind": "cyclic", "base_lr": 0.01, "max_lr": 0.09, "step_size_up": 5,
                                   "mode": "triangular2"}, 0.05, (3.0, 1.0), 50),
        run("sgd_warmup_cosine_bowl", B, {"kind": "warmup", "iters": 10,
                                          "then": {"kind": "cosine", "t_max": 40, "eta_min": 0.0}},
            0.09, (3.0, 1.0), 50),
    ]
    json.dump({"torch_version": torch.__version__, "sequences": seq, "runs": runs}, sys.stdout, indent=None)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
