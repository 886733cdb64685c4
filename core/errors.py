"""The one error hierarchy every layer of Reelwright raises.

A ``TransientError`` is worth retrying (a timeout, a rate limit, a dropped
connection); a ``PermanentError`` is not, and its message tells the creator
what to change. Providers translate their SDK's exceptions into these at the
boundary and keep the original as ``__cause__``.
"""


class ReelwrightError(Exception):
    """The root of every error Reelwright raises on purpose."""

    kind = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TransientError(ReelwrightError):
    """A failure that may succeed if the same work is tried again later."""

    kind = "transient"


class PermanentError(ReelwrightError):
    """A failure that will repeat until the creator changes something."""

    kind = "permanent"


class InputError(PermanentError):
    """The content, file or option the creator gave cannot be used."""

    kind = "input"


class RenderError(ReelwrightError):
    """FFmpeg refused the render plan or failed on it (not retried)."""

    kind = "render"


class CancelledError(ReelwrightError):
    """The creator cancelled the work; it stopped cleanly and can be retried."""

    kind = "cancelled"
