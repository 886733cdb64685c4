"""Checks the Settings window runs: a key's test call, the voices, a sample.

``test_key`` makes the cheapest call each service offers with the stored
key (or one about to be stored) and returns a sentence saying it worked;
a refusal raises the provider's own ``PermanentError`` or
``TransientError``, so the message says what to do. The calls:

- Gemini: one ``generateContent`` on the configured model, limited to a
  single answer token (a fraction of a cent, at most).
- Text-to-Speech: ``GET voices``, which is free.
- Stability AI: ``GET /v1/user/balance``, which is free and says how many
  credits are left.

Cloud SDKs are imported inside the functions, so importing this module
costs nothing and pulls no SDK into the desktop process until a check runs.
Endpoints come from the same environment variables the providers read
(``REELWRIGHT_GEMINI_BASE_URL``, ``REELWRIGHT_TTS_ENDPOINT``,
``REELWRIGHT_STABILITY_BASE_URL``), which is how the tests reach the fakes.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import InputError, PermanentError
from core.secrets import SECRETS, get_secret
from core.text import is_chinese

if TYPE_CHECKING:
    from core.providers.google_tts_voices import VoiceInfo

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 20.0
TESTABLE = ("gemini", "tts", "stability")
SAMPLE_SENTENCES = {
    "en": "Hello! This is how the narration of your video will sound.",
    "zh": "你好！這是你的影片旁白聽起來的樣子。",
}


def test_key(name: str, key: str | None = None) -> str:
    """Call the service behind secret ``name`` once; say that it worked.

    Uses ``key`` when given (a key typed but not saved yet), else the
    stored one.
    """
    if name not in TESTABLE:
        raise InputError(f"Reelwright has no test for the {name!r} key.")
    key = key or get_secret(name)
    if not key:
        raise PermanentError(f"No {SECRETS[name].label} is set yet.")
    checks = {"gemini": _gemini, "tts": _text_to_speech, "stability": _stability}
    result = checks[name](key)
    log.info("The %s key passed its test call.", name)
    return result


# pytest would otherwise collect the function as a test where it is imported.
test_key.__test__ = False  # type: ignore[attr-defined]


def _gemini(key: str) -> str:
    from google import genai
    from google.genai import errors as genai_errors
    from google.genai import types

    from core.providers.gemini_errors import (
        TRANSPORT_ERRORS,
        translate_api_error,
        translate_transport,
    )
    from core.providers.gemini_writer import API_VERSION, DEFAULT_MODEL

    model = os.environ.get("REELWRIGHT_GEMINI_MODEL") or DEFAULT_MODEL
    base_url = os.environ.get("REELWRIGHT_GEMINI_BASE_URL") or None
    options = types.HttpOptions(
        base_url=base_url,
        api_version=API_VERSION,
        timeout=int(TIMEOUT_SECONDS * 1000),
        retry_options=types.HttpRetryOptions(attempts=1),
    )
    # One answer token; thinking is left as the model has it, since some
    # models refuse a request that turns it off.
    config = types.GenerateContentConfig(max_output_tokens=1)
    try:
        with genai.Client(api_key=key, http_options=options) as client:
            client.models.generate_content(
                model=model, contents="Say OK.", config=config
            )
    except genai_errors.APIError as error:
        raise translate_api_error(error, model=model, secret=key) from error
    except TRANSPORT_ERRORS as error:
        where = base_url or "Google"
        raise translate_transport(
            error, where=where, timeout_seconds=TIMEOUT_SECONDS
        ) from error
    return f"Gemini accepted the key (model {model})."


def _text_to_speech(key: str) -> str:
    voices = list_google_voices(key=key, refresh=True)
    return (
        f"Google Cloud Text-to-Speech accepted the key; it offers {len(voices)} voices."
    )


def _stability(key: str) -> str:
    import httpx

    from core.providers.stability_errors import (
        SERVICE,
        refusal,
        transport_failure,
    )
    from core.providers.stability_images import DEFAULT_BASE_URL

    base_url = os.environ.get("REELWRIGHT_STABILITY_BASE_URL") or DEFAULT_BASE_URL
    try:
        response = httpx.get(
            f"{base_url.rstrip('/')}/v1/user/balance",
            headers={"authorization": f"Bearer {key}"},
            timeout=TIMEOUT_SECONDS,
        )
    except httpx.HTTPError as error:
        raise transport_failure(error, TIMEOUT_SECONDS) from error
    if response.status_code != 200:
        raise refusal(response, "")
    credits = _credits(response)
    if credits is None:
        return f"{SERVICE} accepted the key."
    return f"{SERVICE} accepted the key; the account has {credits:g} credits."


def _credits(response) -> float | None:  # type: ignore[no-untyped-def]
    try:
        return float(response.json()["credits"])
    except (ValueError, KeyError, TypeError):
        return None


# -- the voice picker ----------------------------------------------------------


def list_google_voices(
    language: str | None = None, *, key: str | None = None, refresh: bool = False
) -> list[VoiceInfo]:
    """The cloud voices (those speaking ``language`` when given), by name.

    The list is kept in the cache folder for a week; ``refresh`` asks the
    service again.
    """
    voice = _google_voice(None, key)
    return voice.list_voices(language, refresh=refresh)


def preview_voice(
    provider: str, voice_name: str | None, out: Path, language: str | None = None
) -> Path:
    """Speak a sample sentence with a voice into the WAV file ``out``.

    ``provider`` is "google" (with one of its voice names) or "local" (the
    offline voice). The sentence is in ``language``, else in the voice's
    language, else in English.
    """
    language = language or _language_of(voice_name)
    text = SAMPLE_SENTENCES["zh" if is_chinese(language) else "en"]
    if provider == "google":
        _google_voice(voice_name, None).speak(text, language, out)
    elif provider == "local":
        from core.providers.local_voice import LocalVoice

        LocalVoice().speak(text, language, out)
    else:
        raise InputError(f"There is no voice provider called {provider!r}.")
    return out


def _language_of(voice_name: str | None) -> str:
    if not voice_name:
        return "en"
    from core.providers.google_tts_voices import language_of_voice

    return language_of_voice(voice_name)


def _google_voice(voice_name: str | None, key: str | None):  # type: ignore[no-untyped-def]
    from core.providers.google_tts import GoogleTtsVoice

    key = key or get_secret("tts")
    credentials = os.environ.get("GOOGLE_APPLICATION_CREDENTIALS") or None
    if not key and not credentials:
        raise PermanentError(f"No {SECRETS['tts'].label} is set yet.")
    return GoogleTtsVoice(
        voice_name=voice_name,
        endpoint=os.environ.get("REELWRIGHT_TTS_ENDPOINT") or None,
        api_key=key,
        credentials_file=credentials,
        timeout_seconds=TIMEOUT_SECONDS,
    )
