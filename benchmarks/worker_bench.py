"""The worker stack: progress latency and throughput with one or two workers.

Progress latency is the time from a worker publishing an event to a
subscriber receiving it, through the embedded Redis (p50 and p95 over many
events, with the subscriber on a separate connection as the desktop is).
Throughput is the wall time for a batch of short offline projects (a
voiced, illustrated, rendered preview each) with one worker process and
then two, measured back to back in one run. The segmented render is one
ten-scene 1080p video (its length is printed) whose segments go out as
separate messages, rendered with one worker process and then with two:
sharing a render
between workers must not make it slower on one machine.
"""

from __future__ import annotations

import logging
import os
import statistics
import threading
import time
from pathlib import Path

log = logging.getLogger(__name__)

LATENCY_EVENTS, QUICK_LATENCY_EVENTS = 2000, 200
PROJECTS, QUICK_PROJECTS = 20, 4
# Ten scenes of about 30 words each (the video's length is measured).
LONG_SCENES, QUICK_LONG_SCENES = 10, 3


def run(work: Path, *, quick: bool = False, rounds: int | None = None) -> dict:
    from core.settings import Settings
    from worker.redis_server import EmbeddedRedis

    os.environ.setdefault("REELWRIGHT_X264_PRESET", "veryfast")
    settings = Settings.from_env()
    settings.paths.ensure()
    embedded = EmbeddedRedis.for_paths(settings.paths)
    url = embedded.acquire()
    try:
        latency = progress_latency(
            url, QUICK_LATENCY_EVENTS if quick else LATENCY_EVENTS
        )
        count = QUICK_PROJECTS if quick else PROJECTS
        one = batch_throughput(settings, url, workers=1, projects=count)
        two = batch_throughput(settings, url, workers=2, projects=count)
        scenes = QUICK_LONG_SCENES if quick else LONG_SCENES
        video_format = "preview" if quick else "landscape"
        render_one = segmented_render(settings, url, 1, scenes, video_format)
        render_two = segmented_render(settings, url, 2, scenes, video_format)
    finally:
        embedded.release()
    return {
        "benchmark": "worker",
        "progress_latency_ms": latency,
        "throughput": {
            "one_worker": one,
            "two_workers": two,
            "speedup": round(one["wall_s"] / two["wall_s"], 2),
        },
        "segmented_render": {
            "one_worker": render_one,
            "two_workers": render_two,
            "ratio": round(render_two["render_s"] / render_one["render_s"], 3),
        },
    }


def progress_latency(url: str, events: int) -> dict[str, float]:
    """Publish events with their send time; measure arrival at a subscriber."""
    import redis

    from core.progress import ProgressEvent
    from worker.progress import CHANNEL

    subscriber = redis.Redis.from_url(url).pubsub(ignore_subscribe_messages=True)
    subscriber.subscribe(CHANNEL)
    delays: list[float] = []
    done = threading.Event()

    def listen() -> None:
        while len(delays) < events:
            message = subscriber.get_message(timeout=1.0)
            if message is not None:
                event = ProgressEvent.from_json(message["data"])
                delays.append((time.time() - event.timestamp) * 1000)
        done.set()

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    time.sleep(0.2)  # the subscription is live before the first event
    publisher = redis.Redis.from_url(url)
    for index in range(events):
        event = ProgressEvent(1, "render", "running", index / events, "bench")
        publisher.publish(CHANNEL, event.to_json())
        time.sleep(0.002)  # a busy stage reports every few milliseconds at most
    done.wait(timeout=30)
    subscriber.close()
    ordered = sorted(delays)
    return {
        "events": len(ordered),
        "p50": round(statistics.median(ordered), 3),
        "p95": round(ordered[int(len(ordered) * 0.95) - 1], 3),
        "max": round(ordered[-1], 3),
    }


def batch_throughput(settings, url: str, *, workers: int, projects: int) -> dict:  # type: ignore[no-untyped-def]
    """Wall time for ``projects`` short projects through ``workers`` processes."""
    from core.content import content_from_text
    from core.pipeline.project import create_project
    from worker.control import Control
    from worker.pool import WorkerPool

    control = Control(settings, url)
    ids = [
        create_project(
            control.db,
            content_from_text(
                # Distinct words per batch: nothing may come from the cache.
                f"# Note {n} of batch {workers}\n\nA short note number {n} about "
                f"honey bees, for the batch with {workers} workers. They dry "
                "nectar by fanning their wings."
            ),
            format="preview",
            visual={"music": "none"},
        )
        for n in range(projects)
    ]
    with WorkerPool(workers, broker_url=url, threads=1) as pool:
        _wait_idle(control, pool)
        started = time.perf_counter()
        for project_id in ids:
            control.start_project(project_id)
        statuses = [_wait(control, project_id) for project_id in ids]
        wall = time.perf_counter() - started
    control.close()
    log.info("%d projects with %d worker(s) took %.1f s.", projects, workers, wall)
    return {
        "workers": workers,
        "projects": projects,
        "wall_s": round(wall, 2),
        "per_project_s": round(wall / projects, 2),
        "all_done": all(status == "done" for status in statuses),
    }


def segmented_render(
    settings, url: str, workers: int, scenes: int, video_format: str
) -> dict:  # type: ignore[no-untyped-def]
    """The render stage's wall time for one long project, its segments
    shared by ``workers`` processes (one message at a time each)."""
    from core.content import content_from_text
    from core.models import Project, StageRun
    from core.pipeline.project import create_project
    from core.render.probe import probe
    from core.storage import Storage
    from worker.control import Control
    from worker.pool import WorkerPool

    control = Control(settings, url)
    sections = [
        f"# Part {n} for {workers}\n\nPart {n} of the long video for {workers} "
        f"worker(s). Bees fan their wings over open cells until the nectar "
        f"thickens, then they seal each cell with a thin cap of wax."
        for n in range(1, scenes + 1)
    ]
    project_id = create_project(
        control.db,
        content_from_text("\n\n".join(sections)),
        format=video_format,
        visual={"music": "none"},
    )
    with WorkerPool(workers, broker_url=url, threads=1) as pool:
        _wait_idle(control, pool)
        control.start_project(project_id)
        status = _wait(control, project_id)
    with control.db.session() as session:
        runs = (
            session.query(StageRun)
            .filter_by(project_id=project_id, stage="render")
            .all()
        )
        whole = next(run for run in runs if run.scene_position == -1)
        segments = sum(1 for run in runs if run.scene_position >= 0)
        seconds = (whole.finished_at - whole.started_at).total_seconds()
        video = session.get(Project, project_id).output.get("video")
    control.close()
    duration = probe(Storage(settings.paths.storage).absolute(video)).duration
    log.info("The render with %d worker(s) took %.1f s.", workers, seconds)
    return {
        "workers": workers,
        "segments": segments,
        "video_s": round(duration, 1),
        "render_s": round(seconds, 2),
        "done": status == "done",
    }


def _wait_idle(control, pool) -> None:  # type: ignore[no-untyped-def]
    """Workers are up (their heartbeats show) before the clock starts."""
    from worker.monitor import live_workers

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if len(live_workers(control.redis)) >= pool.size:
            return
        time.sleep(0.2)


def _wait(control, project_id: int, timeout: float = 900) -> str:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = control.status(project_id)
        if status in ("done", "failed", "cancelled"):
            return status
        time.sleep(0.2)
    return "timeout"


def format_worker(results: dict) -> str:
    latency = results["progress_latency_ms"]
    one, two = results["throughput"]["one_worker"], results["throughput"]["two_workers"]
    return "\n".join(
        [
            f"Progress latency, publish to subscriber ({latency['events']} events): "
            f"p50 {latency['p50']:.2f} ms, p95 {latency['p95']:.2f} ms, "
            f"max {latency['max']:.2f} ms",
            f"{one['projects']} short projects: one worker {one['wall_s']:.1f} s "
            f"({one['per_project_s']:.1f} s each), two workers {two['wall_s']:.1f} s "
            f"({two['per_project_s']:.1f} s each); speedup "
            f"{results['throughput']['speedup']:.2f}x "
            f"(all done: {one['all_done'] and two['all_done']})",
            _format_segmented(results["segmented_render"]),
        ]
    )


def _format_segmented(render: dict) -> str:
    one, two = render["one_worker"], render["two_workers"]
    return (
        f"One {one['video_s']:.0f} s video in {one['segments']} segments: "
        f"render stage with one worker "
        f"{one['render_s']:.1f} s, with two {two['render_s']:.1f} s; ratio "
        f"{render['ratio']:.3f} (at most 1 means sharing is not slower; "
        f"done: {one['done'] and two['done']})"
    )
