"""Kernels forked from one warmed-up process instead of each starting Python afresh.

Every notebook runs in its own kernel. Started the ordinary way, each kernel is a new Python process that
imports ipykernel, pandas, matplotlib, the package, and loads the tokenizer and the CJK font: one to two
CPU-seconds per notebook, on a two-core machine most of a small pipeline's time. The fork server imports
all of that once; a kernel is then a ``fork()`` of it, which shares those pages and starts in tenths of a
second. Each notebook still gets a new process and an empty namespace: what is shared is only what a
fresh kernel would have imported anyway, in the state importing leaves it.

How it fits jupyter_client: the kernel command becomes ``python -S kernel_launch.py SOCKET -- CMD…``
(``launch_command``). That tiny process sends CMD, its folder, environment and standard streams to the
server, which forks the kernel and reports its exit; the launcher forwards signals to it and exits with
its code, so jupyter_client sees an ordinary kernel process. If the server is missing or refuses (a
command that is not ``python -m ipykernel_launcher`` of this interpreter), the launcher runs CMD itself.

A request is forked as soon as the server has imported what that kernel warms up with (named in its
environment, ``WARM_ENV``), so the first notebook waits only for its own modules. Ahead of any request the
server imports only what every kernel needs (``BASE_MODULES``, and ``modules`` if given): a forked kernel's
resident memory counts every page it inherits, so each should inherit little more than its own imports.
It stops when the process that started it closes its standard input (or dies), killing its kernels.
Only on Linux (fork with imported libraries is unsafe on macOS); ``GWR_FORK_KERNELS=0`` turns it off.
"""

from __future__ import annotations

import builtins
import collections
import contextlib
import gc
import json
import os
import selectors
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Iterator, Sequence

LAUNCHER = Path(__file__).with_name("kernel_launch.py")
_KERNEL_MODULE = "ipykernel_launcher"
# What every kernel imports before running a cell, imported first so that the earliest forks have it.
BASE_MODULES = ("ipykernel.kernelapp", "ipykernel.ipkernel", "IPython.core.completer", "jupyter_client.session")

# The modules a kernel warms up with (comma-separated ``analysis.warmup`` names), in its environment: the
# server forks it once they are imported.
WARM_ENV = "GWR_WARM_MODULES"
NAME_ENV = "GWR_KERNEL_NAME"  # a forked kernel takes this as its process name (ps, top: which notebook it runs)

_active_socket: str | None = None


def enabled() -> bool:
    """Whether kernels may be forked here: Linux, and not turned off with ``GWR_FORK_KERNELS=0``."""
    return sys.platform.startswith("linux") and os.environ.get("GWR_FORK_KERNELS", "1") != "0"


def launch_command(cmd: list[str]) -> list[str]:
    """The kernel command to give jupyter_client: through the fork server while one runs, else ``cmd``."""
    if _active_socket is None:
        return cmd
    return [sys.executable, "-S", str(LAUNCHER), _active_socket, "--", *cmd]


@contextlib.contextmanager
def fork_server(modules: Sequence[str] = ()) -> Iterator[str | None]:
    """Run a fork server that imports ``modules`` (``analysis.warmup`` names) while the block runs; kernels
    started meanwhile with ``launch_command`` are forked from it. Yields its socket path (None when
    forking is not enabled). Its messages go to this process's file descriptor 2."""
    global _active_socket
    if not enabled() or _active_socket is not None:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="gwr-fork-") as tmp:
        path = str(Path(tmp) / "kernels.sock")
        server = subprocess.Popen([sys.executable, "-m", "analysis.kernel_fork", path, ",".join(modules)],
                                  stdin=subprocess.PIPE, start_new_session=True)
        try:
            _wait_for_socket(path, server)
            _active_socket = path
            yield path
        finally:
            _active_socket = None
            server.stdin.close()  # the server's signal to stop
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_for_socket(path: str, server: subprocess.Popen, seconds: float = 30) -> None:
    """Until the server listens (a few hundredths of a second): a kernel asked for earlier would start
    the ordinary way. A server that died or never listens leaves kernels to start the ordinary way."""
    deadline = time.monotonic() + seconds
    while not os.path.exists(path) and server.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)


# ---------------------------------------------------------------- the server process


class _Server:
    def __init__(self, path: str):
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(path + ".new")
        self.listener.listen(32)
        os.rename(path + ".new", path)  # the path appears only once connections are accepted
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.listener, selectors.EVENT_READ, ("accept",))
        self.selector.register(sys.stdin, selectors.EVENT_READ, ("parent",))
        self.kernels: dict[int, tuple[socket.socket, int]] = {}  # pid → (launcher connection, pidfd)
        self.pending: collections.deque = collections.deque()  # requests not yet forked, in arrival order
        self.stopping = False

    def poll(self, timeout: float | None) -> None:
        for key, _ in self.selector.select(timeout):
            kind, *rest = key.data
            if kind == "accept":
                self._accept()
            elif kind == "parent":
                if not os.read(sys.stdin.fileno(), 1024):
                    self.stopping = True
            elif kind == "exited":
                self._reap(*rest)
            elif kind == "launcher":
                self._launcher_readable(key.fileobj, *rest)

    def _accept(self) -> None:
        """Read a launcher's request and queue it (refused at once when it is not a kernel of ours)."""
        try:
            conn, _ = self.listener.accept()
        except BlockingIOError:
            return
        try:
            request, fds = self._read_request(conn)
        except (OSError, ValueError) as exc:
            print(f"kernel fork server: bad request: {exc}", file=sys.stderr)
            conn.close()
            return
        argv = request.get("argv") or []
        if argv[:3] != [sys.executable, "-m", _KERNEL_MODULE] or len(fds) != 3:
            self._send(conn, {"refused": "not this interpreter's ipykernel_launcher"})
            for fd in fds:
                os.close(fd)
            conn.close()
            return
        self.pending.append((conn, fds, request))

    def fork_kernel(self, conn: socket.socket, fds: list[int], request: dict) -> None:
        """Fork the requested kernel from this process as it is now."""
        sys.stdout.flush()
        sys.stderr.flush()
        # Objects imported so far are left out of the kernel's garbage collections, which would otherwise
        # touch (and so copy) every shared page holding them.
        gc.freeze()
        pid = os.fork()
        if pid == 0:
            self._become_kernel(conn, fds, request)  # does not return
        for fd in fds:
            os.close(fd)
        pidfd = os.pidfd_open(pid)
        self.kernels[pid] = (conn, pidfd)
        self.selector.register(pidfd, selectors.EVENT_READ, ("exited", pid))
        self.selector.register(conn, selectors.EVENT_READ, ("launcher", pid))
        self._send(conn, {"pid": pid})

    @staticmethod
    def _read_request(conn: socket.socket) -> tuple[dict, list[int]]:
        conn.settimeout(10)
        data, fds, _, _ = socket.recv_fds(conn, 1 << 16, 3)
        if len(data) < 8:
            raise ValueError("short request")
        size = struct.unpack("!Q", data[:8])[0]
        data = data[8:]
        while len(data) < size:
            chunk = conn.recv(min(1 << 20, size - len(data)))
            if not chunk:
                raise ValueError("request cut short")
            data += chunk
        return json.loads(data.decode()), list(fds)

    @staticmethod
    def _send(conn: socket.socket, message: dict) -> None:
        try:
            conn.sendall((json.dumps(message) + "\n").encode())
        except OSError:
            pass  # the launcher is gone; its kernel is killed when its connection is seen closed

    def _become_kernel(self, conn: socket.socket, fds: list[int], request: dict) -> None:
        """In the forked child: take the launcher's streams, folder and environment, run the kernel, exit."""
        code = 1
        try:
            self.selector.close()
            self.listener.close()
            conn.close()
            for other, pidfd in self.kernels.values():
                other.close()
                os.close(pidfd)
            for other, other_fds, _ in self.pending:  # requests still waiting belong to the server
                other.close()
                for fd in other_fds:
                    os.close(fd)
            for target, fd in enumerate(fds):
                os.dup2(fd, target)
            for fd in fds:
                if fd > 2:
                    os.close(fd)
            for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD, signal.SIGHUP):
                signal.signal(signum, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            os.chdir(request.get("cwd") or os.getcwd())
            os.environ.clear()
            os.environ.update(request.get("env") or {})
            if os.environ.get(NAME_ENV):
                with contextlib.suppress(OSError):  # Linux keeps 15 bytes of it
                    Path("/proc/self/comm").write_bytes(os.environ[NAME_ENV].encode()[:15])
            if getattr(builtins, "get_ipython", None) is _KernelShellStandIn:  # forked during the warm-up
                del builtins.get_ipython
            import random

            random.seed()  # as a new process would be seeded
            # As ``python -m ipykernel_launcher ARGS`` would run it.
            argv = request["argv"][3:]
            if os.environ.get("JPY_PARENT_PID"):  # read when ipykernel was imported, before the fork
                argv.append(f"--IPKernelApp.parent_handle={os.environ['JPY_PARENT_PID']}")
            sys.argv = [_KERNEL_MODULE, *argv]
            sys.path[0] = os.getcwd()
            import runpy

            runpy.run_module(_KERNEL_MODULE, run_name="__main__", alter_sys=True)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:  # noqa: BLE001 - reported on the kernel's stderr, then the child exits
            traceback.print_exc()
        finally:
            with contextlib.suppress(Exception):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(code)

    def _reap(self, pid: int) -> None:
        conn, pidfd = self.kernels.pop(pid)
        _, status = os.waitpid(pid, 0)
        self.selector.unregister(pidfd)
        os.close(pidfd)
        with contextlib.suppress(KeyError):  # already unregistered when the launcher went first
            self.selector.unregister(conn)
        code = os.waitstatus_to_exitcode(status)
        self._send(conn, {"exit": code if code >= 0 else 128 - code})
        conn.close()

    def _launcher_readable(self, conn: socket.socket, pid: int) -> None:
        try:
            gone = not conn.recv(1024)
        except OSError:
            gone = True
        if gone:  # the launcher was killed: so is its kernel (reaped when its pidfd reports)
            self.selector.unregister(conn)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def stop(self) -> None:
        for pid in list(self.kernels):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        for pid in list(self.kernels):
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        self.listener.close()


def serve(path: str, modules: Sequence[str]) -> None:
    """The server's main loop. A request is forked once the modules its kernel warms up with (its
    ``WARM_ENV`` variable) are imported here; while none waits, ``BASE_MODULES`` then ``modules`` are
    imported one at a time."""
    from . import warmup

    # ipykernel sets this before the notebook imports matplotlib; matplotlib reads it when imported.
    if not os.environ.get("MPLBACKEND"):
        os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    server = _Server(path)
    ahead = list(dict.fromkeys([*BASE_MODULES, *modules]))
    done: set[str] = set()

    def load(name: str) -> None:
        if name not in done:
            warmup.import_modules(name)
            done.add(name)

    # Some libraries look at import time for the kernel they run in (pandas: no IPython means a terminal,
    # so DataFrames print as wide as the terminal); they are about to run in one.
    builtins.get_ipython = _KernelShellStandIn
    try:
        while not server.stopping:
            server.poll(0 if server.pending or ahead else None)
            if server.stopping:
                break
            if server.pending:
                conn, fds, request = server.pending.popleft()
                wanted = (request.get("env") or {}).get(WARM_ENV, "")
                for name in [*BASE_MODULES, *filter(None, wanted.split(","))]:
                    load(name)
                server.fork_kernel(conn, fds, request)
            elif ahead:
                load(ahead.pop(0))
    finally:
        builtins.__dict__.pop("get_ipython", None)
        server.stop()


class _KernelShell:
    """What ``get_ipython()`` is inside a kernel, as far as an import-time check looks: a shell with a kernel."""

    kernel = True


def _KernelShellStandIn() -> _KernelShell:  # noqa: N802 - stands in for IPython's get_ipython
    return _KernelShell()


if __name__ == "__main__":
    serve(sys.argv[1], [m for m in sys.argv[2].split(",") if m] if len(sys.argv) > 2 else [])
