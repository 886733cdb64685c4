"""``reelwright make`` and ``reelwright render`` as a creator runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.render.probe import probe
from tests.conftest import CHINESE_ARTICLE, ENGLISH_ARTICLE

pytestmark = pytest.mark.integration


def run_cli(
    *args: str, home: Path, cwd: Path | None = None, extra_env: dict | None = None
) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "REELWRIGHT_HOME": str(home),
        "REELWRIGHT_X264_PRESET": "superfast",
        **(extra_env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "worker.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=600,
    )


@pytest.fixture(scope="module")
def english(tmp_path_factory) -> tuple[dict, Path]:
    folder = tmp_path_factory.mktemp("cli")
    out = folder / "my video's [final].mp4"
    result = run_cli(
        "make",
        str(ENGLISH_ARTICLE),
        "-o",
        str(out),
        "--json",
        home=folder / "home",
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1]), out


def test_make_prints_json_with_absolute_paths_of_every_output(english):
    summary, out = english
    for key in (
        "project_id",
        "workspace",
        "video",
        "timeline",
        "subtitles",
        "thumbnail",
    ):
        assert key in summary
    for key in ("workspace", "video", "timeline", "subtitles", "thumbnail"):
        assert Path(summary[key]).is_absolute() and Path(summary[key]).exists()
    assert Path(summary["video"]) == out
    assert Path(summary["subtitles"]) == out.with_suffix(".srt")
    description = out.with_suffix(".txt").read_text(encoding="utf-8")
    assert description.startswith("Three habits for a calmer working week")
    assert "Tags: " in description


def test_the_video_follows_its_timeline_and_has_sound(english):
    summary, _ = english
    timeline = json.loads(Path(summary["timeline"]).read_text(encoding="utf-8"))
    info = probe(Path(summary["video"]))
    assert abs(info.duration - timeline["duration"]) < 0.1
    assert info.first("audio") is not None
    assert len(timeline["scenes"]) >= 3
    motions = {scene["motion"] for scene in timeline["scenes"]}
    assert len(motions) >= 3  # varied per scene


def test_real_speech_is_normalised_for_youtube(english):
    from core.render.probe import measure_loudness

    loudness = measure_loudness(Path(english[0]["video"]))
    assert -14.5 <= loudness.integrated_lufs <= -13.5
    assert loudness.true_peak_db <= -1.0


def test_subtitles_carry_the_creators_words_in_order(english):
    summary, _ = english
    srt = Path(summary["subtitles"]).read_text(encoding="utf-8")
    assert "Three habits for a calmer working week." in srt
    assert srt.index("First, plan the morning the night before.") < srt.index(
        "Second, keep meetings short."
    )


def test_the_thumbnail_is_a_1280x720_jpeg(english):
    from PIL import Image

    with Image.open(english[0]["thumbnail"]) as image:
        assert image.format == "JPEG" and image.size == (1280, 720)


def test_chinese_content_makes_a_shorts_video_with_chinese_subtitles(tmp_path):
    result = run_cli(
        "make",
        str(CHINESE_ARTICLE),
        "--format",
        "shorts",
        "--json",
        "--music",
        "none",
        home=tmp_path / "home",
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe(Path(summary["video"])).first("video").size == (1080, 1920)
    srt = Path(summary["subtitles"]).read_text(encoding="utf-8")
    assert "清晨五點" in srt and "菜市場" in srt


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "empty"),
        ("binary.txt", bytes(range(256)) * 64, "binary"),
        ("notes.xyz", b"hello", ".xyz"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(
    tmp_path, name, data, message
):
    source = tmp_path / name
    source.write_bytes(data)
    out = tmp_path / "out.mp4"
    result = run_cli("make", str(source), "-o", str(out), home=tmp_path / "home")
    assert result.returncode == 2
    assert message in result.stderr.lower()
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_a_missing_file_exits_2(tmp_path):
    result = run_cli("make", str(tmp_path / "nope.md"), home=tmp_path / "home")
    assert result.returncode == 2
    assert "nope.md" in result.stderr


def test_render_renders_a_timeline_file_and_refuses_a_broken_one(tmp_path, english):
    summary, _ = english
    out = tmp_path / "again.mp4"
    result = run_cli(
        "render", summary["timeline"], "-o", str(out), home=tmp_path / "home"
    )
    assert result.returncode == 0, result.stderr
    assert abs(probe(out).duration - probe(Path(summary["video"])).duration) < 0.1

    broken = tmp_path / "broken.json"
    broken.write_text('{"width": 1920}', encoding="utf-8")
    result = run_cli(
        "render", str(broken), "-o", str(tmp_path / "x.mp4"), home=tmp_path / "home"
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.mp4").exists()
