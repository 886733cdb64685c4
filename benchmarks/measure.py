"""Running a process and measuring it: wall time and resident memory.

Memory is sampled from outside, every ``SAMPLE_SECONDS``, over the whole
process tree (the process and every descendant, such as a render's FFmpeg
children). Three figures come from the samples: the peak of the tree's
summed RSS, the same for PSS, and the peak RSS of any single process in it.
RSS counts a page every process maps in full for each of them, so the
summed RSS of a render and its FFmpeg children counts the 30 MB FFmpeg
binary once per process; PSS shares such pages out between the processes
that map them, so the summed PSS is what the tree really occupies. Linux
alone reports PSS; elsewhere the RSS stands in for it. Sampling can miss a spike
shorter than its interval, so the kernel's exact high-water mark
(``ru_maxrss``) is kept beside them where the platform has it. It covers
the process and the children it waited for, and, since a child starts as a
copy of its parent, it is never below the parent's own mark at the time.
CPU time (user + system) of the whole tree comes from the same place; it
is far less disturbed than wall time by other work on the machine.
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
from typing import Any

import psutil

SAMPLE_SECONDS = 0.05
MB = 1024 * 1024


class BenchmarkError(Exception):
    """A measured process failed; the message carries the end of its log."""


@dataclass(frozen=True)
class Measurement:
    wall_s: float  # from start to exit, as seen from outside
    cpu_s: float | None  # user + system time of the whole tree; None if unknown
    peak_tree_mb: float  # the highest sum of RSS over the process tree
    peak_tree_pss_mb: float  # the highest sum of PSS over it (shared pages once)
    peak_single_mb: float  # the highest RSS of any one process in the tree
    peak_root_mb: float  # the highest RSS of the process itself
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
        self.peak_tree_pss = 0
        self.peak_single = 0
        self.peak_root = 0
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
        readings = [_memory(process) for process in self._tree()]
        sizes = [rss for rss, _ in readings]
        if sizes:
            self.peak_root = max(self.peak_root, sizes[0])
        self.peak_tree = max(self.peak_tree, sum(sizes))
        self.peak_tree_pss = max(self.peak_tree_pss, sum(pss for _, pss in readings))
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
            code, usage = _wait(process)
        wall = time.perf_counter() - started
        if code != 0:
            errors.seek(0)
            tail = errors.read().decode("utf-8", "replace")[-1500:]
            raise BenchmarkError(f"{command[0]} exited with {code}:\n{tail}")
    return Measurement(
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime if usage else None,
        peak_tree_mb=sampler.peak_tree / MB,
        peak_tree_pss_mb=sampler.peak_tree_pss / MB,
        peak_single_mb=sampler.peak_single / MB,
        peak_root_mb=sampler.peak_root / MB,
        max_rss_mb=max_rss_mb(usage.ru_maxrss) if usage else None,
        stdout=stdout.decode("utf-8", "replace"),
    )


def max_rss_mb(kilobytes_or_bytes: int) -> float:
    """``ru_maxrss`` in MB: Linux counts kilobytes, macOS bytes."""
    if sys.platform == "darwin":
        return kilobytes_or_bytes / MB
    return kilobytes_or_bytes / 1024


def _wait(process: subprocess.Popen[bytes]) -> tuple[int, Any]:
    """Reap the process; its exit code and resource usage where knowable.

    The usage covers the process and the children it waited for, as the
    kernel counts them after the process has been reaped.
    """
    if not hasattr(os, "wait4"):
        return process.wait(), None
    _, status, usage = os.wait4(process.pid, 0)
    # Reaped here, so tell Popen the outcome it can no longer collect.
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage


def _memory(process: psutil.Process) -> tuple[int, int]:
    """RSS and PSS of ``process`` in bytes (PSS is the RSS where unknown)."""
    try:
        if sys.platform.startswith("linux"):
            full = process.memory_full_info()
            return full.rss, full.pss
        rss = process.memory_info().rss
        return rss, rss
    except psutil.Error:
        return 0, 0  # exited between listing and reading
