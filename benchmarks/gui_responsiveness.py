"""The GUI responsiveness benchmark: how long the window's thread stalls
while two workers render.

A real stack (the embedded Redis and two worker processes, on a temporary
``REELWRIGHT_HOME``) makes a real landscape video of six scenes, and the
real main window shows it, its stage panel fed by the live progress events.
Meanwhile a 10 ms timer on the GUI thread notes when it fires: every firing
later than 10 ms after the one before is a stall of that many milliseconds.
The figures are the longest stall and the 99th percentile; the target is a
longest stall under 50 ms. Measuring starts when the project is started
and stops 30 s after the render began (8 s in the quick run), when the
project ends, or after a time limit. The same figures for the idle window
just before, and the load average, tell how much of a stall the machine
itself causes (other programs, too few cores for two renders and a GUI).
For each stall over 30 ms the JSON also keeps the GUI thread's own CPU time
during it and, noted by a watcher thread, where every thread was: a stall
the window spends working names the code; one it spends waiting (little
CPU) points at the scheduler or at another thread holding the GIL.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import sys
import tempfile
import threading
import time
import traceback

log = logging.getLogger(__name__)

TICK_MS = 10
TARGET_MS = 50.0
NOTED_STALL_MS = 30.0  # longer stalls are noted with their CPU time and stacks
NOTED_COLLECTION_MS = 10.0  # longer garbage collections are noted
SCENES = 6
RENDER_SECONDS, QUICK_RENDER_SECONDS = 30.0, 8.0  # measured once render runs
SETTLE_SECONDS = 2.0  # the window's first paint and loads are not stalls
IDLE_SECONDS, QUICK_IDLE_SECONDS = 5.0, 2.0  # the machine's own noise, first
TIME_LIMIT_SECONDS = 300.0  # the whole run, whatever happens
SENTENCE = "Bees dry the nectar by fanning their wings until it turns to honey. "


def run(quick: bool = False) -> dict:
    """Run the benchmark and return its figures (milliseconds, counts)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if not os.environ.get("REELWRIGHT_HOME"):
        os.environ["REELWRIGHT_HOME"] = tempfile.mkdtemp(prefix="reelwright-gui-")
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    app.setQuitOnLastWindowClosed(False)  # closing the window ends nothing
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        with loop:
            return loop.run_until_complete(_measure(quick))
    finally:
        asyncio.set_event_loop(None)


async def _measure(quick: bool) -> dict:
    from core.settings import Settings
    from desktop.backend import Backend
    from desktop.collector import freeze_startup_objects
    from desktop.main_window import MainWindow

    settings = Settings.from_env()
    settings.paths.ensure()
    backend = Backend(settings, workers=2)
    await backend.run(backend.start)
    window = MainWindow(backend)
    idle, stalls = StallMeter(), StallMeter()
    events = [0]
    try:
        window.stages.feed.event.connect(lambda _event: _count(events))
        window.show()
        project = await backend.run(_new_project, backend.db, quick)
        window.set_project(project)
        await asyncio.sleep(SETTLE_SECONDS)
        freeze_startup_objects()  # as the app does once its window is up
        await idle.measure(QUICK_IDLE_SECONDS if quick else IDLE_SECONDS)
        stalls.start()
        await backend.run(backend.control.start_project, project)
        render = await _watch(backend, project, quick)
        stalls.stop()
    finally:
        window.stages.feed.stop()
        window.close()
        await backend.run(backend.stop, drain=False)
    return {
        "max_stall_ms": round(stalls.longest(), 1),
        "p99_stall_ms": round(stalls.percentile(99), 1),
        "events": events[0],
        "ticks": len(stalls.lateness),
        "gui_thread_busy_percent": round(stalls.busy_percent(), 1),
        "idle_max_stall_ms": round(idle.longest(), 1),
        "idle_p99_stall_ms": round(idle.percentile(99), 1),
        "load_average": _load_average(),
        "render_seconds_measured": round(render["seconds"], 1),
        "status": render["status"],
        "target_ms": TARGET_MS,
        "met": stalls.longest() < TARGET_MS,
        "stall_stacks": stalls.culprits(),
        # Each long stall with the GUI thread's own CPU time during it: near
        # zero means the thread was ready but not running (the machine's
        # scheduler, or another thread holding the GIL), not busy.
        "long_stalls": stalls.long_stalls,
        # Full garbage collections hold the GIL for their whole sweep,
        # whichever thread runs them; the window waits meanwhile.
        "long_collections": stalls.collections.long,
    }


def _count(events: list[int]) -> None:
    events[0] += 1


def _load_average() -> float | None:
    """The machine's load over the last minute: other work skews stalls."""
    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):
        return None


def _new_project(db, quick: bool) -> int:  # type: ignore[no-untyped-def]
    from core.content import content_from_text
    from core.pipeline.project import create_project

    repeats = 2 if quick else 4
    text = "\n\n".join(
        f"# Part {n}\n\n{SENTENCE * repeats}" for n in range(1, SCENES + 1)
    )
    return create_project(db, content_from_text(text), format="landscape")


async def _watch(backend, project: int, quick: bool) -> dict:  # type: ignore[no-untyped-def]
    """Wait until the render has run long enough, or the project ended."""
    render_limit = QUICK_RENDER_SECONDS if quick else RENDER_SECONDS
    began = time.monotonic()
    render_began: float | None = None
    status = "running"
    while time.monotonic() - began < TIME_LIMIT_SECONDS:
        await asyncio.sleep(0.5)
        status = await backend.run(backend.control.status, project)
        if render_began is None and await backend.run(_rendering, backend, project):
            render_began = time.monotonic()
            log.info("The render began after %.1f s.", render_began - began)
        if status in ("done", "failed", "cancelled"):
            break
        if render_began is not None and time.monotonic() - render_began > render_limit:
            break
    seconds = 0.0 if render_began is None else time.monotonic() - render_began
    return {"seconds": seconds, "status": status}


def _rendering(backend, project: int) -> bool:  # type: ignore[no-untyped-def]
    from core.models import StageState

    return any(
        run.stage == "render" and run.state is StageState.RUNNING
        for run in backend.control.stage_runs(project)
    )


class StallMeter:
    """A 10 ms timer on the GUI thread; lateness is the stall."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.lateness: list[float] = []  # milliseconds
        self.cpu_seconds = 0.0  # the GUI thread's own work while measuring
        self.wall_seconds = 0.0
        self._last: float | None = None
        self._began = (0.0, 0.0)
        self._timer = QTimer(interval=TICK_MS)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        self._gui_thread = threading.get_ident()
        self._stacks: dict[str, int] = {}  # where the GUI thread was, stalled
        self.long_stalls: list[dict[str, float]] = []
        self._last_cpu = 0.0
        self._watching = threading.Event()
        self.collections = CollectionLog()

    def start(self) -> None:
        self._last, self._last_cpu = time.perf_counter(), time.thread_time()
        self._began = (self._last_cpu, self._last)
        self._timer.start()
        self.collections.start()
        self._watching.set()
        threading.Thread(target=self._watch, daemon=True).start()

    def stop(self) -> None:
        self._watching.clear()
        self._timer.stop()
        self.collections.stop()
        self.cpu_seconds = time.thread_time() - self._began[0]
        self.wall_seconds = time.perf_counter() - self._began[1]

    def busy_percent(self) -> float:
        """How much of the time the GUI thread spent working, not waiting."""
        return 100 * self.cpu_seconds / self.wall_seconds if self.wall_seconds else 0.0

    async def measure(self, seconds: float) -> None:
        self.start()
        await asyncio.sleep(seconds)
        self.stop()

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        if self._last is not None:
            late = max((now - self._last) * 1000 - TICK_MS, 0.0)
            self.lateness.append(late)
            if late > NOTED_STALL_MS:
                self.long_stalls.append(
                    {
                        "ms": round(late, 1),
                        "gui_cpu_ms": round((cpu - self._last_cpu) * 1000, 1),
                    }
                )
        self._last, self._last_cpu = now, cpu

    def _watch(self) -> None:
        """Note the GUI thread's stack whenever a tick is 30 ms overdue, so a
        stall names its cause (a stall the scheduler causes shows the event
        loop waiting)."""
        while self._watching.is_set():
            time.sleep(0.005)
            last = self._last
            overdue = (time.perf_counter() - last) * 1000 if last else 0.0
            if overdue < TICK_MS + NOTED_STALL_MS:
                continue
            frames = sys._current_frames()
            frame = frames.get(self._gui_thread)
            if frame is None:
                continue
            where = "".join(traceback.format_stack(frame, limit=8)[-4:])
            # And what the other threads were doing: a thread that holds
            # the GIL stalls the window without using its CPU.
            for ident, other in frames.items():
                if ident not in (self._gui_thread, threading.get_ident()):
                    where += "---\n" + "".join(traceback.format_stack(other)[-6:])
            self._stacks[where] = self._stacks.get(where, 0) + 1
            while self._last is last and self._watching.is_set():
                time.sleep(0.002)  # one note per stall

    def culprits(self) -> list[dict]:
        ranked = sorted(self._stacks.items(), key=lambda item: -item[1])
        return [{"count": count, "stack": stack} for stack, count in ranked[:5]]

    def longest(self) -> float:
        return max(self.lateness, default=0.0)

    def percentile(self, percent: float) -> float:
        if not self.lateness:
            return 0.0
        ordered = sorted(self.lateness)
        index = min(round(percent / 100 * (len(ordered) - 1)), len(ordered) - 1)
        return ordered[index]


class CollectionLog:
    """Notes every garbage collection longer than ``NOTED_COLLECTION_MS``."""

    def __init__(self) -> None:
        self.long: list[dict[str, object]] = []
        self._began: dict[int, float] = {}

    def start(self) -> None:
        gc.callbacks.append(self._note)

    def stop(self) -> None:
        if self._note in gc.callbacks:
            gc.callbacks.remove(self._note)

    def _note(self, phase: str, info: dict[str, int]) -> None:
        thread = threading.get_ident()
        if phase == "start":
            self._began[thread] = time.perf_counter()
            return
        began = self._began.pop(thread, None)
        if began is None:
            return
        ms = (time.perf_counter() - began) * 1000
        if ms > NOTED_COLLECTION_MS:
            self.long.append(
                {
                    "ms": round(ms, 1),
                    "generation": info["generation"],
                    "thread": threading.current_thread().name,
                    "collected": info["collected"],
                }
            )


def format_gui(results: dict) -> str:
    """A few lines for ``python -m benchmarks``."""
    verdict = "met" if results["met"] else "MISSED"
    return (
        f"longest GUI stall {results['max_stall_ms']} ms "
        f"(target < {results['target_ms']:.0f} ms: {verdict}), "
        f"p99 {results['p99_stall_ms']} ms over {results['ticks']} ticks; "
        f"{results['events']} progress updates; "
        f"{results['render_seconds_measured']} s of render measured "
        f"(project {results['status']}); the GUI thread was busy "
        f"{results['gui_thread_busy_percent']}% of the time\n"
        f"idle window first: longest {results['idle_max_stall_ms']} ms, "
        f"p99 {results['idle_p99_stall_ms']} ms; "
        f"load average {results['load_average']}"
    )


if __name__ == "__main__":
    import json
    import sys

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    figures = run(quick="--quick" in sys.argv)
    print(format_gui(figures))
    print(json.dumps(figures, indent=2))
