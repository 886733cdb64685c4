"""Small builders for render tests: stills, a voice-like WAV, frame grabs,
and a render that must fail without leaving anything half-written."""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from core.errors import RenderError
from core.render.engine import render
from core.render.ffmpeg import ffmpeg_binary
from core.timeline import Timeline


def solid_still(
    path: Path, size: tuple[int, int], colour: tuple[int, int, int]
) -> Path:
    Image.new("RGB", size, colour).save(path)
    return path


def render_that_fails(timeline: Timeline, folder: Path, **options: Any) -> Path:
    """Render ``timeline`` into ``folder``, which must fail in FFmpeg and
    leave no video and no partial file; return the render's work folder."""
    work = folder / "work"
    with pytest.raises(RenderError, match="FFmpeg failed"):
        render(timeline, folder / "v.mp4", work_dir=work, **options)
    assert not (folder / "v.mp4").exists()
    assert not list(work.glob("*.part*"))
    return work


def voice_like_wav(path: Path, seconds: float, rate: int = 22_050) -> Path:
    """Bursts of a buzzing tone with pauses: loud enough to be measured."""
    t = np.arange(int(seconds * rate)) / rate
    tone = 0.4 * np.sin(2 * np.pi * 180 * t) + 0.2 * np.sin(2 * np.pi * 360 * t)
    gate = (np.sin(2 * np.pi * 0.7 * t) > -0.3).astype(np.float32)
    samples = (tone * gate * 32767 * 0.8).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return path


def grab_frame(video: Path, seconds: float) -> np.ndarray:
    """One decoded frame as an RGB array."""
    out = subprocess.run(
        [
            ffmpeg_binary(),
            "-v",
            "error",
            "-ss",
            f"{seconds:.3f}",
            "-i",
            str(video),
            "-frames:v",
            "1",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "rgb24",
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout
    width, height = _size(video)
    return np.frombuffer(out, dtype=np.uint8).reshape(height, width, 3)


def keyframe_times(video: Path) -> list[float]:
    log = subprocess.run(
        [
            ffmpeg_binary(),
            "-hide_banner",
            "-skip_frame",
            "nokey",
            "-i",
            str(video),
            "-map",
            "0:v",
            "-vf",
            "showinfo",
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        check=True,
    ).stderr.decode()
    return [
        float(part.split(":")[1])
        for line in log.splitlines()
        if "pts_time:" in line
        for part in line.split()
        if part.startswith("pts_time:")
    ]


def _size(video: Path) -> tuple[int, int]:
    from core.render.probe import probe

    stream = probe(video).first("video")
    assert stream is not None
    return stream.size
