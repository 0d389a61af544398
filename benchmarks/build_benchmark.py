"""Time `aatd-kg build` and `aatd-kg validate` (wall time, peak memory) against a peer.

The peer is the stock `pyshacl` command validating the same Turtle dump with the same shapes,
i.e. what a user gets without our pipeline. Each command runs in a fresh process, --runs times;
medians are printed. Target: build + validate of the whole release under 5 s on 2 cores.

    python benchmarks/build_benchmark.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def measure(command: list[str]) -> tuple[float, float]:
    """Run *command*; return (wall seconds, peak resident MiB of the process)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    """Run the benchmark and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "dist"
        shapes = Path(tmp) / "shapes.ttl"
        subprocess.run([BIN / "aatd-kg", "build", "--out", out], cwd=ROOT, check=True,
                       capture_output=True)
        from aatd_kg.build.load import load_shapes
        from aatd_kg.prefixes import DEFAULT_BASE
        from aatd_kg.validate import derived_shapes

        peer_shapes = load_shapes(ROOT, DEFAULT_BASE) + derived_shapes(DEFAULT_BASE)
        peer_shapes.serialize(shapes, format="turtle")
        check = subprocess.run([BIN / "pyshacl", "-s", shapes, "-a", out / "aatd-kg.ttl"],
                               capture_output=True, text=True)
        print(f"peer check: pyshacl exit {check.returncode}: "
              f"{check.stdout.splitlines()[1] if check.stdout else check.stderr[-300:]}")
        commands = {
            "aatd-kg build": [str(BIN / "aatd-kg"), "build", "--out", str(out)],
            "aatd-kg validate": [str(BIN / "aatd-kg"), "validate", str(out)],
            "peer: pyshacl CLI": [str(BIN / "pyshacl"), "-s", str(shapes), "-a",
                                  str(out / "aatd-kg.ttl")],
        }
        results = {}
        for _ in range(args.runs):
            for name, command in commands.items():
                results.setdefault(name, []).append(measure(command))
    print(f"{'command':<22} {'median s':>9} {'min s':>7} {'peak MiB':>9}   ({args.runs} runs)")
    for name, rows in results.items():
        times = [t for t, _ in rows]
        print(f"{name:<22} {statistics.median(times):>9.2f} {min(times):>7.2f} "
              f"{max(m for _, m in rows):>9.0f}")
    total = statistics.median(t for t, _ in results["aatd-kg build"]) + statistics.median(
        t for t, _ in results["aatd-kg validate"])
    print(f"build + validate: {total:.2f} s (target < 5 s)")


if __name__ == "__main__":
    main()
