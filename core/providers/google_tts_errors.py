"""What the cloud voice's failures mean to a creator: retry, or fix something.

The Text-to-Speech SDK raises ``google.api_core`` exceptions for answers it
got and ``requests`` or ``google.auth`` exceptions for answers it did not.
:func:`translate` turns each into a :class:`TransientError` (worth another
attempt) or a :class:`PermanentError` whose message says what to change.
The caller raises the result ``from`` the original so the cause is kept.
No message carries the key: they are built from the service's own words,
passed through the log redactor as well.
"""

from __future__ import annotations

import re

import requests
from google.api_core import exceptions as api
from google.auth import exceptions as auth

from core.errors import PermanentError, ReelwrightError, TransientError
from core.logs import redact

SERVICE = "Google Cloud Text-to-Speech"
KEY_HINT = (
    "check the Text-to-Speech key in Settings or REELWRIGHT_TTS_API_KEY / "
    "GOOGLE_APPLICATION_CREDENTIALS"
)

_KEY_REASONS = {"API_KEY_INVALID", "API_KEY_SERVICE_BLOCKED", "API_KEY_EXPIRED"}
_KEY_WORDS = re.compile(r"(?i)\bapi[ _]?key\b")
# A daily quota does not come back within a retry's backoff; a per-minute
# one does.
_DAILY_QUOTA = re.compile(r"(?i)per[ _-]?day|daily")


def translate(error: Exception) -> ReelwrightError:
    """The Reelwright error for an SDK, auth or transport failure."""
    if isinstance(error, api.GoogleAPICallError):
        return _from_api(error)
    if isinstance(error, auth.RefreshError):
        return key_refused(str(error))
    if isinstance(error, auth.TransportError | requests.ConnectionError):
        return TransientError(f"Could not reach {SERVICE}: {_short(error)}")
    if isinstance(error, requests.Timeout):
        return TransientError(f"{SERVICE} did not answer in time.")
    return PermanentError(f"{SERVICE} failed: {_short(error)}")


def key_refused(detail: str = "") -> PermanentError:
    """The error for a key or service account the service does not accept."""
    said = f" ({redact(detail)})" if detail else ""
    return PermanentError(f"{SERVICE} refused the key{said}; {KEY_HINT}.")


def _from_api(error: api.GoogleAPICallError) -> ReelwrightError:
    message = api_message(error)
    # Unauthenticated and PermissionDenied are their subclasses.
    if isinstance(error, api.Unauthorized | api.Forbidden):
        return key_refused(message)
    if isinstance(error, api.TooManyRequests):
        return _from_quota(message)
    if isinstance(error, api.BadRequest):
        if error.reason in _KEY_REASONS or _KEY_WORDS.search(message):
            return key_refused(message)
        return PermanentError(f"{SERVICE} could not voice the narration: {message}")
    if isinstance(error, api.ServerError):
        # DeadlineExceeded is a GatewayTimeout, so it is a ServerError too.
        return TransientError(f"{SERVICE} is having trouble: {message}")
    return PermanentError(f"{SERVICE} refused the request: {message}")


def _from_quota(message: str) -> ReelwrightError:
    if _DAILY_QUOTA.search(message):
        return PermanentError(
            f"{SERVICE} quota is used up for today ({message}); wait until it "
            "resets or raise the quota in the Google Cloud console."
        )
    return TransientError(f"{SERVICE} asked us to slow down: {message}")


def api_message(error: api.GoogleAPICallError) -> str:
    """The service's own words, without the method and URL the SDK adds."""
    response = error.response
    text = ""
    try:
        text = response.json()["error"]["message"] if response is not None else ""
    except (ValueError, KeyError, TypeError, AttributeError):
        text = ""
    return redact(text or str(error.message) or type(error).__name__)


def _short(error: Exception) -> str:
    # A connection error's text can run to a page of nested reasons.
    text = str(error).strip() or type(error).__name__
    return redact(text.splitlines()[0][:200])
