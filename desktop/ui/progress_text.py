"""The workers' progress messages in the UI's language.

Core and the workers write progress in English, since the same words go to
the log, the terminal and ``reelwright status``. The window knows the
messages they send and shows each in the UI's language, numbers kept; a
message it does not know (an error's text, a provider's words) is shown as
it came, under a line in the UI's language that says what kind of problem
it is and what happens next.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "Progress"

# The English each message is sent in, and how it is shown; {0} and {1}
# are the numbers in the message, in order. Translated when shown, so a
# switch of language applies at once.
_KNOWN: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), text)
    for pattern, text in (
        (r"Started", QT_TRANSLATE_NOOP("Progress", "Started")),
        (r"Done", QT_TRANSLATE_NOOP("Progress", "Done")),
        (r"Writing the script", QT_TRANSLATE_NOOP("Progress", "Writing the script")),
        (r"(\d+) scenes", QT_TRANSLATE_NOOP("Progress", "{0} scenes")),
        (
            r"Voicing scene (\d+) of (\d+)",
            QT_TRANSLATE_NOOP("Progress", "Voicing scene {0} of {1}"),
        ),
        (r"(\d+) of (\d+)", QT_TRANSLATE_NOOP("Progress", "{0} of {1}")),
        (
            r"Assembling the timeline",
            QT_TRANSLATE_NOOP("Progress", "Assembling the timeline"),
        ),
        (
            r"Rendering scene (\d+) of (\d+)",
            QT_TRANSLATE_NOOP("Progress", "Rendering scene {0} of {1}"),
        ),
        (
            r"Waiting for a free video encoder",
            QT_TRANSLATE_NOOP("Progress", "Waiting for a free video encoder"),
        ),
        (
            r"Mixing the soundtrack",
            QT_TRANSLATE_NOOP("Progress", "Mixing the soundtrack"),
        ),
        (r"Joining", QT_TRANSLATE_NOOP("Progress", "Joining")),
        (
            r"Joining the segments",
            QT_TRANSLATE_NOOP("Progress", "Joining the segments"),
        ),
        (
            r"Joining the segments and making the thumbnail",
            QT_TRANSLATE_NOOP(
                "Progress", "Joining the segments and making the thumbnail"
            ),
        ),
    )
)


def progress_text(message: str) -> str:
    """``message`` in the UI's language when it is one the workers send."""
    for pattern, text in _KNOWN:
        match = pattern.fullmatch(message)
        if match is not None:
            shown = QCoreApplication.translate(CONTEXT, text)
            for number, value in enumerate(match.groups()):
                shown = shown.replace(f"{{{number}}}", value)
            return shown
    return message


# What each kind of error (core.errors) means for the creator, said before
# the error's own words.
_ERROR_LEADS = {
    "transient": QT_TRANSLATE_NOOP(
        "Progress", "A passing problem; Reelwright tries again by itself:"
    ),
    "permanent": QT_TRANSLATE_NOOP(
        "Progress", "This needs a change from you before it can work:"
    ),
    "input": QT_TRANSLATE_NOOP("Progress", "The content or a setting cannot be used:"),
    "render": QT_TRANSLATE_NOOP("Progress", "The video could not be rendered:"),
}
_RETRYING_LEAD = QT_TRANSLATE_NOOP("Progress", "Trying again after a problem:")
_OTHER_LEAD = QT_TRANSLATE_NOOP("Progress", "Something went wrong:")


def error_text(kind: str | None, message: str, *, retrying: bool = False) -> str:
    """An error's own ``message`` under a lead in the UI's language."""
    lead = _RETRYING_LEAD if retrying else _ERROR_LEADS.get(kind or "", _OTHER_LEAD)
    return f"{QCoreApplication.translate(CONTEXT, lead)}\n{message}"
