"""Segments encoded side by side: the same video, sooner, stopped together."""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

import numpy as np
import psutil
import pytest

from core.fonts import font_for, fonts_dir_for
from core.render.encoders import EncoderPlan, EncoderSlots
from core.render.engine import RenderJob, prepare, render, render_part
from core.render.probe import probe
from core.render.segments import plan_segments
from core.render.subtitles import Cue, SubtitleStyle, write_ass
from core.render.video import EncoderSettings
from core.timeline import Timeline, TimelineScene
from tests.integration.render.helpers import (
    grab_frame,
    render_that_fails,
    solid_still,
    voice_like_wav,
)

pytestmark = pytest.mark.integration

WIDTH, HEIGHT, FPS = 640, 360, 30
FAST = EncoderSettings(preset="superfast")
COLOURS = [(200, 60, 40), (40, 160, 90), (40, 90, 200), (220, 200, 60)]


def _timeline(folder: Path, seconds: float = 1.5) -> Timeline:
    font = font_for("en")
    write_ass(
        [Cue(0.2, 1.2, ("side by side",))],
        SubtitleStyle.for_frame(WIDTH, HEIGHT, font.family),
        folder / "s.ass",
    )
    voice_like_wav(folder / "voice.wav", seconds * len(COLOURS))
    scenes = [
        TimelineScene(
            solid_still(folder / f"{i}.png", (WIDTH, HEIGHT), colour).name,
            i * seconds,
            seconds,
            motion="zoom-in" if i % 2 else "pan-right",
        )
        for i, colour in enumerate(COLOURS)
    ]
    return Timeline(
        WIDTH, HEIGHT, FPS, "voice.wav", scenes, "s.ass",
        fonts_dir=str(fonts_dir_for(font)), base_dir=folder,
    )  # fmt: skip


class EncoderCounter:
    """The most video encoders seen running at once under this process."""

    def __init__(self) -> None:
        self.most = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> EncoderCounter:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        me = psutil.Process()
        while not self._stop.wait(0.02):
            running = 0
            for child in me.children(recursive=True):
                with contextlib.suppress(psutil.Error):  # it ended as we looked
                    running += "libx264" in child.cmdline()
            self.most = max(self.most, running)


def test_side_by_side_encoders_make_the_same_video(tmp_path: Path):
    timeline = _timeline(tmp_path)
    fractions: list[float] = []
    with EncoderCounter() as encoders:
        render(
            timeline,
            tmp_path / "two.mp4",
            encoder=FAST,
            encoders=EncoderPlan(2, 1),
            progress=lambda fraction, message: fractions.append(fraction),
        )
    render(timeline, tmp_path / "one.mp4", encoder=FAST, encoders=EncoderPlan(1))

    assert encoders.most == 2
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    two, one = probe(tmp_path / "two.mp4"), probe(tmp_path / "one.mp4")
    assert abs(two.duration - one.duration) < 1 / FPS
    for seconds in (0.5, 2.2, 3.0, 5.5):  # in every segment, one mid-transition
        difference = np.abs(
            grab_frame(tmp_path / "two.mp4", seconds).astype(int)
            - grab_frame(tmp_path / "one.mp4", seconds).astype(int)
        )
        assert difference.mean() < 2.0, seconds


def test_a_failing_segment_stops_its_neighbours_and_says_why(tmp_path: Path):
    timeline = _timeline(tmp_path, seconds=3.0)
    (tmp_path / "1.png").write_bytes(b"\x89PNG\r\n\x1a\n but not a picture")

    work = render_that_fails(
        timeline, tmp_path, encoder=FAST, encoders=EncoderPlan(2, 1)
    )
    assert not (work / "segment-0003.mp4").exists()  # never started


def test_parts_in_several_threads_take_turns_at_the_machines_encoders(tmp_path):
    """What workers do: each part waits for one of the machine's slots."""
    timeline = _timeline(tmp_path)
    job = RenderJob(timeline, tmp_path / "v.mp4", tmp_path / "work", FAST)
    prepare(job)
    plan = plan_segments(timeline)
    slots = EncoderSlots(tmp_path / "slots", 1)
    messages: list[str] = []

    def part(number: int) -> threading.Thread:
        return threading.Thread(
            target=render_part,
            args=(job, plan, number, lambda f, m: messages.append(m), None, slots),
        )

    workers = [part(segment.index) for segment in plan.segments]
    with EncoderCounter() as encoders:
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=120)

    assert encoders.most == 1
    assert "Waiting for a free video encoder" in messages
    assert all(job.segment_path(segment).is_file() for segment in plan.segments)
