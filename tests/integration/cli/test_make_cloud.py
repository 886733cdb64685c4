"""``reelwright make --providers cloud`` end to end against the local fakes.

The real SDKs (google-genai, google-cloud-texttospeech, httpx) in real worker
processes talk HTTP to fakes that speak each service's wire protocol; the
subtitles must follow the timepoints the fake voice reported, and no key may
be left anywhere: not in the database, not in Redis, not in a log.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from core.pipeline.assemble import BREATH, LEAD_IN
from core.render.probe import probe
from tests.conftest import ENGLISH_ARTICLE
from tests.fakes.gemini import TEST_KEY as GEMINI_KEY
from tests.fakes.gemini import FakeGemini
from tests.fakes.stability import FakeStability
from tests.fakes.tts import FakeTextToSpeech
from tests.integration.cli.test_make import run_cli

pytestmark = pytest.mark.integration

TTS_KEY, STABILITY_KEY = "fake-tts-key", "sk-fakestabilitykey"


@pytest.fixture(scope="module")
def cloud_run(tmp_path_factory, monkeypatch_module=None):
    folder = tmp_path_factory.mktemp("cloud")
    with (
        FakeGemini() as gemini,
        FakeTextToSpeech(pace=2.0) as tts,
        FakeStability() as images,
    ):
        env = {
            "GEMINI_API_KEY": GEMINI_KEY,
            "REELWRIGHT_GEMINI_BASE_URL": gemini.url,
            "REELWRIGHT_TTS_API_KEY": TTS_KEY,
            "REELWRIGHT_TTS_ENDPOINT": tts.url,
            "STABILITY_API_KEY": STABILITY_KEY,
            "REELWRIGHT_STABILITY_BASE_URL": images.url,
        }
        result = run_cli(
            "make",
            str(ENGLISH_ARTICLE),
            "--providers",
            "cloud",
            "--format",
            "preview",
            "--music",
            "none",
            "--json",
            home=folder / "home",
            extra_env=env,
        )
        assert result.returncode == 0, result.stderr
        summary = json.loads(result.stdout.strip().splitlines()[-1])
        return summary, tts.syntheses, folder / "home", len(gemini.requests), images


def test_every_stage_used_its_cloud_service(cloud_run):
    summary, syntheses, _, gemini_calls, images = cloud_run
    assert gemini_calls >= 1
    assert syntheses and all(s.version == "v1beta1" for s in syntheses)
    assert len(images.requests) >= 1
    assert probe(Path(summary["video"])).duration > 3
    usage = summary["usage"]
    assert {"gemini", "google-tts", "stability"} <= set(usage)
    assert usage["stability"]["amount"] == len(images.requests)


def _srt_starts(text: str) -> list[tuple[float, str]]:
    cues = []
    for block in text.strip().split("\n\n"):
        lines = block.splitlines()
        h, m, s = lines[1].split(" --> ")[0].replace(",", ".").split(":")
        cues.append((int(h) * 3600 + int(m) * 60 + float(s), " ".join(lines[2:])))
    return cues


def test_subtitles_follow_the_fake_voices_timepoints(cloud_run):
    summary, syntheses, _, _, _ = cloud_run
    timeline = json.loads(Path(summary["timeline"]).read_text(encoding="utf-8"))
    cues = _srt_starts(Path(summary["subtitles"]).read_text(encoding="utf-8"))
    assert len(syntheses) == len(timeline["scenes"])
    checked = 0
    for index, (scene, synthesis) in enumerate(
        zip(timeline["scenes"], syntheses, strict=True)
    ):
        lead = LEAD_IN if index == 0 else BREATH / 2
        for _, seconds, words in synthesis.marks:
            expected = scene["start"] + lead + seconds
            match = [c for c in cues if abs(c[0] - expected) < 0.005]
            assert match, f"no cue at {expected:.3f} s for {words!r}"
            assert match[0][1].split()[0] == words.split()[0]
            checked += 1
    assert checked >= 4


def test_no_key_is_left_in_the_database_redis_or_logs(cloud_run):
    _, _, home, _, _ = cloud_run
    keys = [GEMINI_KEY, TTS_KEY, STABILITY_KEY]
    database = home / "data" / "reelwright.sqlite3"
    dump = "\n".join(sqlite3.connect(database).iterdump())
    texts = {"database": dump}
    for log in (home / "logs").glob("*.log*"):
        texts[log.name] = log.read_text(encoding="utf-8", errors="replace")
    aof = [p for p in (home / "data" / "redis").rglob("*") if p.is_file()]
    texts["redis"] = "".join(p.read_bytes().decode("latin-1") for p in aof)
    assert texts["redis"] and texts["database"]
    for where, text in texts.items():
        for key in keys:
            assert key not in text, f"a key was found in {where}"
    assert re.search(r"gemini", texts["database"])  # the choice is stored, not the key
