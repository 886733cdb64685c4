"""Cancel tokens: a child stops with its parent, and alone."""

from __future__ import annotations

from core.render.ffmpeg import CancelToken


def test_a_child_token_is_cancelled_with_its_parent():
    parent = CancelToken()
    child = CancelToken(parent)
    assert not child.cancelled
    parent.cancel()
    assert child.cancelled
    assert child.wait(0.0)


def test_cancelling_a_child_leaves_its_parent_and_siblings_alone():
    parent = CancelToken()
    child, sibling = CancelToken(parent), CancelToken(parent)
    child.cancel()
    assert child.cancelled
    assert not parent.cancelled
    assert not sibling.cancelled
    assert not sibling.wait(0.0)
