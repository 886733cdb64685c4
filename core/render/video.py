"""One segment's FFmpeg graph: stills in motion, a transition, subtitles.

Each still is scaled once, a little larger than the frame, converted to
BT.709 YUV once, and held with the ``loop`` filter; the camera then moves
over it with a crop (pans, nearly free) or a per-frame scale and crop
(zooms). This avoids ``zoompan``, which rebuilds a scaler for every frame,
and ``-loop 1`` on the input, which decodes the picture again every frame.
No user text enters the graph: the subtitle file and the font folder are
reached through fixed names inside the render's work folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import ffmpeg

from core.render.segments import Segment, SegmentPlan
from core.timeline import Timeline

ZOOM = 1.12  # how far the camera may zoom into a still
SUBTITLES_NAME = "subtitles.ass"
FONTS_NAME = "fonts"


@dataclass(frozen=True)
class EncoderSettings:
    """H.264 as YouTube recommends: High profile, yuv420p, BT.709, closed GOP
    of half the frame rate."""

    preset: str = "veryfast"
    crf: int = 20
    maxrate_kbps: int = 16_000
    threads: int = 0  # x264's threads; 0: as many as x264 likes for the cores

    def args(self, fps: int) -> dict[str, object]:
        return {
            "c:v": "libx264",
            "threads": self.threads,
            "preset": self.preset,
            "profile:v": "high",
            "crf": self.crf,
            "maxrate": f"{self.maxrate_kbps}k",
            "bufsize": f"{self.maxrate_kbps * 2}k",
            "pix_fmt": "yuv420p",
            "g": max(fps // 2, 1),
            "bf": 2,
            "flags": "+cgop",
            "sc_threshold": 0,
            "colorspace": "bt709",
            "color_primaries": "bt709",
            "color_trc": "bt709",
            "color_range": "tv",
            "an": None,
        }


def segment_args(
    timeline: Timeline,
    plan: SegmentPlan,
    segment: Segment,
    out: Path,
    *,
    subtitles: bool,
    encoder: EncoderSettings,
) -> list[str]:
    """FFmpeg arguments (without the program name) that encode ``segment``."""
    first = timeline.scenes[segment.scene]
    sources = _sources(timeline, segment)
    video = _scene_stream(
        timeline,
        sources[0],
        segment.scene,
        segment.scene_offset,
        plan.spans[segment.scene].frame_count,
        segment.frame_count,
    )
    if segment.transition_frames:
        following = _scene_stream(
            timeline,
            sources[1],
            segment.scene + 1,
            0,
            plan.spans[segment.scene + 1].frame_count,
            segment.transition_frames,
        )
        video = _transition(video, following, first.transition, segment, timeline.fps)
    if subtitles:
        video = _burn_subtitles(video, segment.first_frame / timeline.fps)
    # Square pixels (the zoom's per-frame scaling would otherwise leave a
    # sample aspect that players honour), and frames tagged BT.709.
    video = video.filter("setsar", 1).filter(
        "setparams",
        color_primaries="bt709",
        color_trc="bt709",
        colorspace="bt709",
        range="tv",
    )
    output = ffmpeg.output(
        video,
        str(out),
        **{"frames:v": segment.frame_count},
        **encoder.args(timeline.fps),
    )
    # One filter thread: the graph is light next to x264, which already has
    # a thread per core, and slice threads on top only contend with it
    # (measured: about 8% faster with one, on two cores).
    return ["-filter_complex_threads", "1", *output.compile(cmd="ffmpeg")[1:]]


def _transition(video, following, kind: str, segment: Segment, fps: int):  # type: ignore[no-untyped-def]
    """Blend only the transition's frames.

    xfade works in 4:4:4 or RGB, and given the whole segment FFmpeg would
    convert every frame of it there and back; split off the solo frames,
    which stay 4:2:0 and untouched, and blend just the tail.
    """
    video = video.filter("format", "yuv420p")
    solo = segment.solo_frames
    blended_from = video
    head = None
    if solo:
        split = video.split()
        head_part, blended_from = split[0], split[1]
        head = head_part.filter("trim", end_frame=solo).filter("setpts", "PTS-STARTPTS")
        blended_from = blended_from.filter("trim", start_frame=solo).filter(
            "setpts", "PTS-STARTPTS"
        )
    blended = ffmpeg.filter(
        [blended_from, following],
        "xfade",
        transition=kind,
        duration=f"{segment.transition_frames / fps:.6f}",
        offset="0",
    ).filter("format", "yuv420p")
    if head is None:
        return blended
    return ffmpeg.concat(head, blended, v=1, a=0)


def _sources(timeline: Timeline, segment: Segment) -> list:  # type: ignore[type-arg]
    """The segment's stills as FFmpeg inputs; one picture used by both
    scenes of a transition is read once and split."""
    images = [timeline.resolve(timeline.scenes[segment.scene].image)]
    if segment.transition_frames:
        images.append(timeline.resolve(timeline.scenes[segment.scene + 1].image))
    if len(images) == 2 and images[0] == images[1]:
        split = ffmpeg.input(str(images[0])).split()
        return [split[0], split[1]]
    return [ffmpeg.input(str(image)) for image in images]


def _scene_stream(
    timeline: Timeline,
    source,  # type: ignore[no-untyped-def]
    index: int,
    offset: int,
    span_frames: int,
    frames: int,
):  # type: ignore[no-untyped-def]
    width, height, fps = timeline.width, timeline.height, timeline.fps
    big_w, big_h = _even(width * ZOOM), _even(height * ZOOM)
    stream = (
        # Cover, never stretch: a still of another shape is cropped to fit.
        source.filter(
            "scale",
            w=big_w,
            h=big_h,
            force_original_aspect_ratio="increase",
            flags="lanczos",
            out_color_matrix="bt709",
            out_range="tv",
        )
        .filter("crop", big_w, big_h)
        .filter("setsar", 1)
        .filter("format", "yuv420p")
        .filter("loop", loop=-1, size=1)
        .filter("setpts", f"N/{fps}/TB")
        .filter("fps", fps)
        .filter("trim", end_frame=frames)
    )
    eased = _eased_progress(offset, span_frames)
    motion = timeline.scenes[index].motion
    return _camera(stream, motion, eased, index, width, height, big_w, big_h)


def _camera(stream, motion, eased, index, width, height, big_w, big_h):  # type: ignore[no-untyped-def]
    if motion.startswith("zoom"):
        zoom = (
            f"(1+{ZOOM - 1:.4f}*{eased})"
            if motion == "zoom-in"
            else f"({ZOOM:.4f}-{ZOOM - 1:.4f}*{eased})"
        )
        scaled_w, scaled_h = f"trunc({width}*{zoom}/2)*2", f"trunc({height}*{zoom}/2)*2"
        # Zoom towards a point that varies per scene, not always the centre.
        focus_x, focus_y = (
            0.35 + 0.3 * ((index * 7) % 5) / 4,
            0.4 + 0.2 * (index % 3) / 2,
        )
        return stream.filter(
            "scale", w=scaled_w, h=scaled_h, eval="frame", flags="bilinear"
        ).filter(
            "crop",
            w=width,
            h=height,
            x=f"({scaled_w}-{width})*{focus_x:.3f}",
            y=f"({scaled_h}-{height})*{focus_y:.3f}",
        )
    room_x, room_y = big_w - width, big_h - height
    x, y = {
        "pan-left": (f"{room_x}*(1-{eased})", f"{room_y / 2}"),
        "pan-right": (f"{room_x}*{eased}", f"{room_y / 2}"),
        "pan-up": (f"{room_x / 2}", f"{room_y}*(1-{eased})"),
        "pan-down": (f"{room_x / 2}", f"{room_y}*{eased}"),
    }[motion]
    return stream.filter("crop", w=width, h=height, x=x, y=y)


def _eased_progress(offset: int, span_frames: int) -> str:
    """Smoothstep of the scene's progress: the camera eases in and out.

    ``n`` counts this segment's frames; ``offset`` are the scene's frames
    shown by the previous segment, so the motion carries on seamlessly.
    """
    progress = f"((n+{offset})/{max(span_frames - 1, 1)})"
    return f"({progress}*{progress}*(3-2*{progress}))"


def _burn_subtitles(video, start_seconds: float):  # type: ignore[no-untyped-def]
    # libass places cues by the frame's time, so lend it the video's clock.
    return (
        video.filter("setpts", f"PTS+{start_seconds:.6f}/TB")
        .filter("subtitles", filename=SUBTITLES_NAME, fontsdir=FONTS_NAME)
        .filter("setpts", "PTS-STARTPTS")
    )


def _even(value: float) -> int:
    return int(round(value / 2)) * 2
