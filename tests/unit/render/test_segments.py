from pathlib import Path

from core.render.segments import plan_segments
from core.timeline import Timeline, TimelineScene


def _timeline(durations, transition=0.5, fps=30):
    scenes, start = [], 0.0
    for duration in durations:
        scenes.append(
            TimelineScene("x.png", start, duration, transition_duration=transition)
        )
        start += duration
    return Timeline(1920, 1080, fps, "n.wav", scenes, base_dir=Path("."))


def test_segments_cover_every_frame_exactly_once():
    plan = plan_segments(_timeline([3.3, 4.1, 2.77, 5.0]))
    position = 0
    for segment in plan.segments:
        assert segment.first_frame == position
        position += segment.frame_count
    assert position == plan.total_frames == round(15.17 * 30)


def test_each_transition_is_centred_on_the_cut_and_ends_its_segment():
    plan = plan_segments(_timeline([4.0, 4.0, 4.0], transition=0.6))
    first, second, last = plan.segments
    assert first.transition_frames == 18
    assert first.first_frame + first.frame_count == 120 + 9
    assert second.scene_offset == 18  # frames of scene 2 shown during the fade
    assert last.transition_frames == 0


def test_scene_spans_overlap_by_their_transitions():
    plan = plan_segments(_timeline([2.0, 2.0], transition=1.0))
    first, second = plan.spans
    assert first.first_frame == 0
    assert first.frame_count == 60 + 15
    assert second.first_frame == 60 - 15


def test_transitions_shrink_to_fit_very_short_scenes():
    plan = plan_segments(_timeline([0.2, 0.2, 0.2], transition=2.0))
    for segment in plan.segments:
        assert segment.solo_frames >= 0
        assert segment.frame_count > 0


def test_a_cut_has_no_transition_frames():
    plan = plan_segments(_timeline([1.0, 1.0], transition=0.0))
    assert [s.transition_frames for s in plan.segments] == [0, 0]
