"""Render one timeline in a process of its own and report on stdout.

The render benchmark runs this as ``python -m benchmarks.render_child
TIMELINE OUT`` so the process it measures holds what a render worker holds
(the render engine and FFmpeg's children) and nothing the benchmark itself
built, such as stills and narration. An optional third argument fixes the
segments encoded at once (0 or none: as the machine decides). The report is
one JSON line: the render's wall time, the encoders used, when each stage
began, and the kernel's peak RSS of its largest FFmpeg child.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from benchmarks.measure import max_rss_mb
from core.render.encoders import plan_encoders
from core.render.engine import render
from core.timeline import Timeline


class StageClock:
    """Notes when the render's progress message changes kind."""

    def __init__(self, started: float) -> None:
        self.started = started
        self.stages: dict[str, float] = {}

    def __call__(self, fraction: float, message: str) -> None:
        stage = _stage(message)
        if stage not in self.stages:
            self.stages[stage] = time.perf_counter() - self.started


def main(argv: list[str]) -> int:
    timeline_file, out = Path(argv[0]), Path(argv[1])
    wanted = int(argv[2]) if len(argv) > 2 else 0
    timeline = Timeline.load(timeline_file)
    started = time.perf_counter()
    clock = StageClock(started)
    encoders = plan_encoders(timeline.width, timeline.height, wanted=wanted)
    render(timeline, out, encoders=encoders, progress=clock)
    report = {
        "render_s": time.perf_counter() - started,
        "encoders": encoders.encoders,
        "encoder_threads": encoders.threads,
        "stage_starts_s": clock.stages,
        **_max_rss(),
    }
    print(json.dumps(report))
    return 0


def _stage(message: str) -> str:
    if message.startswith("Rendering scene"):
        return "segments"
    return {"Joining the segments": "join"}.get(message, message.lower())


def _max_rss() -> dict[str, float]:
    """The kernel's high-water RSS of the largest FFmpeg child."""
    try:
        import resource
    except ImportError:  # Windows
        return {}
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"largest_child_max_rss_mb": max_rss_mb(children)}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
