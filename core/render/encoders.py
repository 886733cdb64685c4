"""How many segments are encoded at once on this machine, and with how many
threads each.

x264's frame threads wait on each other's reference rows and on the
lookahead: on two cores one encoder keeps only about 1.6 to 1.75 of them
busy, and its threads cost some 8% more CPU per frame than one thread does.
Two single-threaded encoders side by side keep both cores busy: a render of
ten 1080p segments took 26.5 s that way against 35.7 s one after the other,
on the same machine in the same minute. Each 1080p encoder holds about
280 MB, though (x264's frame pool and lookahead), so encoders at once trade
memory for time. The trade is made from the machine's cores and free memory,
or set by the user: ``REELWRIGHT_RENDER_ENCODERS=1`` is the leanest render.

Workers in several processes share a machine's encoders through
``EncoderSlots``, lock files that the operating system releases when a
process dies, so a crashed worker never keeps a slot.
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from core.errors import CancelledError
from core.locks import try_lock_file, unlock_file
from core.render.ffmpeg import CancelToken

# Four 1080p encoders are over a gigabyte; a desktop app leaves the rest of
# a big machine to the creator's other programs.
MAX_ENCODERS = 4
MEMORY_SHARE = 0.25  # of the memory free when the render starts
ENCODER_BASE_MB = 70.0  # FFmpeg, the filter graph, a still and the subtitles
ENCODER_MB_PER_MEGAPIXEL = 100.0  # x264's frames at veryfast, one thread


@dataclass(frozen=True)
class EncoderPlan:
    """Segments encoded at once, and x264 threads for each (0: x264's own
    choice, used when one encoder has the machine to itself)."""

    encoders: int = 1
    threads: int = 0


def encoder_megabytes(width: int, height: int) -> float:
    """What one segment's FFmpeg holds at its peak, about (1080p: ~280 MB)."""
    return ENCODER_BASE_MB + ENCODER_MB_PER_MEGAPIXEL * width * height / 1e6


def plan_encoders(
    width: int,
    height: int,
    *,
    wanted: int = 0,
    cores: int | None = None,
    available_mb: float | None = None,
) -> EncoderPlan:
    """The plan for frames of ``width`` x ``height`` on this machine.

    ``wanted`` > 0 is the user's choice (at most one per core); 0 lets the
    cores and a quarter of the free memory decide.
    """
    cores = cores or usable_cores()
    if wanted > 0:
        encoders = min(wanted, cores)
    else:
        free = available_memory_mb() if available_mb is None else available_mb
        by_memory = int(free * MEMORY_SHARE // encoder_megabytes(width, height))
        encoders = max(1, min(cores, MAX_ENCODERS, by_memory))
    if encoders == 1:
        return EncoderPlan(1, 0)
    return EncoderPlan(encoders, max(1, cores // encoders))


def usable_cores() -> int:
    """Cores this process may run on (a container's limit, not the host's)."""
    with contextlib.suppress(AttributeError):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def available_memory_mb() -> float:
    import psutil

    return psutil.virtual_memory().available / 2**20


class EncoderSlots:
    """At most ``count`` encoders at once on this machine, across processes.

    One lock file per slot, named after the host so that machines sharing a
    data folder keep separate counts.
    """

    POLL_SECONDS = 0.25

    def __init__(self, folder: Path, count: int, cores: int | None = None) -> None:
        self.folder = folder
        self.count = max(1, count)
        self.cores = cores or usable_cores()
        host = socket.gethostname() or "localhost"
        self._host = "".join(c if c.isalnum() or c in "-." else "_" for c in host)

    @contextlib.contextmanager
    def hold(
        self,
        cancel: CancelToken | None = None,
        on_wait: Callable[[], None] | None = None,
    ) -> Iterator[int]:
        """Wait for a free slot (or a cancel); yield its number while held.

        ``on_wait`` is called once if every slot is taken at first.
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        waited = False
        while True:
            for slot in range(self.count):
                fd = self._take(slot)
                if fd is not None:
                    try:
                        yield slot
                    finally:
                        unlock_file(fd)
                        os.close(fd)
                    return
            if on_wait is not None and not waited:
                on_wait()
            waited = True
            if cancel is None:
                time.sleep(self.POLL_SECONDS)
            elif cancel.wait(self.POLL_SECONDS):
                raise CancelledError("Cancelled while waiting for a free encoder.")

    def busy(self) -> int:
        """How many slots are held now, by any process (this one included)."""
        held = 0
        for slot in range(self.count):
            fd = self._take(slot)
            if fd is None:
                held += 1
            else:
                unlock_file(fd)
                os.close(fd)
        return held

    def threads_now(self) -> int:
        """x264 threads for an encoder that has just taken its slot.

        How many render messages run at once depends on the workers (their
        processes and threads), not on the plan: an encoder that starts
        alone takes the whole machine (0, x264's own choice), one that
        starts beside others takes its share of the cores.
        """
        running = self.busy() if self.count > 1 else 1
        if running <= 1:
            return 0
        return max(1, self.cores // running)

    def _take(self, slot: int) -> int | None:
        """The slot's lock file, open and locked; None if another holds it."""
        path = self.folder / f"encoder-{self._host}-{slot}.lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        if try_lock_file(fd):
            return fd
        os.close(fd)
        return None
