#!/usr/bin/env python3
"""The search benchmark's peer: Optuna 3.1's TPESampler and RandomSampler (defaults, seeded) on
Branin (2-D) and Hartmann-6, the same budget as scripts/bench-sweep.mjs. Prints one JSON object:
{function: {sampler: [best value found, one per seed]}}. Run by `npm run bench -- --only sweep`,
or alone: /usr/bin/python3 bench/optuna_peer.py --trials 50 --seeds 25
"""
import argparse
import json
import math
import warnings

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)
warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)


def branin(x1, x2):
    # https://www.sfu.ca/~ssurjano/branin.html; minimum 0.397887
    b = 5.1 / (4 * math.pi**2)
    c = 5 / math.pi
    t = 1 / (8 * math.pi)
    return (x2 - b * x1**2 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


ALPHA = [1.0, 1.2, 3.0, 3.2]
A = [
    [10, 3, 17, 3.5, 1.7, 8],
    [0.05, 10, 17, 0.1, 8, 14],
    [3, 3.5, 1.7, 10, 17, 8],
    [17, 8, 0.05, 10, 0.1, 14],
]
P = [
    [1312, 1696, 5569, 124, 8283, 5886],
    [2329, 4135, 8307, 3736, 1004, 9991],
    [2348, 1451, 3522, 2883, 3047, 6650],
    [4047, 8828, 8732, 5743, 1091, 381],
]


def hartmann6(x):
    # https://www.sfu.ca/~ssurjano/hart6.html; minimum −3.32237
    total = 0.0
    for i in range(4):
        inner = sum(A[i][j] * (x[j] - P[i][j] * 1e-4) ** 2 for j in range(6))
        total += ALPHA[i] * math.exp(-inner)
    return -total


FUNCTIONS = {
    "branin": lambda t: branin(t.suggest_float("x1", -5, 10), t.suggest_float("x2", 0, 15)),
    "hartmann6": lambda t: hartmann6([t.suggest_float(f"x{j}", 0, 1) for j in range(6)]),
}
SAMPLERS = {
    "tpe": lambda seed: optuna.samplers.TPESampler(seed=seed),
    "random": lambda seed: optuna.samplers.RandomSampler(seed=seed),
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--seeds", type=int, default=25)
    args = parser.parse_args()
    out = {"optuna": optuna.__version__}
    for fname, objective in FUNCTIONS.items():
        out[fname] = {}
        for sname, make in SAMPLERS.items():
            bests = []
            for seed in range(args.seeds):
                study = optuna.create_study(sampler=make(seed), direction="minimize")
                study.optimize(objective, n_trials=args.trials)
                bests.append(study.best_value)
            out[fname][sname] = bests
    print(json.dumps(out))


if __name__ == "__main__":
    main()
