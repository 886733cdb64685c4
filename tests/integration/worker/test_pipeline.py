"""The pipeline on the real worker stack: distribution, retries, failures."""

from __future__ import annotations

import pytest

from core.models import StageState
from core.render.probe import probe
from tests.integration.worker.stack import SHORT_TEXT, paragraphs

pytestmark = pytest.mark.integration


def test_a_project_completes_through_the_workers(stack):
    stack.pool(2)
    project = stack.project(paragraphs(3))
    stack.run(project)
    assert stack.wait(project) == "done"
    runs = {(r.stage, r.scene_position): r for r in stack.runs(project)}
    for stage in ("script", "audio", "images", "render"):
        assert runs[(stage, -1)].state is StageState.SUCCEEDED
    assert len([key for key in runs if key[0] == "images" and key[1] >= 0]) == 3
    # The render's parts: a segment per scene, then the soundtrack, each a
    # message of its own that any worker may take.
    render_parts = sorted(key[1] for key in runs if key[0] == "render" and key[1] >= 0)
    assert render_parts == [0, 1, 2, 3]
    assert all(
        runs[("render", part)].state is StageState.SUCCEEDED for part in render_parts
    )
    video = stack.video(project)
    assert probe(video).first("video").size == (640, 360)
    kinds = [(a.kind, a.scene_position) for a in stack.assets(project)]
    assert len(kinds) == len(set(kinds)) == 6  # a voice and an image per scene


def test_transient_failures_are_retried_until_every_project_completes(stack, tmp_path):
    stack.env["REELWRIGHT_FLAKY_DIR"] = str(tmp_path / "flaky")
    stack.pool(2, threads=2)
    projects = [
        stack.project(
            paragraphs(3, f"Batch item {n} about bees."), providers={"images": "flaky"}
        )
        for n in range(4)
    ]
    for project in projects:
        stack.run(project)
    assert [stack.wait(p) for p in projects] == ["done"] * 4
    attempts = [
        r.attempt
        for p in projects
        for r in stack.runs(p, "images")
        if r.scene_position >= 0
    ]
    assert len(attempts) == 12
    assert max(attempts) > 1, "no injected failure happened"
    assert sum(a - 1 for a in attempts) >= 2


def test_a_refused_key_fails_the_stage_after_one_attempt(stack, tmp_path):
    calls = tmp_path / "calls.txt"
    stack.env["REELWRIGHT_CALLS_FILE"] = str(calls)
    stack.pool(1)
    project = stack.project(SHORT_TEXT, providers={"script": "refused-key"})
    stack.run(project)
    assert stack.wait(project) == "failed"
    (script,) = [r for r in stack.runs(project, "script")]
    assert script.state is StageState.FAILED
    assert script.attempt == 1
    assert "API key is not valid" in script.error_message
    assert len(calls.read_text().splitlines()) == 1
    later = {r.stage: r.state for r in stack.runs(project) if r.scene_position == -1}
    assert later["audio"] is StageState.PENDING  # nothing downstream started


def test_two_projects_at_once_finish_independently(stack):
    stack.pool(2)
    first = stack.project(paragraphs(2, "The first video talks about honey."))
    second = stack.project("第二支影片談夜市。攤販在傍晚出現。")
    stack.run(first)
    stack.run(second)
    assert stack.wait(first) == "done"
    assert stack.wait(second) == "done"
    assert stack.video(first) != stack.video(second)
    assert probe(stack.video(second)).duration > 1


def test_remaking_one_scenes_image_renders_the_video_again(stack):
    stack.pool(2)
    project = stack.project(paragraphs(2))
    stack.run(project)
    assert stack.wait(project) == "done"
    first_render = {r.scene_position: r.attempt for r in stack.runs(project, "render")}

    stack.control.retry(project, "images", 1)
    assert stack.wait(project) == "done"

    images = {r.scene_position: r.attempt for r in stack.runs(project, "images")}
    assert images[1] == 2 and images[0] == 1  # only that scene was made again
    renders = {r.scene_position: r.attempt for r in stack.runs(project, "render")}
    assert renders[-1] > first_render[-1]  # and the video was rendered anew
