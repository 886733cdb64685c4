import json
from pathlib import Path

import pytest

from core.errors import InputError
from core.timeline import Timeline, TimelineScene


def _data(**changes):
    data = {
        "width": 1920,
        "height": 1080,
        "fps": 30,
        "narration": "voice.wav",
        "subtitles": "subs.ass",
        "scenes": [
            {"image": "a.png", "start": 0, "duration": 2.5, "motion": "pan-left"},
            {"image": "/abs/b.png", "start": 2.5, "duration": 3},
        ],
    }
    data.update(changes)
    return data


def test_relative_paths_resolve_from_the_timeline_folder(tmp_path: Path):
    path = tmp_path / "plan" / "timeline.json"
    path.parent.mkdir()
    path.write_text(json.dumps(_data()), encoding="utf-8")
    timeline = Timeline.load(path)
    assert timeline.resolve(timeline.scenes[0].image) == path.parent / "a.png"
    assert timeline.resolve(timeline.scenes[1].image) == Path("/abs/b.png")
    assert timeline.duration == 5.5


def test_a_saved_timeline_loads_back_equal(tmp_path: Path):
    timeline = Timeline.from_dict(_data(music="bed.wav"), base_dir=tmp_path)
    timeline.save(tmp_path / "t.json")
    again = Timeline.load(tmp_path / "t.json")
    assert again == timeline
    assert json.loads((tmp_path / "t.json").read_text())["duration"] == 5.5


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"scenes": []}, "no scenes"),
        ({"width": 1921}, "even"),
        ({"fps": 0}, "Frame rate"),
        ({"scenes": [{"image": "a.png", "start": 0, "duration": 0}]}, "duration"),
        (
            {
                "scenes": [
                    {"image": "a.png", "start": 0, "duration": 1, "motion": "spin"}
                ]
            },
            "motion",
        ),
        (
            {
                "scenes": [
                    {"image": "a.png", "start": 0, "duration": 1},
                    {"image": "b.png", "start": 2, "duration": 1},
                ]
            },
            "without gaps",
        ),
        (
            {"scenes": [{"start": 0, "duration": 1}]},
            "Scene 1 of the timeline needs an image",
        ),
        ({"fps": "30"}, "fps must be a number"),
        ({"fps": 29.97}, "fps must be a whole number"),
        ({"scenes": [{"image": "a.png", "start": "soon", "duration": 1}]}, "bad field"),
        ({"scenes": "all of them"}, "must be a list"),
    ],
)
def test_bad_timelines_are_refused_with_a_clear_message(tmp_path, changes, message):
    with pytest.raises(InputError, match=message):
        Timeline.from_dict(_data(**changes), base_dir=tmp_path)


def test_a_timeline_without_required_fields_names_them(tmp_path: Path):
    with pytest.raises(InputError, match="lacks fps, narration"):
        Timeline.from_dict({"width": 2, "height": 2, "scenes": []}, base_dir=tmp_path)


def test_subtitles_may_be_left_out(tmp_path: Path):
    data = _data()
    del data["subtitles"]
    assert Timeline.from_dict(data, base_dir=tmp_path).subtitles is None


def test_a_file_that_is_not_json_is_an_input_error(tmp_path: Path):
    path = tmp_path / "t.json"
    path.write_bytes(b"\x00\xff not json")
    with pytest.raises(InputError, match="not valid JSON"):
        Timeline.load(path)


def test_scene_end_is_start_plus_duration():
    assert TimelineScene("a.png", 1.5, 2.0).end == 3.5
