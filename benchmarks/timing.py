"""Best-of-N timing shared by the stage benchmarks: wall and process CPU seconds."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def best_of(repeat: int, run: Callable[[], T]) -> tuple[float, float, T]:
    """Run ``run`` ``repeat`` times; return (best wall s, best CPU s, last result)."""
    wall = cpu = float("inf")
    result = None
    for _ in range(repeat):
        began_wall, began_cpu = time.perf_counter(), time.process_time()
        result = run()
        wall = min(wall, time.perf_counter() - began_wall)
        cpu = min(cpu, time.process_time() - began_cpu)
    return wall, cpu, result
