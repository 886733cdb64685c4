"""Gemini's failures, translated into Reelwright's errors at the boundary.

The google-genai SDK raises ``APIError`` subclasses for HTTP errors, with
Google's JSON error body in ``details``, and lets the HTTP library's own
exceptions through for timeouts and dropped connections. The SDK talks
through httpx2 (a fork of httpx with its own exception classes) by default
and through httpx when told to, so both families are caught.

Every message says what to change and never repeats the API key, even if a
server were to echo it back.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

from google.genai import errors as genai_errors

from core.errors import PermanentError, ReelwrightError, TransientError

KEY_REFUSED = (
    "Gemini refused the API key. Check the Gemini API key in Settings "
    "(or GEMINI_API_KEY)."
)
MAX_QUOTED_CHARS = 300


def _transport_errors() -> tuple[type[Exception], ...]:
    found: list[type[Exception]] = []
    for module_name in ("httpx", "httpx2"):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        found.append(module.TransportError)
    return tuple(found)


# Timeouts, refused connections and protocol garbage all derive from this.
TRANSPORT_ERRORS = _transport_errors()


def is_timeout(error: BaseException) -> bool:
    # httpx and httpx2 share the class names but not the classes.
    return any(base.__name__ == "TimeoutException" for base in type(error).__mro__)


def translate_transport(
    error: Exception, *, where: str, timeout_seconds: float
) -> TransientError:
    """A timeout or a dropped connection: worth another attempt later."""
    if is_timeout(error):
        return TransientError(
            f"Gemini did not answer within {timeout_seconds:g} seconds; the "
            "script will be tried again."
        )
    return TransientError(
        f"Gemini could not be reached at {where} ({type(error).__name__}); the "
        "script will be tried again. Check the network connection, or the "
        "endpoint in REELWRIGHT_GEMINI_BASE_URL if one is set."
    )


def translate_api_error(
    error: genai_errors.APIError, *, model: str, secret: str
) -> ReelwrightError:
    """The core error for an HTTP error answer from Gemini."""
    code = error.code or 0
    said = _quoted(error.message or error.status or "", secret)
    if code in (401, 403) or (code == 400 and _names_the_key(error)):
        return PermanentError(f"{KEY_REFUSED} Google said: {said}")
    if code == 429:
        return _rate_or_quota(error, said)
    if code == 404:
        return PermanentError(
            f"Gemini has no model called {model!r} that can write scripts "
            f"(Google said: {said}). Set another model in REELWRIGHT_GEMINI_MODEL."
        )
    if code == 408 or code >= 500:
        return TransientError(
            f"Gemini had a server error ({code} {error.status or ''}); the script "
            "will be tried again."
        )
    return PermanentError(
        f"Gemini refused the request ({code} {error.status or ''}: {said}). "
        "Try another prompt template or model (REELWRIGHT_GEMINI_MODEL)."
    )


def _rate_or_quota(error: genai_errors.APIError, said: str) -> ReelwrightError:
    """Tell a passing rate limit (retry) from a used-up quota (stop).

    Google answers both with 429 RESOURCE_EXHAUSTED and often with the same
    sentence ("You exceeded your current quota, please check your plan and
    billing details"); the quota that was hit tells them apart. A per-day
    quota stays exhausted until it resets, so retrying within the stage's
    backoff is pointless.
    """
    quota_ids = " ".join(_quota_ids(error)).lower()
    per_day = "perday" in quota_ids or "per day" in said.lower()
    per_minute = "perminute" in quota_ids or "persecond" in quota_ids
    no_hint = not _retry_delay(error)
    # Limitation: a 429 that names billing but says neither which quota was
    # hit nor when to retry is taken as a used-up quota; Google's wording is
    # not a documented contract, so a rare rate limit may stop the stage.
    if per_day or (not per_minute and no_hint and "billing" in said.lower()):
        return PermanentError(
            f"Gemini's quota for this API key is used up (Google said: {said}). "
            "Wait until it resets (daily quotas reset at midnight Pacific time), "
            "raise it by enabling billing on the key's Google Cloud project, or "
            "use another key in Settings (or GEMINI_API_KEY); then retry."
        )
    wait = _retry_delay(error)
    hint = f" Google asks to wait {wait}." if wait else ""
    return TransientError(
        f"Gemini is limiting how fast requests may come (429).{hint} The script "
        "will be tried again."
    )


def _names_the_key(error: genai_errors.APIError) -> bool:
    reasons = {str(d.get("reason", "")) for d in _details(error)}
    message = (error.message or "").lower()
    return "api key" in message or any(r.startswith("API_KEY") for r in reasons)


def _quota_ids(error: genai_errors.APIError) -> list[str]:
    ids = []
    for detail in _details(error):
        for violation in detail.get("violations") or []:
            if isinstance(violation, dict):
                ids.append(str(violation.get("quotaId", "")))
        metadata = detail.get("metadata")
        if isinstance(metadata, dict):
            ids.append(str(metadata.get("quota_limit", "")))
    return ids


def _retry_delay(error: genai_errors.APIError) -> str:
    for detail in _details(error):
        if str(detail.get("@type", "")).endswith("RetryInfo"):
            return str(detail.get("retryDelay", ""))
    return ""


def _details(error: genai_errors.APIError) -> list[dict[str, Any]]:
    body = error.details
    if isinstance(body, dict):
        body = body.get("error", body)
    details = body.get("details") if isinstance(body, dict) else None
    return [d for d in details or [] if isinstance(d, dict)]


def _quoted(text: str, secret: str) -> str:
    """Google's words, shortened, on one line, and without the key."""
    if secret:
        text = text.replace(secret, "[the key]")
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > MAX_QUOTED_CHARS:
        text = text[: MAX_QUOTED_CHARS - 1].rstrip() + "…"
    return text or "no reason given"
