"""Cutting a timeline into independently encoded segments.

Each segment is one scene's solo part plus the transition into the next
scene, so a transition never straddles two segments. Segments are encoded
with identical settings, each starting on a keyframe, and joined without
re-encoding: every frame is encoded exactly once, memory stays flat however
long the video is, and segments can be rendered by different workers.
All arithmetic is in whole frames, so sound and picture never drift.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.timeline import Timeline


@dataclass(frozen=True)
class SceneSpan:
    """The frames during which one scene is visible, transitions included."""

    first_frame: int
    frame_count: int


@dataclass(frozen=True)
class Segment:
    index: int
    scene: int  # the scene shown first
    first_frame: int  # of the whole video
    frame_count: int
    transition_frames: int  # at the end, blending into scene + 1 (0: none)
    scene_offset: int  # frames of ``scene`` already shown before this segment

    @property
    def solo_frames(self) -> int:
        return self.frame_count - self.transition_frames

    @property
    def name(self) -> str:
        return f"segment-{self.index:04d}.mp4"


@dataclass(frozen=True)
class SegmentPlan:
    fps: int
    total_frames: int
    spans: list[SceneSpan]
    segments: list[Segment]


def plan_segments(timeline: Timeline) -> SegmentPlan:
    """Whole-frame boundaries, half-transitions and segments for a timeline."""
    fps = timeline.fps
    bounds = [round(scene.start * fps) for scene in timeline.scenes]
    bounds.append(round(timeline.duration * fps))
    halves = _half_transitions(timeline, bounds)

    spans = [
        SceneSpan(
            bounds[i] - halves[i],
            (bounds[i + 1] + halves[i + 1]) - (bounds[i] - halves[i]),
        )
        for i in range(len(timeline.scenes))
    ]
    segments = [
        Segment(
            index=i,
            scene=i,
            first_frame=bounds[i] + halves[i],
            frame_count=(bounds[i + 1] + halves[i + 1]) - (bounds[i] + halves[i]),
            transition_frames=2 * halves[i + 1],
            scene_offset=2 * halves[i],
        )
        for i in range(len(timeline.scenes))
    ]
    return SegmentPlan(fps, bounds[-1], spans, segments)


def _half_transitions(timeline: Timeline, bounds: list[int]) -> list[int]:
    """Half of each transition's length in frames; index i joins scenes i-1, i.

    A transition is centred on the cut between two scenes and shortened
    where a scene is too short to give it room.
    """
    count = len(timeline.scenes)
    halves = [0] * (count + 1)
    for i in range(1, count):
        wanted = round(timeline.scenes[i - 1].transition_duration * timeline.fps / 2)
        room_before = (bounds[i] - bounds[i - 1]) // 2 - 1
        room_after = (bounds[i + 1] - bounds[i]) // 2 - 1
        halves[i] = max(0, min(wanted, room_before, room_after))
    return halves
