"""Real renders with the real FFmpeg: streams, timing, loudness, glyphs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.errors import CancelledError
from core.fonts import font_for, fonts_dir_for
from core.render.encoders import EncoderPlan
from core.render.engine import render
from core.render.ffmpeg import CancelToken
from core.render.music import default_music_bed
from core.render.probe import measure_loudness, moov_before_mdat, probe
from core.render.subtitles import Cue, SubtitleStyle, write_ass
from core.render.video import EncoderSettings
from core.timeline import Timeline, TimelineScene
from tests.integration.render.helpers import (
    grab_frame,
    keyframe_times,
    render_that_fails,
    solid_still,
    voice_like_wav,
)

pytestmark = pytest.mark.integration

WIDTH, HEIGHT, FPS = 640, 360, 30
FAST = EncoderSettings(preset="superfast")
BACKGROUND = (40, 90, 140)


def _timeline(
    folder: Path, cues: list[Cue], durations=(2.0, 2.0), music=True
) -> Timeline:
    font = font_for("zh-Hant")
    write_ass(
        cues, SubtitleStyle.for_frame(WIDTH, HEIGHT, font.family), folder / "s.ass"
    )
    voice_like_wav(folder / "voice.wav", sum(durations))
    scenes, start = [], 0.0
    for index, duration in enumerate(durations):
        still = solid_still(folder / f"{index}.png", (WIDTH, HEIGHT), BACKGROUND)
        motion = "zoom-in" if index % 2 == 0 else "pan-left"
        scenes.append(TimelineScene(still.name, start, duration, motion=motion))
        start += duration
    return Timeline(
        WIDTH,
        HEIGHT,
        FPS,
        "voice.wav",
        scenes,
        "s.ass",
        music=str(default_music_bed(folder)) if music else None,
        fonts_dir=str(fonts_dir_for(font)),
        base_dir=folder,
    )


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> tuple[Timeline, Path]:
    folder = tmp_path_factory.mktemp("render")
    cues = [
        Cue(0.2, 1.4, ("夜市的一天",)),
        Cue(1.6, 2.8, ("開市之前，老闆們",)),
        Cue(3.0, 3.9, ("{\\an8} top? \\N no",)),
    ]
    timeline = _timeline(folder, cues)
    out = folder / "out" / "video.mp4"
    render(timeline, out, encoder=FAST)
    return timeline, out


def test_streams_are_what_youtube_recommends(rendered):
    _, video = rendered
    info = probe(video)
    picture, sound = info.first("video"), info.first("audio")
    assert picture is not None and sound is not None
    assert picture.codec == "h264" and "(High)" in picture.description
    assert "yuv420p(tv, bt709" in picture.description
    assert (
        f"{WIDTH}x{HEIGHT}" in picture.description and "30 fps" in picture.description
    )
    assert sound.codec == "aac" and "(LC)" in sound.description
    assert "48000 Hz" in sound.description and "stereo" in sound.description
    assert moov_before_mdat(video)


def test_duration_matches_the_timeline_to_a_frame(rendered):
    timeline, video = rendered
    assert abs(probe(video).duration - timeline.duration) <= 1 / FPS + 0.03


def test_loudness_is_normalised_for_youtube(rendered):
    loudness = measure_loudness(rendered[1])
    assert -14.5 <= loudness.integrated_lufs <= -13.5
    assert loudness.true_peak_db <= -1.0


def test_keyframes_come_at_least_every_half_second(rendered):
    times = keyframe_times(rendered[1])
    assert times[0] == 0.0
    gaps = np.diff(times)
    assert gaps.max() <= 0.5 + 1e-6


def _text_pixels(frame: np.ndarray) -> np.ndarray:
    distance = np.abs(frame.astype(int) - np.array(BACKGROUND)).sum(axis=2)
    return distance > 60


def test_chinese_subtitles_are_drawn_as_real_glyphs(rendered):
    _, video = rendered
    first = grab_frame(video, 0.8)[int(HEIGHT * 0.6) :]
    second = grab_frame(video, 2.2)[int(HEIGHT * 0.6) :]
    assert _text_pixels(first).sum() > 300, "no subtitle drawn"
    # Missing glyphs draw identical boxes; real characters differ.
    assert (_text_pixels(first) != _text_pixels(second)).sum() > 300


def test_override_tags_in_the_text_are_shown_literally_not_obeyed(rendered):
    frame = grab_frame(rendered[1], 3.5)
    top, bottom = frame[: HEIGHT // 3], frame[int(HEIGHT * 0.6) :]
    assert _text_pixels(bottom).sum() > 300
    assert _text_pixels(top).sum() < 20  # {\an8} would have moved it up


def test_the_render_resumes_from_finished_segments(tmp_path: Path):
    timeline = _timeline(
        tmp_path, [Cue(0.1, 1.0, ("hi",))], durations=(1.0, 1.0), music=False
    )
    work = tmp_path / "work"
    cancel = CancelToken()
    seen: list[str] = []

    def stop_after_first_segment(fraction: float, message: str) -> None:
        seen.append(message)
        if "scene 2" in message:
            cancel.cancel()

    with pytest.raises(CancelledError):
        render(
            timeline,
            tmp_path / "v.mp4",
            work_dir=work,
            encoder=FAST,
            encoders=EncoderPlan(1),  # one after the other, to stop between
            progress=stop_after_first_segment,
            cancel=cancel,
        )
    assert not (tmp_path / "v.mp4").exists()
    assert (work / "segment-0000.mp4").is_file()
    assert not list(work.glob("*.part.*"))
    first_segment = (work / "segment-0000.mp4").stat().st_mtime_ns
    render(timeline, tmp_path / "v.mp4", work_dir=work, encoder=FAST)
    assert (tmp_path / "v.mp4").is_file()
    assert not work.exists()  # cleaned up after success
    assert first_segment  # the first segment was reused, not re-encoded


def test_a_broken_soundtrack_fails_the_render_with_its_own_message(tmp_path: Path):
    """The soundtrack is mixed beside the segments; when it fails, the
    segments stop and the error says what went wrong, not "cancelled"."""
    timeline = _timeline(
        tmp_path, [Cue(0.1, 1.0, ("hi",))], durations=(3.0, 3.0), music=False
    )
    (tmp_path / "voice.wav").write_bytes(b"RIFF\x00\x00 not really a wave file")
    messages: list[str] = []

    work = render_that_fails(
        timeline,
        tmp_path,
        encoder=FAST,
        progress=lambda fraction, message: messages.append(message),
    )
    assert not (work / "segment-0001.mp4").exists()  # stopped, not finished


def test_paths_with_quotes_colons_brackets_and_cjk_render(tmp_path: Path):
    folder = tmp_path / 'it\'s [a]: 夜市, "odd"; 100%'
    folder.mkdir()
    timeline = _timeline(
        folder, [Cue(0.1, 0.9, ("ok",))], durations=(1.0,), music=False
    )
    out = folder / "out put's [1].mp4"
    render(timeline, out, encoder=FAST)
    assert probe(out).duration > 0.9


def test_portrait_shorts_frames_render(tmp_path: Path):
    global WIDTH, HEIGHT
    saved = WIDTH, HEIGHT
    WIDTH, HEIGHT = 360, 640
    try:
        timeline = _timeline(
            tmp_path, [Cue(0.1, 0.9, ("直式",))], durations=(1.0,), music=False
        )
        render(timeline, tmp_path / "s.mp4", encoder=FAST)
    finally:
        WIDTH, HEIGHT = saved
    assert "360x640" in probe(tmp_path / "s.mp4").first("video").description


def test_the_same_picture_on_neighbouring_scenes_and_odd_shapes_render(tmp_path: Path):
    timeline = _timeline(
        tmp_path, [Cue(0.1, 0.9, ("ok",))], durations=(1.0, 1.0), music=False
    )
    square = solid_still(tmp_path / "square.png", (400, 400), BACKGROUND)
    for scene in timeline.scenes:
        scene.image = square.name  # one picture for both, and not 16:9
    render(timeline, tmp_path / "same.mp4", encoder=FAST)
    stream = probe(tmp_path / "same.mp4").first("video")
    assert stream is not None and stream.size == (WIDTH, HEIGHT)
    assert "SAR 1:1" in stream.description or "SAR" not in stream.description
