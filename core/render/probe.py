"""Reading facts back from media files with ``ffmpeg -i``.

The FFmpeg that ships with Reelwright has no ffprobe, so the stream summary
FFmpeg prints for its inputs is parsed instead. Each parser raises with the
text it could not read, so a format change shows up as a clear failure.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import RenderError
from core.render.ffmpeg import ffmpeg_binary, run_ffmpeg

_DURATION = re.compile(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)")
_SIZE = re.compile(r"(?<![\w/])(\d{2,5})x(\d{2,5})\b")
_STREAM = re.compile(r"Stream #\d+:\d+(?:\[\w+\])?(?:\(\w+\))?: (Video|Audio): (.*)")


@dataclass
class StreamInfo:
    kind: str  # "video" or "audio"
    description: str  # the rest of FFmpeg's stream line

    @property
    def codec(self) -> str:
        return self.description.split()[0].rstrip(",")

    @property
    def size(self) -> tuple[int, int]:
        """Frame width and height of a video stream."""
        match = _SIZE.search(self.description)
        if match is None:
            raise RenderError(f"No frame size in the stream line: {self.description}")
        return int(match.group(1)), int(match.group(2))


@dataclass
class MediaInfo:
    duration: float
    streams: list[StreamInfo] = field(default_factory=list)

    def first(self, kind: str) -> StreamInfo | None:
        return next((s for s in self.streams if s.kind == kind), None)


def probe(path: Path) -> MediaInfo:
    """Duration and streams of a media file."""
    result = subprocess.run(
        [ffmpeg_binary(), "-hide_banner", "-nostdin", "-i", str(path)],
        capture_output=True,
        check=False,
    )
    text = result.stderr.decode("utf-8", "replace")
    match = _DURATION.search(text)
    if match is None:
        raise RenderError(f"Could not read the duration of {path}: {text[-300:]}")
    hours, minutes, seconds = match.groups()
    duration = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    streams = [StreamInfo(kind.lower(), rest) for kind, rest in _STREAM.findall(text)]
    return MediaInfo(duration=duration, streams=streams)


@dataclass(frozen=True)
class Loudness:
    integrated_lufs: float
    true_peak_db: float


def measure_loudness(path: Path) -> Loudness:
    """Integrated loudness and true peak, as FFmpeg's ebur128 filter reports."""
    log = run_ffmpeg(
        [
            "-i",
            str(path),
            "-map",
            "0:a:0",
            "-af",
            "ebur128=peak=true",
            "-f",
            "null",
            "-",
        ]
    )
    summary = log[log.rfind("Summary:") :]
    integrated = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    peak = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    if integrated is None or peak is None:
        raise RenderError(f"Could not read the loudness summary: {summary[:300]}")
    return Loudness(float(integrated.group(1)), float(peak.group(1)))


def moov_before_mdat(path: Path) -> bool:
    """Whether an MP4's index comes first, so playback starts while loading."""
    with path.open("rb") as stream:
        offset = 0
        while True:
            header = stream.read(8)
            if len(header) < 8:
                return False
            size = int.from_bytes(header[:4], "big")
            box = header[4:8]
            if box in (b"moov", b"mdat"):
                return box == b"moov"
            if size == 1:
                size = int.from_bytes(stream.read(8), "big")
                stream.seek(offset + size)
            elif size < 8:
                return False
            else:
                stream.seek(offset + size)
            offset += size
