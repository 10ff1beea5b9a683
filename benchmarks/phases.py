"""Running one benchmark phase in a fresh process, for its time and its own peak memory.

Shared by benchmarks/linkage.py and benchmarks/intake.py. Light on imports on purpose: a spawned
child imports this module, and anything imported here would count in every phase's peak memory.
"""

from __future__ import annotations

import multiprocessing
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any


def peak_mib() -> float:
    """This process's peak resident set size (VmHWM) in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _child(connection: Connection, target: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        start, cpu = time.perf_counter(), time.process_time()
        result = target(*args)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        connection.send(("ok", result, seconds, peak_mib(), cpu))
    except BaseException:
        connection.send(("error", traceback.format_exc(), 0.0, peak_mib(), 0.0))
    finally:
        connection.close()


@dataclass
class Phase:
    name: str
    seconds: float
    peak_mib: float
    result: Any = None
    # The child's own CPU seconds: on a machine other work shares, what the phase costs one core.
    cpu_seconds: float = 0.0


def run_phase(name: str, target: Callable[..., Any], *args: Any) -> Phase:
    """Run `target(*args)` in a fresh spawned process: its result, seconds and peak MiB."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(send, target, args))
    process.start()
    send.close()
    try:
        status, result, seconds, peak, cpu = receive.recv()
    except EOFError:
        status, result, seconds, peak, cpu = ("error", f"the child died (exit code {process.exitcode})", 0.0,
                                              0.0, 0.0)
    process.join()
    if status != "ok":
        raise RuntimeError(f"phase {name} failed:\n{result}")
    return Phase(name, seconds, peak, result=result, cpu_seconds=cpu)
