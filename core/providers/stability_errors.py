"""What Stability AI's answers mean to a creator: retry, or fix something.

Stability's REST API says what went wrong with a status code and a JSON
body carrying a ``name`` and a list of ``errors``. :func:`refusal` turns an
unsuccessful answer into a :class:`TransientError` (worth another attempt)
or a :class:`PermanentError` whose message says what to change; a refused
prompt becomes a :class:`ContentRefused` that quotes the prompt so the
creator can edit that scene and retry it alone. No message carries the key.
"""

from __future__ import annotations

import email.utils
from datetime import UTC, datetime

import httpx

from core.errors import PermanentError, ReelwrightError, TransientError
from core.logs import redact

SERVICE = "Stability AI"
KEY_HINT = "check the Stability AI key in Settings or STABILITY_API_KEY"
MODERATION = "content_moderation"
FILTERED = "CONTENT_FILTERED"


class RateLimited(TransientError):
    """The service asked for fewer requests; ``retry_after`` says when to
    come back, in seconds, when it said so."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ContentRefused(PermanentError):
    """The service would not draw this prompt; the creator must edit it."""

    def __init__(self, prompt: str) -> None:
        super().__init__(
            f"{SERVICE} refused to draw this scene's image (content moderation). "
            f'Edit the image prompt and retry the scene. The prompt was: "{prompt}"'
        )
        self.prompt = prompt


def refusal(response: httpx.Response, prompt: str) -> ReelwrightError:
    """The error for an answer other than 200, by its status and body."""
    status = response.status_code
    name, said = _error_body(response)
    if name == MODERATION:
        return ContentRefused(prompt)
    if status in (401, 403):
        return PermanentError(f"{SERVICE} refused the key ({said}); {KEY_HINT}.")
    if status == 402:
        return PermanentError(
            f"{SERVICE} has no credits left on this account ({said}); buy more "
            "credits in your Stability AI account, then retry the images."
        )
    if status == 429:
        return _rate_limited(response, said)
    if status >= 500:
        return TransientError(f"{SERVICE} is having trouble ({status}): {said}")
    return PermanentError(f"{SERVICE} could not make this scene's image: {said}")


def transport_failure(error: httpx.HTTPError, timeout: float) -> ReelwrightError:
    """The error for a request that got no answer."""
    if isinstance(error, httpx.UnsupportedProtocol):
        return PermanentError(
            f"The {SERVICE} address is not usable ({_first_line(error)}); check "
            "REELWRIGHT_STABILITY_BASE_URL."
        )
    if isinstance(error, httpx.TimeoutException):
        return TransientError(f"{SERVICE} did not answer within {timeout:g} s.")
    return TransientError(f"Could not reach {SERVICE}: {_first_line(error)}")


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header: a number or an HTTP date."""
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - datetime.now(UTC)).total_seconds(), 0.0)


def _rate_limited(response: httpx.Response, said: str) -> RateLimited:
    after = retry_after_seconds(response.headers.get("retry-after"))
    when = f"; try again in {after:g} s" if after is not None else ""
    return RateLimited(f"{SERVICE} asked us to slow down ({said}){when}.", after)


def _error_body(response: httpx.Response) -> tuple[str, str]:
    """The error's name and its messages joined, from a JSON error body."""
    try:
        body = response.json()
    except ValueError:
        return "", _first_line(response.text) or f"HTTP {response.status_code}"
    if not isinstance(body, dict):
        return "", f"HTTP {response.status_code}"
    errors = body.get("errors")
    said = (
        "; ".join(str(e) for e in errors)
        if isinstance(errors, list) and errors
        else str(body.get("message") or body.get("name") or response.status_code)
    )
    return str(body.get("name", "")), redact(said)


def _first_line(error: object) -> str:
    text = str(error).strip()
    return redact(text.splitlines()[0][:200]) if text else type(error).__name__
