#!/usr/bin/env python3
"""A synthetic workload for swarm-sim: N packages (default 1500) in merge
order, each depending on up to 4 earlier ones, 2% heavy (1 to 5.5 h of CPU,
32-way parallel, 4 to 16 GiB), 13% medium (5 to 50 min, 8-way, 1 GiB), the
rest small (20 s to 5 min, one core, 256 MiB). Seeded, so the same N and seed
give the same file. Its shape is made up, not measured: it times the
simulator and shows the scheduler's behaviour at scale; it is not a workload
to tune on.

usage: synthetic.py [N] [SEED] > workload.json
"""
import json
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1500
rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 7)
packages = []
for i in range(n):
    deps = []
    if i > 0:
        deps = [packages[j]["name"] for j in rng.sample(range(i), min(i, rng.randint(0, 4)))]
    r = rng.random()
    if r < 0.02:
        cpu, par, mem = rng.randint(3600, 20000), 32, rng.randint(4, 16) << 30
    elif r < 0.15:
        cpu, par, mem = rng.randint(300, 3000), 8, 1 << 30
    else:
        cpu, par, mem = rng.randint(20, 300), 1, 256 << 20
    packages.append({"name": f"cat{i % 40}/pkg{i}-1.0", "deps": deps, "cpuSeconds": cpu,
                     "parallelism": par, "peakMemoryBytes": mem})
json.dump({"packages": packages}, sys.stdout)
print()
