"""Timelines for the render benchmark, generated so that no data files ship.

A fixture is what the assembly stage would hand the render engine for a
real project: art-card stills, a speech-like narration (voiced syllables in
words and phrases, with pauses for the music's ducking to react to),
subtitle cues alternating English and Traditional Chinese so the CJK font
is loaded, and the default music bed. Scenes are of equal length; motions
and transitions cycle through every kind the timeline knows.
"""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.fonts import font_for, fonts_dir_for
from core.providers.art_cards import ArtCardMaker
from core.providers.base import ImageRequest
from core.render.music import default_music_bed
from core.render.subtitles import Cue, SubtitleStyle, write_ass
from core.timeline import MOTIONS, TRANSITIONS, Timeline, TimelineScene

NARRATION_RATE = 24_000  # Hz, mono, 16 bit: what the voices produce
CUE_SECONDS = 2.5  # a new subtitle cue this often
SUBTITLE_LANGUAGE = "zh-Hant"

_PROMPTS = (
    "a night market under red lanterns",
    "mountains above a sea of clouds",
    "an old tea house with wooden shutters",
    "a harbour at dawn with fishing boats",
    "a rainy street reflecting neon signs",
    "a quiet temple courtyard in autumn",
    "terraced rice fields in morning mist",
    "a train crossing a river bridge",
)
_KEY_PHRASES = (
    ("en", "Where the lanterns glow"),
    ("zh-Hant", "夜市的燈火"),
    ("en", "Above the clouds"),
    ("zh-Hant", "老街的茶香"),
    ("en", "First light on the harbour"),
    ("zh-Hant", "雨夜的霓虹"),
)
_SUBTITLES = (
    ("Every evening the stalls open one by one,", "and the street fills with steam."),
    ("攤販一個接一個亮起燈，", "整條街瀰漫著熱氣與香味。"),
    ("The path climbs for three hours",),
    ("山路蜿蜒而上，", "雲海就在腳下翻湧。"),
    ("Tea here is poured slowly,", "the way it was a hundred years ago."),
    ("老師傅慢慢地沖茶，一如百年前。",),
)


@dataclass(frozen=True)
class FixtureSpec:
    """The shape of a benchmark timeline."""

    scenes: int
    width: int = 1920
    height: int = 1080
    fps: int = 30
    scene_seconds: float = 6.0
    transition_seconds: float = 0.6
    distinct_stills: int = 20  # stills are reused cyclically beyond this

    @property
    def duration(self) -> float:
        return self.scenes * self.scene_seconds

    @property
    def still_count(self) -> int:
        return min(self.scenes, self.distinct_stills)


def build_timeline(spec: FixtureSpec, folder: Path, cache: Path) -> Path:
    """Write a timeline for ``spec`` into ``folder``; return its file.

    Stills and the music bed go to ``cache``, so cases that share a frame
    size make them once.
    """
    folder.mkdir(parents=True, exist_ok=True)
    stills = make_stills(cache / "stills", spec.still_count, spec.width, spec.height)
    write_narration(folder / "narration.wav", spec.duration)
    font = font_for(SUBTITLE_LANGUAGE, bold=True)
    write_subtitles(folder / "subtitles.ass", spec, font.family)

    timeline = Timeline(
        width=spec.width,
        height=spec.height,
        fps=spec.fps,
        narration="narration.wav",
        subtitles="subtitles.ass",
        scenes=_scenes(spec, stills),
        music=str(default_music_bed(cache)),
        fonts_dir=str(fonts_dir_for(font)),
        title=f"Benchmark of {spec.scenes} scenes",
        base_dir=folder,
    )
    timeline.validate()
    path = folder / "timeline.json"
    timeline.save(path)
    return path


def _scenes(spec: FixtureSpec, stills: list[Path]) -> list[TimelineScene]:
    # The transition index also advances once per round of motions, so over
    # a long timeline every motion meets every transition.
    return [
        TimelineScene(
            image=str(stills[index % len(stills)]),
            start=index * spec.scene_seconds,
            duration=spec.scene_seconds,
            motion=MOTIONS[index % len(MOTIONS)],
            transition=TRANSITIONS[(index + index // len(MOTIONS)) % len(TRANSITIONS)],
            transition_duration=spec.transition_seconds,
        )
        for index in range(spec.scenes)
    ]


def make_stills(folder: Path, count: int, width: int, height: int) -> list[Path]:
    """``count`` distinct art cards of the frame's size, made once."""
    maker = ArtCardMaker()
    stills = []
    for index in range(count):
        path = folder / f"{width}x{height}" / f"still-{index:02d}.png"
        if not path.is_file():
            language, phrase = _KEY_PHRASES[index % len(_KEY_PHRASES)]
            request = ImageRequest(
                prompt=_PROMPTS[index % len(_PROMPTS)],
                key_phrase=phrase,
                width=width,
                height=height,
                language=language,
                seed=index,
            )
            maker.make(request, path)
        stills.append(path)
    return stills


def write_subtitles(path: Path, spec: FixtureSpec, family: str) -> None:
    """A cue every ``CUE_SECONDS``, English and Chinese in turn."""
    style = SubtitleStyle.for_frame(spec.width, spec.height, family)
    starts = np.arange(0.0, spec.duration - 0.5, CUE_SECONDS)
    cues = [
        Cue(
            float(start),
            min(float(start) + CUE_SECONDS - 0.1, spec.duration),
            _SUBTITLES[index % len(_SUBTITLES)],
        )
        for index, start in enumerate(starts)
    ]
    write_ass(cues, style, path)


def write_narration(path: Path, seconds: float, *, seed: int = 0) -> None:
    """A mono WAV of ``seconds`` that sounds, to a compressor, like speech.

    Written a phrase at a time, so a ten-minute narration never sits whole
    in this process's memory.
    """
    rng = np.random.default_rng(seed)
    total = round(seconds * NARRATION_RATE)
    written = 0
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(NARRATION_RATE)
        while written < total:
            phrase = _phrase(rng)[: total - written]
            out.writeframes(_pcm16(phrase))
            written += len(phrase)


def _phrase(rng: np.random.Generator) -> np.ndarray:
    """Three to eight words, then a pause of a third to four fifths of a second."""
    parts = []
    for _ in range(rng.integers(3, 9)):
        for _ in range(rng.integers(1, 4)):
            parts.append(_syllable(rng))
            parts.append(_silence(0.04))
        parts.append(_silence(0.12))
    parts.append(_silence(rng.uniform(0.35, 0.8)))
    return np.concatenate(parts)


def _syllable(rng: np.random.Generator) -> np.ndarray:
    """A noisy onset (a consonant) and a gliding harmonic tone (a vowel)."""
    length = round(rng.uniform(0.1, 0.25) * NARRATION_RATE)
    time = np.arange(length) / NARRATION_RATE
    pitch = rng.uniform(110, 190) * (1 + rng.uniform(-0.15, 0.15) * time / time[-1])
    phase = 2 * np.pi * np.cumsum(pitch) / NARRATION_RATE
    harmonics = range(1, int(3400 // pitch.max()) + 1)
    vowel = sum(np.sin(k * phase) / k for k in harmonics)

    onset = min(length, round(0.03 * NARRATION_RATE))
    hiss = np.convolve(np.diff(rng.standard_normal(onset + 1)), np.ones(3) / 3, "same")
    vowel[:onset] = 0.6 * hiss + 0.2 * vowel[:onset]
    return 0.25 * vowel * np.hanning(length)


def _silence(seconds: float) -> np.ndarray:
    return np.zeros(round(seconds * NARRATION_RATE))


def _pcm16(samples: np.ndarray) -> bytes:
    return (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes()
