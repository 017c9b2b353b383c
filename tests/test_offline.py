"""No run contacts the network: real `analyze` and `live` runs traced with strace, and the seccomp layer itself.

MediaPipe's native usage logger posts to play.googleapis.com from every landmarker unless stopped
(ankle_cv/offline.py says how). strace records every socket call of the process and its threads; any
connect()/sendto()/sendmsg()/sendmmsg() naming an AF_INET or AF_INET6 address fails the test.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, SAMPLES

CLIP = SAMPLES / "k2w_right_synthetic.mp4"
IP_TRAFFIC = re.compile(r"\b(connect|sendto|sendmsg|sendmmsg)\(.*sa_family=AF_INET6?\b")
DNS_NAME = re.compile(r"googleapis|\\4play")


def _strace_usable(tmp_path: Path) -> str:
    """The strace binary when it can trace here (skip with the reason otherwise)."""
    strace = shutil.which("strace")
    if strace is None:
        pytest.skip("strace is not installed (.ci/run installs it with apt-get): the network trace cannot run")
    probe = subprocess.run([strace, "-f", "-o", str(tmp_path / "probe.txt"), "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"strace cannot trace in this environment: {probe.stderr.strip()[:200]}")
    return strace


def _traced(strace: str, trace: Path, args: list[str], timeout: float = 300) -> subprocess.CompletedProcess:
    """Run `python -m ankle_cv.cli ARGS` under strace -f (all threads), socket calls only."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    cmd = [strace, "-f", "-e", "trace=network", "-o", str(trace), sys.executable, "-m", "ankle_cv.cli", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, cwd=str(trace.parent))


def _ip_traffic(trace: Path) -> list[str]:
    """Trace lines that reach for an IP address or look Google's name up."""
    lines = trace.read_text(errors="replace").splitlines()
    return [line for line in lines if IP_TRAFFIC.search(line) or DNS_NAME.search(line)]


@pytest.mark.video
def test_analyze_makes_no_network_connection(tmp_path: Path) -> None:
    strace = _strace_usable(tmp_path)
    trace = tmp_path / "analyze.strace"
    proc = _traced(strace, trace, ["analyze", str(CLIP), "--out", str(tmp_path / "out"), "--json-only"])
    assert proc.returncode == 0, proc.stderr
    assert "socket(" in trace.read_text(), "the trace holds no socket call at all: strace did not follow the run"
    assert _ip_traffic(trace) == []


@pytest.mark.video
def test_live_makes_no_network_connection(tmp_path: Path) -> None:
    strace = _strace_usable(tmp_path)
    trace = tmp_path / "live.strace"
    proc = _traced(strace, trace, ["live", "--camera", str(CLIP), "--headless", "--out", str(tmp_path / "live")])
    assert proc.returncode in (0, 3), proc.stderr
    assert (tmp_path / "live" / "result.json").is_file()
    assert _ip_traffic(trace) == []


@pytest.mark.video
def test_landmarker_alone_sends_nothing_without_the_seccomp_layer(tmp_path: Path) -> None:
    """The proxy environment by itself stops the upload (library use, where no seccomp filter is installed)."""
    strace = _strace_usable(tmp_path)
    script = tmp_path / "pose_only.py"
    script.write_text(
        "import numpy as np\n"
        "from ankle_cv.pose.landmarker import PoseTracker\n"
        "from ankle_cv.offline import ip_sockets_blocked\n"
        "assert not ip_sockets_blocked()\n"
        "with PoseTracker('lite', count_people=False, masks=False) as t:\n"
        "    for i in range(3):\n"
        "        t.process(np.zeros((128, 128, 3), np.uint8), i / 10)\n"
    )
    trace = tmp_path / "pose.strace"
    env = dict(os.environ, PYTHONPATH=str(REPO), NO_PROXY="*")  # a user's NO_PROXY must not reopen the door
    proc = subprocess.run([strace, "-f", "-e", "trace=network", "-o", str(trace), sys.executable, str(script)],
                          capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr
    assert _ip_traffic(trace) == []


def test_seccomp_layer_refuses_ip_sockets_in_a_child() -> None:
    """The entry point's filter: IP sockets fail with EACCES on every thread; Unix sockets still work."""
    code = (
        "import socket, threading, sys\n"
        "from ankle_cv.offline import forbid_ip_sockets\n"
        "if not forbid_ip_sockets():\n"
        "    print('unavailable'); sys.exit(0)\n"
        "socket.socket(socket.AF_UNIX).close()\n"
        "errors = []\n"
        "def attempt(family):\n"
        "    try:\n"
        "        socket.socket(family, socket.SOCK_DGRAM)\n"
        "    except PermissionError:\n"
        "        errors.append(family)\n"
        "threads = [threading.Thread(target=attempt, args=(f,)) for f in (socket.AF_INET, socket.AF_INET6)]\n"
        "[t.start() for t in threads]; [t.join() for t in threads]\n"
        "print('blocked' if len(errors) == 2 else 'open')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, PYTHONPATH=str(REPO)))
    assert proc.returncode == 0, proc.stderr
    if proc.stdout.strip() == "unavailable":
        pytest.skip("seccomp filters are not available on this system (non-Linux or refused)")
    assert proc.stdout.strip() == "blocked"
