"""Kernels forked from a warmed-up server (``analysis.kernel_fork``) behave like kernels started afresh."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis import kernel_fork, scheduler

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="kernels are forked on Linux only")


def _run(km, code: str, timeout: float = 60) -> tuple[str, dict]:
    """Execute ``code`` in the kernel; its stdout and the execute reply's content."""
    from jupyter_core.utils import ensure_event_loop

    client = km.client()
    client.start_channels()
    out: list[str] = []

    def hook(msg: dict) -> None:
        if msg["msg_type"] == "stream" and msg["content"]["name"] == "stdout":
            out.append(msg["content"]["text"])

    loop = ensure_event_loop()
    loop.run_until_complete(client.wait_for_ready(timeout=timeout))
    reply = loop.run_until_complete(client.execute_interactive(code, output_hook=hook, timeout=timeout))
    return "".join(out), reply["content"]


# What a notebook can see of how its kernel started: none of it may differ between the two ways.
PROBE = """
import json, os, sys
import pandas as pd, matplotlib
print(json.dumps({"max_columns": pd.get_option("display.max_columns"), "backend": matplotlib.get_backend(),
                  "cwd": os.getcwd(), "argv0": os.path.basename(sys.argv[0]), "path0": sys.path[0],
                  "parent_env": "JPY_PARENT_PID" in os.environ, "probe_env": os.environ.get("GWR_PROBE"),
                  "name": __name__}))
with open(f"/proc/{os.getppid()}/cmdline", "rb") as fh:
    print("forked" if b"analysis.kernel_fork" in fh.read() else "own")
"""


def _probe(tmp_path: Path, fork: bool, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("GWR_FORK_KERNELS", "1" if fork else "0")
    monkeypatch.setenv("GWR_PROBE", "seen")
    with kernel_fork.fork_server(["pandas", "matplotlib"]):
        km = scheduler.start_kernel(tmp_path)
        try:
            out, reply = _run(km, PROBE)
        finally:
            scheduler.stop_kernel(km)
    assert reply["status"] == "ok", reply
    return out.splitlines()


def test_a_forked_kernel_sees_what_a_new_one_does(tmp_path, monkeypatch):
    forked = _probe(tmp_path, True, monkeypatch)
    own = _probe(tmp_path, False, monkeypatch)
    assert forked[-1] == "forked" and own[-1] == "own"
    assert forked[0] == own[0]
    assert '"probe_env": "seen"' in forked[0] and str(tmp_path) in forked[0]


def test_an_interrupt_reaches_the_forked_kernel(tmp_path):
    from jupyter_core.utils import ensure_event_loop

    with kernel_fork.fork_server():
        km = scheduler.start_kernel(tmp_path)
        try:
            _run(km, "1")
            client = km.client()
            client.start_channels()
            loop = ensure_event_loop()
            started = time.monotonic()
            msg_id = client.execute("import time; time.sleep(60)")
            time.sleep(1.0)
            loop.run_until_complete(km.interrupt_kernel())
            reply = loop.run_until_complete(client._async_get_shell_msg(timeout=20))
            while reply["parent_header"].get("msg_id") != msg_id:
                reply = loop.run_until_complete(client._async_get_shell_msg(timeout=20))
            assert reply["content"]["status"] == "error"
            assert reply["content"]["ename"] == "KeyboardInterrupt"
            assert time.monotonic() - started < 20
        finally:
            scheduler.stop_kernel(km)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_killing_the_launcher_kills_its_kernel_and_shutdown_ends_it(tmp_path):
    with kernel_fork.fork_server():
        km = scheduler.start_kernel(tmp_path)
        out, _ = _run(km, "import os; print(os.getpid())")
        pid = int(out)
        assert pid != km.provisioner.process.pid and _alive(pid)
        km.provisioner.process.kill()  # as jupyter_client does to a kernel that will not stop
        deadline = time.monotonic() + 10
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(pid)
        scheduler.stop_kernel(km)

        km = scheduler.start_kernel(tmp_path)
        out, _ = _run(km, "import os; print(os.getpid())")
        pid = int(out)
        scheduler.stop_kernel(km)  # a polite shutdown: the kernel exits and so does its launcher
        assert km.provisioner is None or km.provisioner.process is None or km.provisioner.process.poll() == 0
        assert not _alive(pid)


def test_the_launcher_runs_other_commands_itself(tmp_path):
    launcher = str(kernel_fork.LAUNCHER)
    # No server at that address: the command runs the ordinary way.
    done = subprocess.run([sys.executable, "-S", launcher, str(tmp_path / "none.sock"), "--", "/bin/echo", "plain"],
                          capture_output=True, text=True, timeout=30)
    assert done.stdout == "plain\n"
    with kernel_fork.fork_server() as path:
        assert path is not None and os.path.exists(path) or _wait_for(path)
        # A server refuses what is not this interpreter's ipykernel_launcher: the launcher runs it.
        done = subprocess.run([sys.executable, "-S", launcher, path, "--", "/bin/echo", "refused"],
                              capture_output=True, text=True, timeout=30)
    assert done.stdout == "refused\n"


def _wait_for(path: str, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while not os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.05)
    return os.path.exists(path)


def test_turned_off_by_the_environment(monkeypatch):
    monkeypatch.setenv("GWR_FORK_KERNELS", "0")
    with kernel_fork.fork_server() as path:
        assert path is None
        assert kernel_fork.launch_command(["python", "-m", "ipykernel_launcher"]) == ["python", "-m",
                                                                                      "ipykernel_launcher"]


def test_a_forked_kernel_is_named_after_its_notebook(tmp_path):
    with kernel_fork.fork_server():
        km = scheduler.start_kernel(tmp_path, name="03_targets_vs_outcomes")
        try:
            out, _ = _run(km, "print(open('/proc/self/comm').read().strip())")
        finally:
            scheduler.stop_kernel(km)
    assert out.strip() == "03_targets_vs_o"  # 15 bytes
