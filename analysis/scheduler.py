"""Run notebooks as their dependencies allow, each in a fresh kernel started ahead of time.

Starting a kernel (a new Python process loading ipykernel, then the notebook's libraries) takes one to
three seconds. Kernels are therefore started ahead, in the notebooks' order, as soon as every notebook
a notebook waits for has its own kernel, and each imports its notebook's modules (``analysis.warmup``)
while earlier notebooks run; the notebook is executed in it once they have *finished*. Kernels warm up
one at a time: several warming at once would take the cores from the notebook running now. Each notebook
still runs in its own new kernel: nothing passes between notebooks but the files they write.

One thread per notebook owns its kernel from start to shutdown (the kernel's sockets belong to that
thread's event loop); the caller's thread decides when each may start its kernel and when it may run.
"""

from __future__ import annotations

import os
import queue
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Sequence

# Kernels started ahead of the notebooks running, at most (each costs a process and its imports).
DEFAULT_LOOKAHEAD = 2
KERNEL_NAME = "python3"


@lru_cache(maxsize=None)
def _manager_class() -> type:
    """nbclient's kernel manager class, remembering the clients it makes so they can be closed, and
    starting its kernel through the fork server while one runs (``analysis.kernel_fork``)."""
    from jupyter_client.manager import AsyncKernelManager

    from . import kernel_fork

    class TrackedKernelManager(AsyncKernelManager):
        def client(self, **kwargs: Any) -> Any:
            made = super().client(**kwargs)
            self.__dict__.setdefault("clients_made", []).append(made)
            return made

        def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
            return kernel_fork.launch_command(super().format_kernel_cmd(extra_arguments))

    return TrackedKernelManager


def start_kernel(cwd: Path, warm_modules: Sequence[str] = (), kernel_name: str = KERNEL_NAME, name: str = "") -> Any:
    """A started ``AsyncKernelManager`` (the class nbclient uses) whose kernel imports ``warm_modules``
    first; runs on the calling thread's event loop, which must also run the notebook. ``name``: the
    notebook, which a forked kernel takes as its process name."""
    from jupyter_core.utils import ensure_event_loop

    from . import kernel_fork

    km = _manager_class()(kernel_name=kernel_name)
    # What nbclient passes when it starts the kernel itself: history in memory (no shared sqlite file).
    args = ["--HistoryManager.hist_file=:memory:"]
    env = dict(os.environ)
    if warm_modules:
        names = ",".join(m for m in warm_modules if "," not in m and "'" not in m)
        args.append(f"--IPKernelApp.exec_lines=__import__('analysis.warmup').warmup.import_modules('{names}')")
        env[kernel_fork.WARM_ENV] = names  # a fork server forks the kernel once it has imported them
    if name:
        env[kernel_fork.NAME_ENV] = name
    ensure_event_loop().run_until_complete(km.start_kernel(cwd=str(cwd), extra_arguments=args, env=env))
    return km


def wait_until_warm(km: Any, timeout: float = 120) -> None:
    """Return once the kernel answers, which it does only after its warm-up imports (run at start-up)."""
    from jupyter_core.utils import ensure_event_loop

    client = km.client()  # closed with the kernel (``stop_kernel``)
    client.start_channels()
    ensure_event_loop().run_until_complete(client.wait_for_ready(timeout=timeout))


def stop_kernel(km: Any) -> None:
    """Shut the kernel down (politely, as nbclient does) on the calling thread's event loop."""
    from jupyter_core.utils import ensure_event_loop

    for client in getattr(km, "clients_made", []):
        client.stop_channels()  # nbclient leaves them open on a kernel it did not start
    try:
        ensure_event_loop().run_until_complete(km.shutdown_kernel(now=False))
    except Exception:  # noqa: BLE001 - a kernel that is already gone needs nothing more
        pass


@dataclass(eq=False)
class _Job:
    """One notebook: its thread, its kernel's state and its result or error."""

    name: str
    path: Path
    needs: set[str]
    warm: list[str]
    may_start_kernel: threading.Event = field(default_factory=threading.Event)
    warmed: bool = False
    may_run: threading.Event = field(default_factory=threading.Event)
    cancelled: bool = False
    result: Any = None
    error: BaseException | None = None
    thread: threading.Thread | None = None

    def work(self, execute: Callable[[Path, Any], Any], finished: queue.Queue) -> None:
        km = None
        try:
            self.may_start_kernel.wait()
            if self.cancelled:
                return
            km = start_kernel(self.path.parent, self.warm, name=self.name)
            try:
                wait_until_warm(km)
            except Exception:  # noqa: BLE001 - a kernel that does not answer fails its notebook's run
                pass
            finished.put(("warm", self))
            self.may_run.wait()
            if self.cancelled:
                return
            self.result = execute(self.path, km)
        except BaseException as exc:  # noqa: BLE001 - handed to the scheduling thread
            self.error = exc
        finally:
            if not self.cancelled:
                finished.put(("done", self))  # dependants may start before this kernel is gone
            if km is not None:
                stop_kernel(km)


def run_graph(notebooks: Sequence[Path], needs: dict[Path, set[str]], execute: Callable[[Path, Any], Any],
              jobs: int = 2, lookahead: int = DEFAULT_LOOKAHEAD, warm: dict[Path, list[str]] | None = None,
              warm_at_once: int = 2,
              on_start: Callable[[str], None] | None = None,
              on_finish: Callable[[Any], None] | None = None) -> list[Any]:
    """``execute(path, kernel_manager)`` for every notebook, at most ``jobs`` at a time, each once the
    notebooks named (by their two-digit prefix) in ``needs[path]`` have finished.

    ``on_finish(result)`` runs on this thread after each notebook and may raise to stop the run. The
    first error stops new notebooks; those already running finish, and every error raised is re-raised
    (``combine`` them: the caller's exception type with the messages joined). Results in finishing order.
    """
    name = {p: p.name[:2] for p in notebooks}
    all_jobs = [_Job(name[p], p, set(needs[p]), list((warm or {}).get(p, []))) for p in notebooks]
    finished: queue.Queue[tuple[str, _Job]] = queue.Queue()
    for job in all_jobs:
        job.thread = threading.Thread(target=job.work, args=(execute, finished), daemon=True,
                                      name=f"notebook-{job.name}")
        job.thread.start()
    launched: set[str] = set()
    running: set[str] = set()
    done: set[str] = set()
    results: list[Any] = []
    errors: list[BaseException] = []
    try:
        while len(done) < len(all_jobs):
            if not errors:
                for job in all_jobs:
                    alive = len(launched - done)
                    warming = sum(j.name in launched and not j.warmed and j.name not in done for j in all_jobs)
                    if (job.name not in launched and job.needs <= launched and warming < max(1, warm_at_once)
                            and alive < max(1, jobs) + lookahead):
                        launched.add(job.name)
                        job.may_start_kernel.set()
                for job in all_jobs:
                    if job.name in launched and job.name not in running | done and job.needs <= done \
                            and len(running) < max(1, jobs):
                        running.add(job.name)
                        if on_start:
                            on_start(job.path.stem)
                        job.may_run.set()
            if not running:
                if errors:
                    break
                waiting = [j.path.name for j in all_jobs if j.name not in done]
                raise RuntimeError(f"notebook dependencies cannot be met: {waiting}")
            event, job = finished.get()
            if event == "warm":
                job.warmed = True
                continue
            running.discard(job.name)
            done.add(job.name)
            if job.error is not None:
                errors.append(job.error)
                continue
            results.append(job.result)
            if on_finish and not errors:
                try:
                    on_finish(job.result)
                except BaseException as exc:  # noqa: BLE001 - stops the run like a failed notebook
                    errors.append(exc)
        if errors:
            raise _combined(errors)
        return results
    finally:
        for job in all_jobs:
            if job.name not in done:
                job.cancelled = True
            job.may_start_kernel.set()
            job.may_run.set()
        for job in all_jobs:
            if job.name in running:
                continue  # still executing after an interrupt: its daemon thread ends with the process
            job.thread.join(timeout=30)


def _combined(errors: list[BaseException]) -> BaseException:
    """One exception for several: the first's type with every message, one per line."""
    if len(errors) == 1:
        return errors[0]
    first = errors[0]
    try:
        return type(first)("\n".join(str(e) for e in errors))
    except TypeError:
        return first
