"""The soundtrack: narration, a music bed ducked under it, YouTube loudness.

Three short FFmpeg runs, each cheap next to the video: mix (the bed is
sidechain-compressed by the voice so it dips while someone speaks), measure
the mix with loudnorm, then apply the measured correction in loudnorm's
linear mode and encode AAC-LC at 48 kHz stereo. Two passes keep the voice's
dynamics instead of pumping it the way single-pass loudnorm does.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from core.errors import RenderError
from core.render.ffmpeg import CancelToken, ProgressCallback, run_ffmpeg
from core.storage import atomic_output

log = logging.getLogger(__name__)

SAMPLE_RATE = 48_000
# Aim below YouTube's -1 dBTP ceiling: AAC encoding adds a little overshoot.
TRUE_PEAK_MARGIN_DB = 0.5


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
    measured = _measure(mix, plan, cancel)
    with atomic_output(out) as temporary:
        run_ffmpeg(
            _encode_args(mix, plan, measured, temporary),
            output=temporary,
            cancel=cancel,
        )
    mix.unlink(missing_ok=True)


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


def _measure(mix: Path, plan: SoundtrackPlan, cancel: CancelToken | None) -> dict:
    log_text = run_ffmpeg(
        [
            "-i",
            str(mix),
            "-af",
            _loudnorm(plan) + ":print_format=json",
            "-f",
            "null",
            "-",
        ],
        cancel=cancel,
    )
    match = re.search(r"\{[^{}]*\"input_i\"[^{}]*\}", log_text, re.S)
    if match is None:
        raise RenderError("FFmpeg did not report the soundtrack's loudness.")
    return json.loads(match.group())


def _encode_args(
    mix: Path, plan: SoundtrackPlan, measured: dict, out: Path
) -> list[str]:
    if measured["input_i"] in ("-inf", "inf"):
        # A silent soundtrack has no loudness to correct; encode it as it is.
        audio_filter = "anull"
    else:
        audio_filter = (
            f"{_loudnorm(plan)}:linear=true"
            f":measured_I={measured['input_i']}:measured_TP={measured['input_tp']}"
            f":measured_LRA={measured['input_lra']}"
            f":measured_thresh={measured['input_thresh']}"
            f":offset={measured['target_offset']},aresample={SAMPLE_RATE}"
        )
    return [
        "-i",
        str(mix),
        "-af",
        audio_filter,
        "-c:a",
        "aac",
        "-profile:a",
        "aac_low",
        "-b:a",
        "192k",
        "-ar",
        str(SAMPLE_RATE),
        "-ac",
        "2",
        str(out),
    ]


def _loudnorm(plan: SoundtrackPlan) -> str:
    peak = plan.true_peak_db - TRUE_PEAK_MARGIN_DB
    return f"loudnorm=I={plan.loudness_lufs}:TP={peak}:LRA=11"
