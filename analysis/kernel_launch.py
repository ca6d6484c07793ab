"""Start one kernel through the fork server (``analysis.kernel_fork``), or the ordinary way.

Run by jupyter_client in place of the kernel command (``python -S kernel_launch.py SOCKET -- CMD…``).
It hands the command, its folder, its environment and its standard streams to the fork server, which
forks a kernel from its warmed-up process; this small process then stands for that kernel: it forwards
the signals it gets (interrupt, terminate) and exits with the kernel's exit code. When the server cannot
be reached or refuses, it executes CMD itself, so a kernel always starts.

Standard library only, and not imported as part of the package: it starts in a few milliseconds.
"""

import json
import os
import signal
import socket
import struct
import sys

FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2)


def _ask_server(path: str, cmd: list) -> "tuple[socket.socket, int] | None":
    """Connect, send the request with fds 0-2; the server's socket and the kernel's pid, or None."""
    try:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(path)
        payload = json.dumps({"argv": cmd, "cwd": os.getcwd(), "env": dict(os.environ)}).encode()
        socket.send_fds(sock, [struct.pack("!Q", len(payload)) + payload], [0, 1, 2])
        reply = json.loads(_read_line(sock) or "{}")
    except (OSError, ValueError):
        return None
    if not isinstance(reply.get("pid"), int):
        sock.close()
        return None
    return sock, reply["pid"]


def _read_line(sock: socket.socket) -> str:
    data = b""
    while not data.endswith(b"\n"):
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.decode()


def main(argv: list) -> int:
    if len(argv) < 4 or argv[2] != "--":
        sys.stderr.write("usage: kernel_launch.py SOCKET -- KERNEL_COMMAND...\n")
        return 2
    path, cmd = argv[1], argv[3:]
    answer = _ask_server(path, cmd)
    if answer is None:
        os.execv(cmd[0], cmd)  # no server: start the kernel the ordinary way (does not return)
    sock, pid = answer

    def forward(signum: int, _frame: object) -> None:
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass

    for signum in FORWARDED:
        signal.signal(signum, forward)
    # The server writes the kernel's exit code when it ends; if this process is killed instead, the
    # server sees the connection close and kills the kernel.
    try:
        reply = json.loads(_read_line(sock) or "{}")
    except ValueError:
        reply = {}
    code = reply.get("exit")
    return code if isinstance(code, int) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
