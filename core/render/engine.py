"""Rendering a timeline to a finished MP4.

The soundtrack is mixed and normalised on its own, the picture is encoded
segment by segment (see ``segments``), and the two are joined with stream
copy and ``+faststart``. Each step writes its file atomically and skips work
already done, so a render that was interrupted resumes where it stopped.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.errors import InputError
from core.fonts import bundled_fonts_dir
from core.render.audio import SoundtrackPlan, render_soundtrack
from core.render.ffmpeg import CancelToken, run_ffmpeg
from core.render.segments import Segment, SegmentPlan, plan_segments
from core.render.video import FONTS_NAME, SUBTITLES_NAME, EncoderSettings, segment_args
from core.storage import atomic_output
from core.timeline import Timeline

log = logging.getLogger(__name__)

RenderProgress = Callable[[float, str], None]  # fraction 0..1, message

# Shares of the progress bar: the soundtrack and the final join are quick.
AUDIO_SHARE, JOIN_SHARE = 0.04, 0.02


@dataclass(frozen=True)
class RenderJob:
    timeline: Timeline
    out: Path
    work_dir: Path
    encoder: EncoderSettings = EncoderSettings()

    @property
    def soundtrack(self) -> Path:
        return self.work_dir / "soundtrack.m4a"

    def segment_path(self, segment: Segment) -> Path:
        return self.work_dir / segment.name


def render(
    timeline: Timeline,
    out: Path,
    *,
    work_dir: Path | None = None,
    encoder: EncoderSettings | None = None,
    progress: RenderProgress | None = None,
    cancel: CancelToken | None = None,
) -> Path:
    """Render ``timeline`` to ``out``; return ``out``."""
    report = progress or (lambda fraction, message: None)
    job = RenderJob(
        timeline,
        out,
        # Named after the plan, so an interrupted render resumes only with
        # segments of the same timeline.
        work_dir or out.parent / f".{out.stem}.{_plan_key(timeline)}.render",
        encoder or EncoderSettings(),
    )
    prepare(job)
    plan = plan_segments(timeline)
    report(0.0, "Mixing the soundtrack")
    render_audio(job, cancel)
    for segment in plan.segments:
        render_segment(job, plan, segment, report, cancel)
    report(1 - JOIN_SHARE, "Joining the segments")
    join(job, plan, cancel)
    shutil.rmtree(job.work_dir, ignore_errors=True)
    report(1.0, "Done")
    return out


def prepare(job: RenderJob) -> None:
    """Check the inputs and lay out the work folder (idempotent)."""
    timeline = job.timeline
    timeline.validate()
    missing = [
        path
        for path in [timeline.resolve(timeline.narration)]
        + [timeline.resolve(scene.image) for scene in timeline.scenes]
        if not path.is_file()
    ]
    if missing:
        raise InputError(f"The timeline refers to a missing file: {missing[0]}")
    job.work_dir.mkdir(parents=True, exist_ok=True)
    if timeline.subtitles:
        subtitles = timeline.resolve(timeline.subtitles)
        if not subtitles.is_file():
            raise InputError(f"The subtitle file {subtitles} does not exist.")
        shutil.copyfile(subtitles, job.work_dir / SUBTITLES_NAME)
    _link_fonts(timeline, job.work_dir / FONTS_NAME)


def render_audio(job: RenderJob, cancel: CancelToken | None = None) -> None:
    if job.soundtrack.is_file():
        return
    timeline = job.timeline
    plan = SoundtrackPlan(
        narration=timeline.resolve(timeline.narration),
        duration=plan_segments(timeline).total_frames / timeline.fps,
        music=timeline.resolve(timeline.music) if timeline.music else None,
        music_volume_db=timeline.music_volume_db,
        loudness_lufs=timeline.loudness_lufs,
        true_peak_db=timeline.true_peak_db,
    )
    render_soundtrack(plan, job.soundtrack, job.work_dir, cancel=cancel)


def render_segment(
    job: RenderJob,
    plan: SegmentPlan,
    segment: Segment,
    report: RenderProgress | None = None,
    cancel: CancelToken | None = None,
) -> Path:
    """Encode one segment into the work folder, unless it is already there."""
    final = job.segment_path(segment)
    done_before = segment.first_frame / max(plan.total_frames, 1)
    share = segment.frame_count / max(plan.total_frames, 1)
    scale = 1 - AUDIO_SHARE - JOIN_SHARE

    def on_time(seconds: float) -> None:
        within = min(seconds * plan.fps / segment.frame_count, 1.0)
        if report is not None:
            report(
                AUDIO_SHARE + scale * (done_before + share * within),
                f"Rendering scene {segment.scene + 1} of {len(plan.segments)}",
            )

    if final.is_file():
        on_time(segment.frame_count / plan.fps)
        return final
    with atomic_output(final) as temporary:
        args = segment_args(
            job.timeline,
            plan,
            segment,
            Path(temporary.name),
            subtitles=bool(job.timeline.subtitles),
            encoder=job.encoder,
        )
        run_ffmpeg(
            args, output=temporary, progress=on_time, cancel=cancel, cwd=job.work_dir
        )
    return final


def join(job: RenderJob, plan: SegmentPlan, cancel: CancelToken | None = None) -> None:
    """Concatenate the segments with the soundtrack, without re-encoding."""
    listing = job.work_dir / "segments.txt"
    listing.write_text(
        "".join(f"file '{segment.name}'\n" for segment in plan.segments),
        encoding="utf-8",
    )
    with atomic_output(job.out) as temporary:
        run_ffmpeg(
            [
                "-f",
                "concat",
                "-safe",
                "0",
                "-i",
                listing.name,
                "-i",
                job.soundtrack.name,
                "-map",
                "0:v:0",
                "-map",
                "1:a:0",
                "-c",
                "copy",
                "-movflags",
                "+faststart",
                "-shortest",
                str(temporary.resolve()),
            ],
            output=temporary,
            cancel=cancel,
            cwd=job.work_dir,
        )


def _link_fonts(timeline: Timeline, link: Path) -> None:
    """Give libass the font folder under a fixed name inside the work folder.

    The real folder may sit under a path with quotes, colons or brackets,
    which would need escaping inside the filtergraph; a link avoids that.
    """
    source = timeline.resolve(timeline.fonts_dir) if timeline.fonts_dir else None
    if source is None or not source.is_dir():
        source = bundled_fonts_dir()
    if link.is_symlink() or link.exists():
        return
    try:
        os.symlink(source, link, target_is_directory=True)
    except OSError:
        # Windows without developer mode cannot make links; copy instead.
        with contextlib.suppress(FileExistsError):
            shutil.copytree(source, link)


def _plan_key(timeline: Timeline) -> str:
    import hashlib

    return hashlib.sha256(timeline.to_json().encode("utf-8")).hexdigest()[:10]
