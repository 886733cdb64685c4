"""A worker's heartbeat names its task; the status command reads it back."""

from __future__ import annotations

import pytest

from worker.monitor import describe_task, worker_task


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("render_segment[12, 2]", "render, part 3, project #12"),
        ("generate_script[7, -1]", "script, project #7"),
        ("generate_scene_image[3, 0]", "images, part 1, project #3"),
        # Not a pipeline task, or not one of ours: shown as it is.
        ("tidy_up[1, -1]", "tidy_up[1, -1]"),
        ("render_segment(12, 2)", "render_segment(12, 2)"),
    ],
)
def test_a_heartbeats_task_reads_as_stage_part_and_project(name: str, text: str):
    assert describe_task(name) == text


def test_an_unknown_actor_is_not_a_task():
    assert worker_task("render_segment[12, 2]") is not None
    assert worker_task("send_mail[12, 2]") is None
