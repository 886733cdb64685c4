"""Rendering a timeline to a finished MP4.

The picture is encoded segment by segment (see ``segments``), as many at
once as the machine's encoder plan says (see ``encoders``), while the
soundtrack is mixed and normalised beside them, and the two are joined with
stream copy and ``+faststart``. The soundtrack is one more part of the
render, like a segment: ``render`` runs it on a thread next to the segments,
the workers run it as one more message. Each part writes its file
atomically and skips work already done, so a render that was interrupted
resumes where it stopped.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import shutil
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from core.errors import CancelledError, InputError
from core.fonts import bundled_fonts_dir
from core.render.audio import SoundtrackPlan, render_soundtrack
from core.render.encoders import EncoderPlan, EncoderSlots, plan_encoders
from core.render.ffmpeg import CancelToken, run_ffmpeg
from core.render.segments import Segment, SegmentPlan, plan_segments
from core.render.subtitle_fonts import write_subtitle_fonts
from core.render.video import FONTS_NAME, SUBTITLES_NAME, EncoderSettings, segment_args
from core.storage import atomic_output
from core.timeline import Timeline

log = logging.getLogger(__name__)

RenderProgress = Callable[[float, str], None]  # fraction 0..1, message

JOIN_SHARE = 0.02  # of the progress bar: the final join is quick


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
    encoders: EncoderPlan | None = None,
    progress: RenderProgress | None = None,
    cancel: CancelToken | None = None,
) -> Path:
    """Render ``timeline`` to ``out``; return ``out``.

    ``encoders`` says how many segments are encoded at once and with how
    many threads; by default the machine's cores and free memory decide.
    """
    report = progress or (lambda fraction, message: None)
    at_once = encoders or plan_encoders(timeline.width, timeline.height)
    job = RenderJob(
        timeline,
        out,
        # Named after the plan, so an interrupted render resumes only with
        # segments of the same timeline.
        work_dir or out.parent / f".{out.stem}.{_plan_key(timeline)}.render",
        with_threads(encoder or EncoderSettings(), at_once.threads),
    )
    lay_out(job)
    plan = plan_segments(timeline)
    render_parts(job, plan, report, cancel, encoders=at_once.encoders)
    report(1 - JOIN_SHARE, "Joining the segments")
    join(job, plan, cancel)
    shutil.rmtree(job.work_dir, ignore_errors=True)
    report(1.0, "Done")
    return out


def with_threads(encoder: EncoderSettings, threads: int) -> EncoderSettings:
    """``encoder`` with ``threads`` x264 threads, unless it names its own."""
    if encoder.threads:
        return encoder
    return dataclasses.replace(encoder, threads=threads)


def prepare(job: RenderJob) -> None:
    """Everything a part needs, so any worker can render any part next."""
    lay_out(job)
    prepare_fonts(job)


def lay_out(job: RenderJob) -> None:
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


def prepare_fonts(job: RenderJob) -> None:
    """The subtitles' fonts, cut down, in the work folder (idempotent).

    Under a fixed name there: the real folder may sit under a path with
    quotes, colons or brackets, which would need escaping in the filtergraph.
    """
    timeline = job.timeline
    if not timeline.subtitles:
        return
    source = timeline.resolve(timeline.fonts_dir) if timeline.fonts_dir else None
    write_subtitle_fonts(
        job.work_dir / SUBTITLES_NAME,
        source if source is not None and source.is_dir() else bundled_fonts_dir(),
        job.work_dir / FONTS_NAME,
    )


def render_parts(
    job: RenderJob,
    plan: SegmentPlan,
    report: RenderProgress | None = None,
    cancel: CancelToken | None = None,
    *,
    encoders: int = 1,
) -> None:
    """Encode every segment, ``encoders`` at a time, with the soundtrack
    mixed beside them."""
    # The soundtrack needs one core for a few seconds (AAC encoding is most
    # of it), which the video encoder leaves over; run first, it would hold
    # up the whole render instead. It also overlaps cutting the fonts.
    overall = _OverallProgress(plan, report)
    with _alongside(lambda token: render_audio(job, token), cancel) as token:
        prepare_fonts(job)
        if encoders <= 1:
            for segment in plan.segments:
                render_segment(job, plan, segment, overall.of(segment), token)
        else:
            _encode_side_by_side(job, plan, overall, token, encoders)


def _encode_side_by_side(
    job: RenderJob,
    plan: SegmentPlan,
    overall: _OverallProgress,
    cancel: CancelToken,
    encoders: int,
) -> None:
    """Encode the segments ``encoders`` at a time, in timeline order.

    The first to fail stops the others, and its error is the one raised; a
    cancel from the caller is raised as the cancel it is.
    """
    token = CancelToken(cancel)
    failures: list[BaseException] = []

    def encode(segment: Segment) -> None:
        if token.cancelled:
            return
        try:
            render_segment(job, plan, segment, overall.of(segment), token)
        except BaseException as error:  # handed to the caller's thread
            failures.append(error)
            token.cancel()

    try:
        with ThreadPoolExecutor(encoders, thread_name_prefix="segment") as pool:
            for segment in plan.segments:
                pool.submit(encode, segment)
    except BaseException:  # Ctrl+C while waiting: stop the encoders too
        token.cancel()
        raise
    if cancel.cancelled:
        raise CancelledError("The render was cancelled.")
    if failures:
        real = [error for error in failures if not isinstance(error, CancelledError)]
        raise (real or failures)[0]


def soundtrack_part(plan: SegmentPlan) -> int:
    """The soundtrack's part number: the one after the last segment."""
    return len(plan.segments)


def part_numbers(plan: SegmentPlan) -> list[int]:
    """Every part of a render, for workers to share: segments, soundtrack."""
    return [segment.index for segment in plan.segments] + [soundtrack_part(plan)]


def render_part(
    job: RenderJob,
    plan: SegmentPlan,
    part: int,
    report: RenderProgress | None = None,
    cancel: CancelToken | None = None,
    slots: EncoderSlots | None = None,
) -> None:
    """Render one part (a segment, or the soundtrack) into the work folder.

    A segment waits for one of the machine's encoder ``slots``, if given:
    workers in several processes then never run more encoders at once than
    the machine's plan allows, and each takes the share of the cores that
    the encoders running beside it leave.
    """
    if part == soundtrack_part(plan):
        if report is not None:
            report(0.0, "Mixing the soundtrack")
        render_audio(job, cancel)
        return
    segment = plan.segments[part]
    if slots is None or job.segment_path(segment).is_file():
        render_segment(job, plan, segment, report, cancel)
        return

    def waiting() -> None:
        if report is not None:
            report(0.0, "Waiting for a free video encoder")

    with slots.hold(cancel, waiting):
        encoder = with_threads(job.encoder, slots.threads_now())
        job = dataclasses.replace(job, encoder=encoder)
        render_segment(job, plan, segment, report, cancel)


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
    """Encode one segment into the work folder, unless it is already there.

    ``report`` hears the segment's own progress, from 0 to 1.
    """
    final = job.segment_path(segment)

    def on_time(seconds: float) -> None:
        if report is not None:
            report(
                min(seconds * plan.fps / segment.frame_count, 1.0),
                _scene_message(plan, segment),
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
    # FFmpeg's last report is the last frame's start, a frame short of done.
    on_time(segment.frame_count / plan.fps)
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


class _OverallProgress:
    """The whole render's progress, from segments finishing in any order.

    Frames encoded over all frames, so the bar only moves forward however
    many segments are encoded at once; the join has the last sliver.
    """

    def __init__(self, plan: SegmentPlan, report: RenderProgress | None) -> None:
        self._plan = plan
        self._report = report
        self._frames = [0.0] * len(plan.segments)
        self._lock = threading.Lock()

    def of(self, segment: Segment) -> RenderProgress:
        def on_segment(fraction: float, message: str) -> None:
            segments = self._plan.segments
            with self._lock:
                self._frames[segment.index] = fraction * segment.frame_count
                done = sum(self._frames) / max(self._plan.total_frames, 1)
                # Name the earliest scene still being encoded, not whichever
                # encoder spoke last.
                current = next(
                    (s for s, frames in zip(segments, self._frames, strict=True)
                     if frames < s.frame_count),
                    segment,
                )  # fmt: skip
                if self._report is not None:
                    self._report(
                        (1 - JOIN_SHARE) * done, _scene_message(self._plan, current)
                    )

        return on_segment


def _scene_message(plan: SegmentPlan, segment: Segment) -> str:
    return f"Rendering scene {segment.scene + 1} of {len(plan.segments)}"


@contextlib.contextmanager
def _alongside(
    work: Callable[[CancelToken], None], cancel: CancelToken | None
) -> Iterator[CancelToken]:
    """Run ``work`` on a thread while the block runs; both finish, or neither.

    The block gets a token to pass on: it is cancelled when ``cancel`` is or
    when ``work`` fails, so a broken soundtrack stops the segments at once.
    When the block fails, ``work`` is cancelled. Either way the first real
    error is raised, not the cancellation it caused in the other.
    """
    block_token, work_token = CancelToken(cancel), CancelToken(cancel)
    failures: list[BaseException] = []

    def run() -> None:
        try:
            work(work_token)
        except BaseException as error:  # handed to the caller's thread
            failures.append(error)
            block_token.cancel()

    thread = threading.Thread(target=run, name="soundtrack", daemon=True)
    thread.start()
    try:
        yield block_token
    except CancelledError as error:
        work_token.cancel()
        thread.join()
        caused_by_work = failures and not isinstance(failures[0], CancelledError)
        if caused_by_work and not (cancel is not None and cancel.cancelled):
            raise failures[0] from error
        raise
    except BaseException:
        work_token.cancel()
        thread.join()
        raise
    thread.join()
    if failures:
        raise failures[0]


def _plan_key(timeline: Timeline) -> str:
    import hashlib

    return hashlib.sha256(timeline.to_json().encode("utf-8")).hexdigest()[:10]
