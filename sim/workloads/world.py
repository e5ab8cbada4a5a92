#!/usr/bin/env python3
"""@world-shaped workloads for swarm-sim, the ones the scheduler is tuned and
checked on (docs/simulator.md, "The workloads").

Each profile is a dependency graph the shape of a Gentoo `emerge -uDN @world`
on one kind of machine: a few dozen named heavy packages with the build
dependencies they have in the tree (llvm before clang before rust before the
browsers, qtbase before qtdeclarative before qtwebengine, ...), and about
1,400 small and medium packages in layers (libraries that later libraries
and applications build against). Packages come in emerge's merge order: a
depth-first walk from the @world roots, each package after what it needs.

Where the numbers come from: the heavy packages' CPU-seconds, parallelism
and peak memory are our estimates, in the range Gentoo users report for
these packages with `qlop -t` on 8- to 32-core machines (chromium and
qtwebengine tens of CPU-hours, llvm/clang/rust several, gcc with its
bootstrap's serial stages about 7); they were not captured on one machine.
The small packages' times follow a log-normal spread (median about a
minute of one core), like the long tail of any `qlop -t` listing. Use
hack/emerge-to-workload.py to make a workload from your own
`emerge --pretend --tree` and emerge.log instead.

usage: world.py PROFILE [SEED] > workload.json
  PROFILE: kde-desktop, gnome-desktop or workstation
"""
import json
import math
import random
import sys

GI = 1 << 30
MI = 1 << 20

# name: (cpuSeconds, parallelism, peak GiB, build deps among these)
HEAVY = {
    "sys-libs/glibc-2.40-r5": (2400, 16, 2, []),
    "sys-devel/binutils-2.43-r1": (900, 16, 1, []),
    "sys-devel/gcc-14.2.1_p20241221": (25000, 12, 3, ["sys-devel/binutils-2.43-r1"]),
    "dev-lang/python-3.12.8": (2200, 6, 2, []),
    "dev-lang/python-3.13.1": (2300, 6, 2, []),
    "dev-lang/perl-5.40.0-r1": (900, 8, 1, []),
    "dev-build/cmake-3.31.3": (1800, 16, 1, []),
    "llvm-core/llvm-19.1.7": (30000, 32, 12, ["dev-build/cmake-3.31.3", "dev-lang/python-3.12.8"]),
    "llvm-core/clang-19.1.7": (35000, 32, 12, ["llvm-core/llvm-19.1.7"]),
    "llvm-core/lld-19.1.7": (3000, 32, 4, ["llvm-core/llvm-19.1.7"]),
    "dev-lang/rust-1.84.0": (42000, 16, 8, ["llvm-core/llvm-19.1.7", "dev-lang/python-3.12.8"]),
    "net-libs/nodejs-22.12.0": (14000, 16, 4, ["dev-lang/python-3.12.8"]),
    "dev-libs/boost-1.86.0-r1": (7500, 16, 3, ["dev-lang/python-3.12.8"]),
    "dev-libs/icu-76.1": (1500, 16, 1, []),
    "media-libs/mesa-24.3.3": (3600, 32, 3, ["llvm-core/llvm-19.1.7"]),
    "dev-qt/qtbase-6.8.1": (11000, 32, 4, ["dev-libs/icu-76.1"]),
    "dev-qt/qtdeclarative-6.8.1": (9000, 32, 4, ["dev-qt/qtbase-6.8.1"]),
    "dev-qt/qtwebengine-6.8.1": (140000, 32, 20,
                                 ["dev-qt/qtdeclarative-6.8.1", "net-libs/nodejs-22.12.0",
                                  "dev-libs/icu-76.1"]),
    "www-client/chromium-133.0.6943.53": (260000, 32, 24,
                                          ["llvm-core/clang-19.1.7", "llvm-core/lld-19.1.7",
                                           "dev-lang/rust-1.84.0", "net-libs/nodejs-22.12.0"]),
    "www-client/firefox-134.0.1": (90000, 32, 14,
                                   ["llvm-core/clang-19.1.7", "llvm-core/lld-19.1.7",
                                    "dev-lang/rust-1.84.0", "net-libs/nodejs-22.12.0"]),
    "mail-client/thunderbird-128.6.0": (80000, 32, 14,
                                        ["llvm-core/clang-19.1.7", "dev-lang/rust-1.84.0",
                                         "net-libs/nodejs-22.12.0"]),
    "app-office/libreoffice-24.8.4.2": (95000, 24, 10, ["dev-libs/boost-1.86.0-r1",
                                                        "dev-libs/icu-76.1"]),
    "net-libs/webkit-gtk-2.46.5": (65000, 32, 12, ["dev-libs/icu-76.1"]),
    "dev-lang/spidermonkey-128.6.0": (16000, 32, 6, ["llvm-core/clang-19.1.7",
                                                     "dev-lang/rust-1.84.0"]),
    "dev-java/openjdk-21.0.5_p11": (26000, 16, 6, []),
    "sci-libs/tensorflow-2.15.0": (120000, 32, 24, ["dev-libs/boost-1.86.0-r1",
                                                    "dev-lang/python-3.12.8"]),
    "media-video/ffmpeg-7.1": (2400, 32, 2, []),
    "kde-plasma/kwin-6.2.5": (4500, 32, 3, ["dev-qt/qtdeclarative-6.8.1"]),
    "kde-plasma/plasma-workspace-6.2.5": (5000, 32, 3, ["dev-qt/qtdeclarative-6.8.1"]),
    "gnome-base/gnome-shell-47.2": (2500, 16, 2, ["dev-lang/spidermonkey-128.6.0"]),
    "dev-util/cbindgen-0.27.0": (1200, 16, 2, ["dev-lang/rust-1.84.0"]),
}

PROFILES = {
    "kde-desktop": {
        "seed": 11, "small": 1450,
        "heavy": ["sys-libs/glibc-2.40-r5", "sys-devel/binutils-2.43-r1",
                  "sys-devel/gcc-14.2.1_p20241221", "dev-lang/python-3.12.8",
                  "dev-lang/python-3.13.1", "dev-lang/perl-5.40.0-r1", "dev-build/cmake-3.31.3",
                  "llvm-core/llvm-19.1.7", "llvm-core/clang-19.1.7", "llvm-core/lld-19.1.7",
                  "dev-lang/rust-1.84.0", "net-libs/nodejs-22.12.0", "dev-libs/boost-1.86.0-r1",
                  "dev-libs/icu-76.1", "media-libs/mesa-24.3.3", "dev-qt/qtbase-6.8.1",
                  "dev-qt/qtdeclarative-6.8.1", "dev-qt/qtwebengine-6.8.1",
                  "www-client/chromium-133.0.6943.53", "app-office/libreoffice-24.8.4.2",
                  "media-video/ffmpeg-7.1", "kde-plasma/kwin-6.2.5",
                  "kde-plasma/plasma-workspace-6.2.5"],
    },
    "gnome-desktop": {
        "seed": 23, "small": 1380,
        "heavy": ["sys-libs/glibc-2.40-r5", "sys-devel/binutils-2.43-r1",
                  "dev-lang/python-3.12.8", "dev-lang/perl-5.40.0-r1", "dev-build/cmake-3.31.3",
                  "llvm-core/llvm-19.1.7", "llvm-core/clang-19.1.7", "llvm-core/lld-19.1.7",
                  "dev-lang/rust-1.84.0", "net-libs/nodejs-22.12.0", "dev-libs/icu-76.1",
                  "media-libs/mesa-24.3.3", "net-libs/webkit-gtk-2.46.5",
                  "www-client/firefox-134.0.1", "mail-client/thunderbird-128.6.0",
                  "dev-lang/spidermonkey-128.6.0", "gnome-base/gnome-shell-47.2",
                  "dev-util/cbindgen-0.27.0", "media-video/ffmpeg-7.1",
                  "app-office/libreoffice-24.8.4.2", "dev-libs/boost-1.86.0-r1"],
    },
    "workstation": {
        "seed": 37, "small": 1550,
        "heavy": ["sys-libs/glibc-2.40-r5", "sys-devel/binutils-2.43-r1",
                  "sys-devel/gcc-14.2.1_p20241221", "dev-lang/python-3.12.8",
                  "dev-lang/perl-5.40.0-r1", "dev-build/cmake-3.31.3", "llvm-core/llvm-19.1.7",
                  "llvm-core/clang-19.1.7", "llvm-core/lld-19.1.7", "dev-lang/rust-1.84.0",
                  "net-libs/nodejs-22.12.0", "dev-libs/boost-1.86.0-r1", "dev-libs/icu-76.1",
                  "dev-java/openjdk-21.0.5_p11", "sci-libs/tensorflow-2.15.0",
                  "www-client/chromium-133.0.6943.53", "media-video/ffmpeg-7.1",
                  "media-libs/mesa-24.3.3"],
    },
}

CATEGORIES = ["dev-libs", "dev-python", "media-libs", "x11-libs", "sys-apps", "net-libs",
              "dev-perl", "app-misc", "dev-util", "kde-frameworks", "gnome-base", "x11-misc",
              "app-text", "sys-libs", "dev-cpp", "net-misc", "media-plugins", "app-arch"]


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in PROFILES:
        sys.exit("usage: world.py {" + ",".join(PROFILES) + "} [SEED] > workload.json")
    profile = PROFILES[sys.argv[1]]
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else profile["seed"])
    pkgs = {}  # name -> dict
    for name in profile["heavy"]:
        cpu, par, mem, deps = HEAVY[name]
        pkgs[name] = {"name": name, "deps": [d for d in deps if d in profile["heavy"]],
                      "cpuSeconds": cpu, "parallelism": par, "peakMemoryBytes": mem * GI}
    # Small and medium packages in six layers: each builds against a few
    # packages of earlier layers, now and then a heavy one (a Qt or Python
    # library, a Rust crate set, an LLVM user).
    heavy = list(profile["heavy"])
    layers = [[] for _ in range(6)]
    for i in range(profile["small"]):
        layer = min(5, int(rng.expovariate(0.55)))
        name = f"{rng.choice(CATEGORIES)}/pkg{i:04d}-{rng.randint(0, 9)}.{rng.randint(0, 30)}"
        r = rng.random()
        if r < 0.06:  # medium: a real library with a real build system
            cpu = round(rng.lognormvariate(math.log(900), 0.6))
            par, mem = rng.choice([8, 16, 32]), rng.choice([1, 2, 3]) * GI
        else:
            cpu = max(5, round(rng.lognormvariate(math.log(60), 1.0)))
            par = rng.choice([1, 1, 1, 2, 4])
            mem = rng.choice([128, 256, 512, 768]) * MI
        deps = []
        earlier = [p for l in layers[:layer] for p in l]
        for _ in range(rng.randint(0, 3) if earlier else 0):
            deps.append(rng.choice(earlier))
        if rng.random() < 0.08:
            deps.append(rng.choice(heavy))
        pkgs[name] = {"name": name, "deps": sorted(set(deps)), "cpuSeconds": min(cpu, 20000),
                      "parallelism": par, "peakMemoryBytes": mem}
        layers[layer].append(name)
    # A few applications (the last layer) pull in the big ones too.
    for name in layers[5][:10]:
        pkgs[name]["deps"] = sorted(set(pkgs[name]["deps"]) | {rng.choice(heavy)})

    # emerge's merge order: depth first from the @world roots, each package
    # after its dependencies; roots in the order a world file lists them.
    needed_by = {n: 0 for n in pkgs}
    for p in pkgs.values():
        for d in p["deps"]:
            needed_by[d] += 1
    roots = sorted(n for n, c in needed_by.items() if c == 0)
    order, seen = [], set()

    def visit(n):
        stack = [(n, iter(pkgs[n]["deps"]))]
        seen.add(n)
        while stack:
            node, it = stack[-1]
            for d in it:
                if d not in seen:
                    seen.add(d)
                    stack.append((d, iter(pkgs[d]["deps"])))
                    break
            else:
                stack.pop()
                order.append(node)

    for r in roots:
        if r not in seen:
            visit(r)
    json.dump({"packages": [pkgs[n] for n in order]}, sys.stdout, separators=(",", ":"))
    print()


main()
