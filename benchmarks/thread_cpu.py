"""Where a command's CPU goes, per thread: run it, read each thread's CPU seconds from /proc, sum them by thread name.

Usage: python benchmarks/thread_cpu.py -- python -m ankle_cv.cli analyze CLIP --out DIR --no-video --force
Linux only (/proc). Sampled every 0.1 s: a thread's CPU is its last reading, so one that lives under 0.1 s is missed.
Names seen with `analyze`: drishti (MediaPipe's graph threads: the pose model, its masks and the people check),
av:h264:df0-2 (PyAV's frame-decoding threads), python (every Python thread: the tracking loop, decoding's
conversions and taps, the finishing thread, imports, the analysis, the outputs; cProfile or py-spy splits them).
CPU seconds hardly depend on the neighbours' load, so this runs on a shared machine; wall time does not.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import time
from collections import defaultdict
from pathlib import Path

POLL_S = 0.1


def thread_cpu_s(pid: int) -> dict[int, tuple[str, float]]:
    """CPU seconds (user + system) of each live thread of a process, by thread id, with the thread's name."""
    ticks = os.sysconf("SC_CLK_TCK")
    seen: dict[int, tuple[str, float]] = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return seen
    for tid in tids:
        try:
            stat = Path(f"/proc/{pid}/task/{tid}/stat").read_text()
        except OSError:
            continue  # the thread ended meanwhile
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        seen[int(tid)] = (name, (int(fields[11]) + int(fields[12])) / ticks)
    return seen


def main() -> None:
    """Run the command, then print its wall time and CPU seconds per thread name."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command to run (after --)")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    last: dict[int, tuple[str, float]] = {}
    while proc.poll() is None:
        last.update(thread_cpu_s(proc.pid))
        time.sleep(POLL_S)
    wall_s = time.perf_counter() - start
    by_name: dict[str, list[float]] = defaultdict(list)
    for name, cpu_s in last.values():
        by_name[name].append(cpu_s)
    total_s = sum(sum(v) for v in by_name.values())
    print(f"exit {proc.returncode}, wall {wall_s:.1f} s, CPU {total_s:.1f} s (threads sampled every {POLL_S} s)")
    print(f"{'CPU s':>7s} {'threads':>7s}  name")
    for name, cpus in sorted(by_name.items(), key=lambda kv: -sum(kv[1])):
        if sum(cpus) >= 0.05:
            print(f"{sum(cpus):7.2f} {len(cpus):7d}  {name}")


if __name__ == "__main__":
    main()
