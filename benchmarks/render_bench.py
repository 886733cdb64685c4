"""The render benchmark: a render's cost against the encoder's floor.

For each case a timeline is generated (see ``fixtures``), rendered in a
process of its own, and then, back to back on the same machine, its output
is re-encoded with exactly the render's encoder settings and decoded alone.
Re-encoding minus decoding is the encoder's floor: what producing those
frames costs at the least. The render's wall time over that floor tells how
much the render adds (stills, camera motion, transitions, subtitles, the
soundtrack, process start-ups, the join). Memory is sampled over the render's
whole process tree. ``render_report`` turns the results into a table.
"""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

import ffmpeg

from benchmarks.fixtures import FixtureSpec, build_timeline
from benchmarks.measure import Measurement, measure
from core.render.ffmpeg import ffmpeg_binary
from core.render.probe import probe
from core.render.video import EncoderSettings

log = logging.getLogger(__name__)

RATIO_TARGET = 1.10  # render wall time over the encoder's floor, at most
MEMORY_TARGET_MB = 400.0  # peak of the render's process tree (PSS), at most
GROWTH_TARGET = 0.10  # the longest case's peak over the shortest's, less one
PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class RenderCase:
    name: str
    spec: FixtureSpec
    rounds: int = 1  # render, re-encode, decode: how many times in a row
    encoders: int = 0  # segments encoded at once; 0: as the machine decides

    @property
    def mode(self) -> str:
        return "lean" if self.encoders == 1 else "default"


SIXTY = FixtureSpec(scenes=10, distinct_stills=10)
SIX_HUNDRED = FixtureSpec(scenes=100, distinct_stills=20)
# The default render (encoders as the machine's cores and memory allow) and
# the leanest (one encoder at a time), so both sides of the trade are shown.
FULL_CASES = (
    RenderCase("60 s", SIXTY, rounds=2),
    RenderCase("600 s", SIX_HUNDRED),
    RenderCase("60 s lean", SIXTY, encoders=1),
    RenderCase("600 s lean", SIX_HUNDRED, encoders=1),
)
QUICK_CASES = (
    RenderCase(
        "6 s quick",
        FixtureSpec(scenes=2, width=640, height=360, scene_seconds=3.0),
    ),
)


@dataclass
class RenderRound:
    """One render of a case and its floor, measured back to back."""

    render_s: float  # around render(...) inside the render process
    render_process_s: float  # the render process from start to exit
    reencode_s: float
    decode_s: float
    render_cpu_s: float | None  # the render process and its FFmpeg children
    reencode_cpu_s: float | None
    decode_cpu_s: float | None
    peak_tree_pss_mb: float  # what the target is checked against
    peak_tree_mb: float  # the same summing RSS: shared pages count in every process
    peak_single_mb: float
    largest_child_mb: float | None  # kernel high-water mark, any one FFmpeg
    python_mb: float  # sampled peak of the render's Python process
    reencode_peak_mb: float  # what the bare encoder needs, for comparison
    output_s: float
    encoders: int  # segments encoded at once
    encoder_threads: int  # x264 threads of each (0: x264's own choice)
    stage_starts_s: dict[str, float] = field(default_factory=dict)

    @property
    def floor_s(self) -> float:
        return self.reencode_s - self.decode_s

    @property
    def ratio(self) -> float:
        return _ratio(self.render_s, self.floor_s)

    @property
    def floor_cpu_s(self) -> float | None:
        if self.reencode_cpu_s is None or self.decode_cpu_s is None:
            return None
        return self.reencode_cpu_s - self.decode_cpu_s

    @property
    def cpu_ratio(self) -> float | None:
        if self.render_cpu_s is None or self.floor_cpu_s is None:
            return None
        return _ratio(self.render_cpu_s, self.floor_cpu_s)

    def to_dict(self) -> dict[str, object]:
        derived = ("floor_s", "ratio", "floor_cpu_s", "cpu_ratio")
        return {**asdict(self), **{name: getattr(self, name) for name in derived}}


@dataclass
class CaseResult:
    case: RenderCase
    rounds: list[RenderRound]

    @property
    def peak_tree_pss_mb(self) -> float:
        return max(result.peak_tree_pss_mb for result in self.rounds)

    def to_dict(self) -> dict[str, object]:
        spec = self.case.spec
        return {
            "name": self.case.name,
            "duration_s": spec.duration,
            "scenes": spec.scenes,
            "distinct_stills": spec.still_count,
            "frame": f"{spec.width}x{spec.height}@{spec.fps}",
            "mode": self.case.mode,
            "rounds": [result.to_dict() for result in self.rounds],
        }


def run(work: Path, *, quick: bool = False, rounds: int | None = None) -> dict:
    """Run every case in ``work``; return the results as plain data."""
    cases = QUICK_CASES if quick else FULL_CASES
    results = [run_case(case, work, rounds or case.rounds) for case in cases]
    return {
        "benchmark": "render",
        "encoder": EncoderSettings().args(cases[0].spec.fps),
        "cases": [result.to_dict() for result in results],
        "memory_growth": [
            memory_growth([r for r in results if r.case.mode == mode])
            for mode in dict.fromkeys(r.case.mode for r in results)
        ],
        "targets": {
            "ratio_at_most": RATIO_TARGET,
            "peak_tree_pss_mb_at_most": MEMORY_TARGET_MB,
            "memory_growth_at_most": GROWTH_TARGET,
        },
    }


def run_case(case: RenderCase, work: Path, rounds: int) -> CaseResult:
    # Cases of the same shape share their timeline (and so their stills).
    folder = work / f"{case.spec.scenes}-scenes"
    log.info("Building the %s timeline of %d scenes.", case.name, case.spec.scenes)
    timeline = build_timeline(case.spec, folder, work / "cache")
    results = []
    for index in range(rounds):
        log.info("Rendering the %s case, round %d of %d.", case.name, index + 1, rounds)
        result = run_round(
            timeline, folder / f"render-{index}.mp4", case.spec, case.encoders
        )
        log.info(
            "Rendered in %.1f s against a floor of %.1f s (ratio %.2f), "
            "peak memory %.0f MB.",
            result.render_s, result.floor_s, result.ratio, result.peak_tree_pss_mb,
        )  # fmt: skip
        results.append(result)
    return CaseResult(case, results)


def run_round(
    timeline: Path, out: Path, spec: FixtureSpec, encoders: int = 0
) -> RenderRound:
    """Render, then re-encode and decode the output, one after the other.

    The re-encode is one encoder with x264's own threads: the encoder's
    floor with the whole machine to itself, whatever the render did.
    """
    rendered = measure(
        [sys.executable, "-m", "benchmarks.render_child", str(timeline), str(out),
         str(encoders)],
        cwd=PROJECT_ROOT,
    )  # fmt: skip
    report = json.loads(rendered.stdout.strip().splitlines()[-1])
    reencoded = out.with_name(f"{out.stem}-reencoded.mp4")
    reencode = measure(reencode_command(out, reencoded, spec.fps))
    decode = measure(decode_command(out))
    output_s = probe(out).duration
    out.unlink()
    reencoded.unlink()
    return _round(rendered, report, reencode, decode, output_s)


def _round(
    rendered: Measurement,
    report: dict,
    reencode: Measurement,
    decode: Measurement,
    output_s: float,
) -> RenderRound:
    return RenderRound(
        render_s=report["render_s"],
        render_process_s=rendered.wall_s,
        reencode_s=reencode.wall_s,
        decode_s=decode.wall_s,
        render_cpu_s=rendered.cpu_s,
        reencode_cpu_s=reencode.cpu_s,
        decode_cpu_s=decode.cpu_s,
        peak_tree_pss_mb=rendered.peak_tree_pss_mb,
        peak_tree_mb=rendered.peak_tree_mb,
        peak_single_mb=rendered.peak_single_mb,
        largest_child_mb=report.get("largest_child_max_rss_mb"),
        python_mb=rendered.peak_root_mb,
        reencode_peak_mb=reencode.peak_tree_mb,
        output_s=output_s,
        encoders=report["encoders"],
        encoder_threads=report["encoder_threads"],
        stage_starts_s=report.get("stage_starts_s", {}),
    )


def reencode_command(source: Path, out: Path, fps: int) -> list[str]:
    """FFmpeg re-encoding ``source``'s video exactly as the render encodes."""
    stream = ffmpeg.input(str(source)).video
    args = stream.output(str(out), **EncoderSettings().args(fps)).compile()[1:]
    return [ffmpeg_binary(), "-hide_banner", "-nostdin", "-y", *args]


def decode_command(source: Path) -> list[str]:
    return [ffmpeg_binary(), "-hide_banner", "-nostdin", "-i", str(source),
            "-map", "0:v", "-f", "null", "-"]  # fmt: skip


def _ratio(cost: float, floor: float) -> float:
    return cost / floor if floor > 0 else float("inf")


def memory_growth(results: list[CaseResult]) -> dict[str, object] | None:
    """The longest case's peak memory relative to the shortest case's."""
    if len(results) < 2:
        return None
    shortest, longest = results[0], results[-1]
    growth = longest.peak_tree_pss_mb / shortest.peak_tree_pss_mb - 1
    return {
        "from": shortest.case.name,
        "to": longest.case.name,
        "growth": growth,
        "met": growth <= GROWTH_TARGET,
    }
