"""The window fits a small laptop screen: nothing holds it wide."""

from __future__ import annotations

SMALL_SCREEN_WIDTH = 1024


def test_the_window_can_be_narrower_than_a_small_screen(window, qtbot):  # type: ignore[no-untyped-def]
    window.show()
    qtbot.waitExposed(window)

    assert window.minimumSizeHint().width() < SMALL_SCREEN_WIDTH - 100
    # The scene actions that do not fit move into the tool bar's menu.
    window.resize(window.minimumSizeHint().width(), 700)
    qtbot.waitUntil(lambda: window.width() < SMALL_SCREEN_WIDTH - 100)
    assert window.script.toolbar.width() < window.script.toolbar.sizeHint().width()
