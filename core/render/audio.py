"""The soundtrack: narration, a music bed ducked under it, YouTube loudness.

Three short FFmpeg runs, each cheap next to the video: mix (the bed is
sidechain-compressed by the voice so it dips while someone speaks), measure
the mix's integrated loudness with ebur128, then apply one gain, a peak
limiter and encode AAC-LC at 48 kHz stereo. One measured gain keeps the
voice's dynamics instead of pumping it the way single-pass loudnorm does,
and costs a tenth of loudnorm's own two passes, which resample to 192 kHz.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from core.errors import RenderError
from core.render.ffmpeg import CancelToken, ProgressCallback, run_ffmpeg
from core.storage import atomic_output

log = logging.getLogger(__name__)

SAMPLE_RATE = 48_000
# Aim below YouTube's -1 dBTP ceiling: the limiter works on samples, and the
# true peak between samples and AAC's overshoot add up to about a decibel.
TRUE_PEAK_MARGIN_DB = 0.6
LOUDNESS_PASSES = 3
LOUDNESS_TOLERANCE_DB = 0.2
SILENCE_LUFS = -70.0  # ebur128's floor: nothing to measure


@dataclass(frozen=True)
class SoundtrackPlan:
    narration: Path
    duration: float  # seconds; the soundtrack is padded or cut to this
    music: Path | None = None
    music_volume_db: float = -20.0
    loudness_lufs: float = -14.0
    true_peak_db: float = -1.0


def render_soundtrack(
    plan: SoundtrackPlan,
    out: Path,
    work_dir: Path,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> None:
    """Write the finished AAC soundtrack (``.m4a``) for ``plan`` to ``out``."""
    mix = work_dir / "mix.wav"
    run_ffmpeg(_mix_args(plan, mix), output=mix, cancel=cancel, progress=progress)
    gain = _gain(mix, plan, cancel)
    with atomic_output(out) as temporary:
        run_ffmpeg(
            ["-i", str(mix), "-af", _level_filter(plan, gain), *_AAC, str(temporary)],
            output=temporary,
            cancel=cancel,
        )
    mix.unlink(missing_ok=True)


def _gain(mix: Path, plan: SoundtrackPlan, cancel: CancelToken | None) -> float | None:
    """The gain in dB that brings the mix to the target loudness.

    The limiter takes some loudness off speech's peaks, so the loudness is
    measured again after gain and limiter and the gain corrected, until it
    lands within a fifth of a decibel (two or three cheap passes).
    """
    measured = _measure(mix, None, cancel)
    if measured <= SILENCE_LUFS:
        return None  # silence has no loudness to correct
    gain = plan.loudness_lufs - measured
    for _ in range(LOUDNESS_PASSES):
        error = plan.loudness_lufs - _measure(mix, _level_filter(plan, gain), cancel)
        if abs(error) < LOUDNESS_TOLERANCE_DB:
            break
        gain += error
    return gain


def _level_filter(plan: SoundtrackPlan, gain: float | None) -> str:
    if gain is None:
        return "anull"
    ceiling = 10 ** ((plan.true_peak_db - TRUE_PEAK_MARGIN_DB) / 20)
    # One gain for the whole track keeps the voice's dynamics; the limiter
    # only shaves the peaks the gain pushes over the ceiling.
    return (
        f"volume={gain:.2f}dB,"
        f"alimiter=limit={ceiling:.4f}:attack=2:release=50:level=disabled,"
        f"aresample={SAMPLE_RATE}"
    )


def _mix_args(plan: SoundtrackPlan, out: Path) -> list[str]:
    args = ["-i", str(plan.narration)]
    voice = (
        f"[0:a]aresample={SAMPLE_RATE},aformat=sample_fmts=fltp:"
        f"channel_layouts=stereo,apad,atrim=0:{plan.duration:.6f}"
    )
    if plan.music is None:
        graph = voice + "[mix]"
    else:
        args += ["-stream_loop", "-1", "-i", str(plan.music)]
        graph = ";".join(
            [
                voice + ",asplit=2[voice][key]",
                f"[1:a]aresample={SAMPLE_RATE},aformat=sample_fmts=fltp:"
                f"channel_layouts=stereo,volume={plan.music_volume_db}dB,"
                f"atrim=0:{plan.duration:.6f},"
                f"afade=t=in:d=1.5,afade=t=out:st={max(plan.duration - 3, 0):.3f}:d=3"
                "[bed]",
                # The voice keys the compressor: the bed drops about 12 dB
                # while anyone speaks and swells back in the pauses.
                "[bed][key]sidechaincompress=threshold=0.02:ratio=8:attack=20:"
                "release=400:makeup=1[ducked]",
                "[voice][ducked]amix=inputs=2:duration=first:normalize=0[mix]",
            ]
        )
    return args + [
        "-filter_complex",
        graph,
        "-map",
        "[mix]",
        "-c:a",
        "pcm_f32le",
        str(out),
    ]


def _measure(mix: Path, audio_filter: str | None, cancel: CancelToken | None) -> float:
    """Integrated loudness in LUFS of the mix (after ``audio_filter``)."""
    chain = f"{audio_filter}," if audio_filter else ""
    log_text = run_ffmpeg(
        ["-i", str(mix), "-af", chain + "ebur128=framelog=quiet", "-f", "null", "-"],
        cancel=cancel,
    )
    summary = log_text[log_text.rfind("Summary:") :]
    match = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    if match is None:
        raise RenderError("FFmpeg did not report the soundtrack's loudness.")
    value = match.group(1)
    return SILENCE_LUFS if value == "-inf" else float(value)


_AAC = [
    "-c:a",
    "aac",
    # The fast coder takes a third of the default's time (1 s instead of 3
    # for a minute of stereo); at 192 kb/s the two are hard to tell apart,
    # and YouTube encodes the sound again in any case.
    "-aac_coder",
    "fast",
    "-profile:a",
    "aac_low",
    "-b:a",
    "192k",
    "-ar",
    str(SAMPLE_RATE),
    "-ac",
    "2",
]
