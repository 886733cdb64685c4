"""Light and dark, following the system, and the few colours the app adds.

Qt 6 with the Fusion style takes its palette from the system's colour
scheme and switches when the system does, so the app sets Fusion and adds
only a small style sheet: the message bar and the status badges. Their
colours are strong enough to read with white text on a light and on a dark
window alike, so they need no second set.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

# Project status -> badge colour (white text on it).
BADGE_COLOURS = {
    "draft": "#6b7280",
    "running": "#2563eb",
    "done": "#15803d",
    "failed": "#b91c1c",
    "cancelled": "#a16207",
}
INFO_COLOUR = "#2d5a88"
ERROR_COLOUR = "#7a2630"
SUCCESS_COLOUR = "#15803d"


def style_sheet() -> str:
    """The app's style sheet: message bar, status badges, test outcomes."""
    any_badge = ", ".join(f'QLabel[badge="{status}"]' for status in BADGE_COLOURS)
    badges = "".join(
        f'QLabel[badge="{status}"] {{ background: {colour}; }}\n'
        for status, colour in BADGE_COLOURS.items()
    )
    return f"""
QLabel#messageBar {{
    padding: 8px; border-radius: 4px; color: white; background: {INFO_COLOUR};
}}
QLabel#messageBar[error="true"] {{ background: {ERROR_COLOUR}; }}
{any_badge} {{
    color: white; border-radius: 3px; padding: 1px 6px; font-weight: bold;
}}
{badges}
QLabel[outcome="ok"] {{ color: white; background: {SUCCESS_COLOUR}; }}
QLabel[outcome="error"] {{ color: white; background: {ERROR_COLOUR}; }}
QLabel[outcome="ok"], QLabel[outcome="error"] {{
    padding: 2px 4px; border-radius: 3px;
}}
"""


def apply_theme(app: QApplication) -> None:
    """Use Fusion (which follows the system's light or dark scheme) and add
    the app's style sheet. Call once, before the first window is shown."""
    app.setStyle("Fusion")
    app.setStyleSheet(style_sheet())
    log.debug("Theme applied; the system colour scheme is %s.", scheme_name())


def badge_colour(status: str) -> QColor:
    return QColor(BADGE_COLOURS.get(status, BADGE_COLOURS["draft"]))


def is_dark() -> bool:
    """Whether the system (or the palette, where it does not say) is dark."""
    scheme = QGuiApplication.styleHints().colorScheme()
    if scheme == Qt.ColorScheme.Dark:
        return True
    if scheme == Qt.ColorScheme.Light:
        return False
    return QGuiApplication.palette().window().color().lightness() < 128


def scheme_name() -> str:
    return "dark" if is_dark() else "light"


def set_state(widget, name: str, value: object) -> None:  # type: ignore[no-untyped-def]
    """Set a property the style sheet selects on, and restyle the widget
    (Qt does not re-apply a style sheet when a property changes)."""
    widget.setProperty(name, value)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
