"""Running a process and measuring it: wall time and resident memory.

Memory is sampled from outside, every ``SAMPLE_SECONDS``, over the whole
process tree (the process and every descendant, such as a render's FFmpeg
children). Two figures come from the samples: the peak of the tree's summed
RSS, and the peak RSS of any single process in it. Sampling can miss a spike
shorter than its interval, so the kernel's exact high-water mark of the
process (``wait4``'s ``ru_maxrss``, which also covers its waited-for
children) is reported beside them where the platform has it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

SAMPLE_SECONDS = 0.05
MB = 1024 * 1024


class BenchmarkError(Exception):
    """A measured process failed; the message carries the end of its log."""


@dataclass(frozen=True)
class Measurement:
    wall_s: float  # from start to exit, as seen from outside
    peak_tree_mb: float  # the highest sum of RSS over the process tree
    peak_single_mb: float  # the highest RSS of any one process in the tree
    max_rss_mb: float | None  # the kernel's high-water mark; None if unknown
    stdout: str


class TreeSampler:
    """Samples the RSS of a process and its descendants on a thread."""

    def __init__(self, pid: int, interval: float = SAMPLE_SECONDS) -> None:
        self._root = psutil.Process(pid)
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.peak_tree = 0  # bytes
        self.peak_single = 0
        self.samples = 0

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while True:
            self.sample()
            if self._stop.wait(self._interval):
                return

    def sample(self) -> None:
        sizes = [_rss(process) for process in self._tree()]
        self.peak_tree = max(self.peak_tree, sum(sizes))
        self.peak_single = max([self.peak_single, *sizes])
        self.samples += 1

    def _tree(self) -> list[psutil.Process]:
        try:
            return [self._root, *self._root.children(recursive=True)]
        except psutil.Error:
            return []  # the root has exited


def measure(command: Sequence[str], *, cwd: Path | None = None) -> Measurement:
    """Run ``command`` to the end while sampling its memory.

    Raises ``BenchmarkError`` with the end of its error output if it fails.
    """
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(command),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=errors,
            cwd=cwd,
        )
        with TreeSampler(process.pid) as sampler:
            stdout = process.stdout.read() if process.stdout else b""
            code, max_rss = _wait(process)
        wall = time.perf_counter() - started
        if code != 0:
            errors.seek(0)
            tail = errors.read().decode("utf-8", "replace")[-1500:]
            raise BenchmarkError(f"{command[0]} exited with {code}:\n{tail}")
    return Measurement(
        wall_s=wall,
        peak_tree_mb=sampler.peak_tree / MB,
        peak_single_mb=sampler.peak_single / MB,
        max_rss_mb=max_rss,
        stdout=stdout.decode("utf-8", "replace"),
    )


def max_rss_mb(kilobytes_or_bytes: int) -> float:
    """``ru_maxrss`` in MB: Linux counts kilobytes, macOS bytes."""
    if sys.platform == "darwin":
        return kilobytes_or_bytes / MB
    return kilobytes_or_bytes / 1024


def _wait(process: subprocess.Popen[bytes]) -> tuple[int, float | None]:
    """Reap the process; its exit code and peak RSS (MB) where knowable."""
    if not hasattr(os, "wait4"):
        return process.wait(), None
    _, status, usage = os.wait4(process.pid, 0)
    # Reaped here, so tell Popen the outcome it can no longer collect.
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, max_rss_mb(usage.ru_maxrss)


def _rss(process: psutil.Process) -> int:
    try:
        return process.memory_info().rss
    except psutil.Error:
        return 0  # exited between listing and reading
