"""From voiced scenes and images to a timeline, subtitles and chapters.

Scene times come from the real narration: each scene lasts as long as its
voice plus a short breath, so pictures change when the narrator moves on.
The narration track is laid out here too, one scene's speech after another,
and the subtitle cues are the voice's own phrase timings shifted into place.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.audio import read_wav, write_wav
from core.errors import InputError
from core.fonts import font_for, fonts_dir_for
from core.providers.base import Phrase
from core.render.subtitles import (
    Cue,
    SubtitleStyle,
    cues_from_phrases,
    write_ass,
    write_srt,
)
from core.storage import atomic_output
from core.timeline import Timeline, TimelineScene

LEAD_IN = 0.4  # seconds of picture before the first word
BREATH = 0.6  # between one scene's last word and the next scene's first
TAIL = 1.5  # after the last word, so the video does not end mid-breath
TRANSITION = 0.6  # seconds a crossfade takes
# Zooms alternate with pans, so neighbouring scenes never move the same way.
MOTION_ORDER = (
    "zoom-in",
    "pan-left",
    "zoom-out",
    "pan-up",
    "zoom-in",
    "pan-right",
    "zoom-out",
    "pan-down",
)


@dataclass(frozen=True)
class VoicedScene:
    position: int
    narration: Path  # the scene's voice, a WAV
    speech_duration: float
    phrases: list[Phrase]
    image: Path
    section: str | None = None


@dataclass(frozen=True)
class Assembly:
    timeline: Timeline
    cues: list[Cue]
    sections: list[tuple[str, float]]  # chapter headings with start times


def scene_times(scenes: list[VoicedScene]) -> list[tuple[float, float, float]]:
    """(start, duration, voice offset inside the scene) for every scene."""
    times, start = [], 0.0
    for index, scene in enumerate(scenes):
        lead = LEAD_IN if index == 0 else BREATH / 2
        tail = TAIL if index == len(scenes) - 1 else BREATH / 2
        duration = lead + scene.speech_duration + tail
        times.append((start, duration, lead))
        start += duration
    return times


def assemble(
    scenes: list[VoicedScene],
    folder: Path,
    *,
    width: int,
    height: int,
    fps: int,
    language: str,
    title: str,
    music: Path | None = None,
    music_volume_db: float = -20.0,
) -> Assembly:
    """Write narration, subtitles (ASS and SRT) and ``timeline.json``."""
    if not scenes:
        raise InputError("There are no voiced scenes to put in a video.")
    folder.mkdir(parents=True, exist_ok=True)
    times = scene_times(scenes)
    write_narration(scenes, times, folder / "narration.wav")

    font = font_for(language, bold=True)
    style = SubtitleStyle.for_frame(width, height, font.family)
    cues = [
        cue
        for scene, (start, _, lead) in zip(scenes, times, strict=True)
        for cue in cues_from_phrases(scene.phrases, start + lead, style.line_units)
    ]
    write_ass(cues, style, folder / "subtitles.ass")
    write_srt(cues, folder / "subtitles.srt")

    timeline = Timeline(
        width=width,
        height=height,
        fps=fps,
        narration="narration.wav",
        subtitles="subtitles.ass",
        scenes=[
            _timeline_scene(scene, time, folder, index)
            for index, (scene, time) in enumerate(zip(scenes, times, strict=True))
        ],
        music=_relative(music, folder) if music else None,
        music_volume_db=music_volume_db,
        fonts_dir=_relative(fonts_dir_for(font), folder),
        title=title,
        base_dir=folder,
    )
    timeline.validate()
    timeline.save(folder / "timeline.json")
    sections = [
        (scene.section, start)
        for scene, (start, _, _) in zip(scenes, times, strict=True)
        if scene.section
    ]
    return Assembly(timeline, cues, sections)


def write_narration(
    scenes: list[VoicedScene], times: list[tuple[float, float, float]], out: Path
) -> None:
    """One mono WAV with each scene's voice at its place in the video."""
    clips = [read_wav(scene.narration) for scene in scenes]
    rate = max(clip_rate for _, clip_rate in clips)
    total = times[-1][0] + times[-1][1]
    track = np.zeros(int(np.ceil(total * rate)) + 1, dtype=np.float32)
    for (samples, clip_rate), (start, _, lead) in zip(clips, times, strict=True):
        samples = _resample(samples, clip_rate, rate)
        begin = int(round((start + lead) * rate))
        track[begin : begin + len(samples)] = samples[: len(track) - begin]
    with atomic_output(out) as temporary:
        write_wav(temporary, track, rate)


def _resample(samples: np.ndarray, source: int, target: int) -> np.ndarray:
    if source == target:
        return samples
    # Linear interpolation is enough for speech moved between 22 and 24 kHz.
    positions = np.arange(0, len(samples), source / target)
    return np.interp(positions, np.arange(len(samples)), samples).astype(np.float32)


def _timeline_scene(
    scene: VoicedScene, time: tuple[float, float, float], folder: Path, index: int
) -> TimelineScene:
    start, duration, _ = time
    return TimelineScene(
        image=_relative(scene.image, folder),
        start=round(start, 6),
        duration=round(duration, 6),
        motion=MOTION_ORDER[index % len(MOTION_ORDER)],
        transition="fade" if index % 4 != 3 else "smoothleft",
        transition_duration=TRANSITION,
    )


def _relative(path: Path, folder: Path) -> str:
    try:
        return Path(os.path.relpath(path, folder)).as_posix()
    except ValueError:  # another drive on Windows
        return str(path)
