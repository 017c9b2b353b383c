"""Keep every run off the network: MediaPipe's native usage logging would otherwise contact Google.

MediaPipe 1.2's native library (libmediapipe.so) creates a usage logger with every task
(`TaskRunner::Create` -> `CreateTasksLogger`, unconditionally; no option, flag or environment
variable turns it off) that posts to https://play.googleapis.com/log through its built-in libcurl.
Two layers keep it from leaving the computer:

1. `offline_environment()`: libcurl honours the proxy environment variables, so the upload is
   pointed at a SOCKS proxy on a Unix socket that does not exist (`socks5h://` also stops the
   name lookup): curl fails before any DNS query or IP connection. `NO_PROXY` is cleared so that a
   user's `NO_PROXY=*` cannot bypass it. Set before any landmarker is created (import of the CLI and
   of `ankle_cv.pose`).
2. `forbid_ip_sockets()`: on Linux (x86-64, aarch64) a seccomp filter on every thread makes
   `socket(AF_INET/AF_INET6, ...)` fail with EACCES for the rest of the process and its children, so
   nothing in the process can open an IP connection even if the first layer stopped working.
   Installed by the `ankle-cv` entry point only (not by in-process test runners).
"""

from __future__ import annotations

import ctypes
import os
import platform
import struct
import sys

# A SOCKS proxy on a Unix socket path that cannot exist: connecting fails at once, without DNS.
DEAD_PROXY = "socks5h://localhost/nonexistent/ankle-cv-offline.sock"
PROXY_VARIABLES = ("https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY")
NO_PROXY_VARIABLES = ("no_proxy", "NO_PROXY")

# seccomp constants (linux/seccomp.h, linux/filter.h, linux/audit.h)
_PR_SET_NO_NEW_PRIVS = 38
_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_FILTER_FLAG_TSYNC = 1
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO_EACCES = 0x00050000 | 13
_AF_INET, _AF_INET6 = 2, 10
_BPF_LD_W_ABS = 0x20
_BPF_JEQ_K = 0x15
_BPF_JGE_K = 0x35
_BPF_RET_K = 0x06
# machine -> (audit arch, __NR_socket, __NR_seccomp)
_ARCHES = {
    "x86_64": (0xC000003E, 41, 317),
    "aarch64": (0xC00000B7, 198, 277),
}

_state = {"ip_blocked": False}


def offline_environment() -> None:
    """Point libcurl's proxy at a dead Unix socket, so MediaPipe's usage upload fails without any lookup."""
    for name in PROXY_VARIABLES:
        os.environ[name] = DEAD_PROXY
    for name in NO_PROXY_VARIABLES:
        os.environ.pop(name, None)


def _filter_program(arch: int, nr_socket: int) -> bytes:
    """BPF: deny socket(AF_INET|AF_INET6, ...) and every foreign-ABI syscall; allow the rest."""
    def op(code: int, jt: int, jf: int, k: int) -> bytes:
        return struct.pack("=HBBI", code, jt, jf, k)

    return b"".join((
        op(_BPF_LD_W_ABS, 0, 0, 4),  # seccomp_data.arch
        op(_BPF_JEQ_K, 1, 0, arch),
        op(_BPF_RET_K, 0, 0, _RET_ERRNO_EACCES),  # 32-bit or x32 calls: none are ours
        op(_BPF_LD_W_ABS, 0, 0, 0),  # seccomp_data.nr
        op(_BPF_JGE_K, 5, 0, 0x40000000),  # x32 numbers on x86-64 -> deny
        op(_BPF_JEQ_K, 0, 3, nr_socket),
        op(_BPF_LD_W_ABS, 0, 0, 16),  # args[0], low 32 bits (little-endian): the address family
        op(_BPF_JEQ_K, 2, 0, _AF_INET),
        op(_BPF_JEQ_K, 1, 0, _AF_INET6),
        op(_BPF_RET_K, 0, 0, _RET_ALLOW),
        op(_BPF_RET_K, 0, 0, _RET_ERRNO_EACCES),
    ))


def forbid_ip_sockets() -> bool:
    """Install the seccomp filter on all threads; False (and nothing changed) where it is unavailable."""
    if _state["ip_blocked"]:
        return True
    arches = _ARCHES.get(platform.machine()) if sys.platform.startswith("linux") else None
    if arches is None:
        return False
    arch, nr_socket, nr_seccomp = arches
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    program = _filter_program(arch, nr_socket)
    buffer = ctypes.create_string_buffer(program, len(program))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    fprog = SockFprog(len(program) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    libc.syscall.restype = ctypes.c_long
    done = libc.syscall(ctypes.c_long(nr_seccomp), ctypes.c_long(_SECCOMP_SET_MODE_FILTER),
                        ctypes.c_long(_SECCOMP_FILTER_FLAG_TSYNC), ctypes.byref(fprog))
    _state["ip_blocked"] = done == 0
    return _state["ip_blocked"]


def display_over_tcp() -> bool:
    """An X display on another host (ssh -X: "localhost:10.0") is reached over TCP: the window needs IP sockets."""
    host = os.environ.get("DISPLAY", "").partition(":")[0]
    return host not in ("", "unix") and not host.startswith("/")


def ip_sockets_blocked() -> bool:
    """Whether this process installed the filter (for messages and tests)."""
    return _state["ip_blocked"]
