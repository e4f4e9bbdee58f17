#!/usr/bin/python3
"""NAdam reference on golden.json's objective through PyTorch 1.13's foreach path.

PyTorch 1.13 has two NAdam paths that disagree: the default single-tensor path computes
mu_product_next = mu_product * mu * mu_next (one factor too many; fixed in PyTorch 2.0), the
foreach path mu_product * mu_next, which is Dozat's formula and REFERENCE.md's. golden.json's
`nadam` case comes from the single-tensor path; this file records the foreach path, which dlx
follows. Run: /usr/bin/python3 make_nadam_foreach.py (needs Debian's python3-torch).
"""
import json, os
import torch

torch.set_default_dtype(torch.float64)
H = torch.tensor([1.0, 9.0, 0.5, 3.0])
C = torch.tensor([0.5, -1.0, 2.0, 0.0])
W0 = torch.tensor([1.0, 1.0, -1.0, 0.3])
hyper = dict(lr=0.05, betas=(0.9, 0.999), eps=1e-8, momentum_decay=0.004)

def trajectory(foreach):
    w = W0.clone().requires_grad_(True)
    opt = torch.optim.NAdam([w], foreach=foreach, **hyper)
    out = []
    for _ in range(30):
        opt.zero_grad()
        (0.5 * (H * (w - C) ** 2).sum() + 0.1 * torch.sin(w).sum()).backward()
        opt.step()
        out.append([float(v) for v in w.detach()])
    return out

here = os.path.dirname(os.path.abspath(__file__))
golden = json.load(open(os.path.join(here, "golden.json")))
single = trajectory(False)
assert max(abs(a - b) for s, g in zip(single, golden["optimizers"]["cases"]["nadam"]["trajectory"]) for a, b in zip(s, g)) < 1e-12, \
    "the single-tensor path should reproduce golden.json"
json.dump({
    "torch": torch.__version__,
    "note": __doc__.strip().split("\n\n")[1],
    "hyperparameters": {"lr": 0.05, "betas": [0.9, 0.999], "eps": 1e-8, "momentum_decay": 0.004},
    "trajectory": trajectory(True),
}, open(os.path.join(here, "nadam-foreach.json"), "w"), indent=1)
print("wrote nadam-foreach.json with torch", torch.__version__)
