"""A local Google Cloud Text-to-Speech for the real SDK to talk to.

``FakeTextToSpeech`` answers the REST API's ``text:synthesize`` and
``voices`` calls (v1 and v1beta1) the way the service does, closely enough
that the SDK cannot tell: the same JSON, the same error bodies, the same
5,000-byte input limit, and SSML parsed strictly so that one unescaped
``<`` or ``&`` fails the request. Its "speech" is a buzzing tone burst per
stretch of text, as long as the text, with quiet gaps between, and each
mark's reported time is where the next burst starts, so tests can check a
voice's phrase timings against the sound itself.

Keys: an API key in ``x-goog-api-key`` (or ``key=``), or a bearer token
that is a JWT signed by one of the registered service accounts.
"""

from __future__ import annotations

import base64
import io
import json
import wave
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

import numpy as np
from google.auth import exceptions as auth_exceptions
from google.auth import jwt

from tests.fakes.server import Failure, FakeServer, Response

MAX_INPUT_BYTES = 5000
LEAD_SECONDS = 0.08  # silence before the first burst
GAP_SECONDS = 0.15  # silence after each burst
TAIL_SECONDS = 0.10
SECONDS_PER_CHARACTER = 0.04
CJK_SECONDS = 0.16  # one syllable
MIN_BURST = 0.12

_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}
# The SSML elements the fake understands; anything else is a 400, which is
# how an injected tag would show.
_KNOWN_TAGS = {"speak", "mark", "break", "s", "p", "sub", "say-as", "prosody"}

VOICES = [
    ("en-US-Neural2-D", ["en-US"], "MALE"),
    ("en-US-Neural2-F", ["en-US"], "FEMALE"),
    ("en-GB-Neural2-B", ["en-GB"], "MALE"),
    ("cmn-TW-Wavenet-A", ["cmn-TW"], "FEMALE"),
    ("cmn-TW-Wavenet-B", ["cmn-TW"], "MALE"),
    ("cmn-CN-Wavenet-A", ["cmn-CN"], "FEMALE"),
    ("yue-HK-Standard-A", ["yue-HK"], "FEMALE"),
]


@dataclass
class Synthesis:
    """One synthesis the fake performed, for assertions."""

    version: str  # "v1" or "v1beta1"
    ssml: str | None
    text: str | None
    voice: dict[str, Any]
    audio_config: dict[str, Any]
    sample_rate: int
    samples: int  # length of the audio sent back
    marks: list[tuple[str, float, str]] = field(default_factory=list)
    # (mark name, time in seconds, the text spoken after it)


class FakeApiError(Exception):
    """Ends a request with a Google-shaped error answer."""

    def __init__(self, code: int, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.response = Response(code, body=google_error(code, message, reason))


def google_error(code: int, message: str, reason: str | None = None) -> dict:
    """An error body the way Google APIs send one."""
    error: dict[str, Any] = {
        "code": code,
        "message": message,
        "status": _STATUS.get(code, "UNKNOWN"),
    }
    if reason:
        error["details"] = [
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": reason,
                "domain": "googleapis.com",
            }
        ]
    return {"error": error}


def google_failure(code: int, message: str | None = None, **extra: Any) -> Failure:
    """A ``Failure`` answering ``code`` with a Google error body."""
    text = message or f"The fake was told to answer {code}."
    return Failure(status=code, body=google_error(code, text), **extra)


class FakeTextToSpeech(FakeServer):
    """Google Cloud Text-to-Speech on 127.0.0.1 for one test."""

    def __init__(
        self,
        *,
        api_key: str = "fake-tts-key",
        service_accounts: dict[str, str] | None = None,
        max_input_bytes: int = MAX_INPUT_BYTES,
        pace: float = 1.0,
    ) -> None:
        """``service_accounts`` maps an account's email to its public key PEM;
        ``pace`` above 1 speaks faster, which keeps long tests quick."""
        super().__init__()
        self.api_key = api_key
        self.service_accounts = dict(service_accounts or {})
        self.max_input_bytes = max_input_bytes
        self.pace = pace
        self.syntheses: list[Synthesis] = []
        # Marks whose timepoints are left out of answers, as the service
        # sometimes does.
        self.drop_marks: set[str] = set()

    def handle(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        headers: dict[str, str],
        body: bytes,
    ) -> Response:
        version, _, call = path.strip("/").partition("/")
        route = (method, call)
        if version not in ("v1", "v1beta1") or route not in (
            ("POST", "text:synthesize"),
            ("GET", "voices"),
        ):
            return Response(404, body=google_error(404, f"No such method: {path}"))
        try:
            self._check_key(headers, query)
            if call == "voices":
                return Response(body=_voices(query.get("languageCode")))
            return Response(body=self._synthesize(version, json.loads(body)))
        except FakeApiError as error:
            return error.response

    def _check_key(self, headers: dict[str, str], query: dict[str, str]) -> None:
        key = headers.get("x-goog-api-key") or query.get("key")
        bearer = headers.get("authorization", "")
        if key is not None:
            if key != self.api_key:
                raise FakeApiError(
                    400,
                    "API key not valid. Please pass a valid API key.",
                    "API_KEY_INVALID",
                )
            return
        if bearer.lower().startswith("bearer "):
            self._check_token(bearer[7:].strip())
            return
        raise FakeApiError(
            403, "Method doesn't allow unregistered callers. Please use an API key."
        )

    def _check_token(self, token: str) -> None:
        try:
            claims = jwt.decode(token, verify=False)
            public_key = self.service_accounts[claims["iss"]]
            jwt.decode(token, certs=public_key, verify=True)
        except (KeyError, ValueError, auth_exceptions.GoogleAuthError) as error:
            raise FakeApiError(
                401,
                "Request had invalid authentication credentials. Expected OAuth 2 "
                f"access token or other valid authentication credential ({error}).",
            ) from error

    def _synthesize(self, version: str, body: dict[str, Any]) -> dict[str, Any]:
        if version == "v1" and "enableTimePointing" in body:
            raise FakeApiError(
                400, 'Invalid JSON payload received. Unknown name "enableTimePointing"'
            )
        source = body.get("input", {})
        ssml, text = source.get("ssml"), source.get("text")
        if (ssml is None) == (text is None):
            raise FakeApiError(
                400, "Exactly one of input.text or input.ssml is needed."
            )
        if len((ssml or text).encode()) > self.max_input_bytes:
            raise FakeApiError(
                400,
                "Either `input.text` or `input.ssml` is longer than the limit of "
                f"{self.max_input_bytes} bytes. This limit is different from quotas.",
            )
        voice = body.get("voice", {})
        _check_voice(voice)
        config = body.get("audioConfig", {})
        if config.get("audioEncoding") != "LINEAR16":
            raise FakeApiError(400, "The fake speaks LINEAR16 only.")

        events = _parse_ssml(ssml) if ssml is not None else [("text", text)]
        rate = int(config.get("sampleRateHertz") or 24000)
        speed = float(config.get("speakingRate") or 1.0) * self.pace
        samples, marks = _render(events, rate, speed)
        self.syntheses.append(
            Synthesis(version, ssml, text, voice, config, rate, len(samples), marks)
        )
        answer: dict[str, Any] = {
            "audioContent": base64.b64encode(_wav(samples, rate)).decode(),
            "audioConfig": config,
        }
        if "SSML_MARK" in body.get("enableTimePointing", []):
            answer["timepoints"] = [
                {"markName": name, "timeSeconds": time}
                for name, time, _ in marks
                if name not in self.drop_marks
            ]
        return answer


def _check_voice(voice: dict[str, Any]) -> None:
    name, code = voice.get("name"), voice.get("languageCode", "")
    if not code:
        raise FakeApiError(400, "voice.languageCode is required.")
    if not name:
        return
    known = {voice_name: codes for voice_name, codes, _ in VOICES}
    if name not in known:
        raise FakeApiError(400, f"Voice '{name}' does not exist. Is it misspelled?")
    if code not in known[name]:
        raise FakeApiError(
            400, f"Requested language code '{code}' doesn't match the voice '{name}'."
        )


def _voices(language_code: str | None) -> dict[str, Any]:
    return {
        "voices": [
            {
                "languageCodes": codes,
                "name": name,
                "ssmlGender": gender,
                "naturalSampleRateHertz": 24000,
            }
            for name, codes, gender in VOICES
            if not language_code or language_code in codes
        ]
    }


def _parse_ssml(ssml: str) -> list[tuple[str, str]]:
    """The marks and text runs of an SSML document, in order."""
    try:
        root = ElementTree.fromstring(ssml)
    except ElementTree.ParseError as error:
        raise FakeApiError(400, f"Invalid SSML: {error}") from error
    if root.tag != "speak":
        raise FakeApiError(400, "Invalid SSML: the root element must be <speak>.")
    return list(_walk(root))


def _walk(element: ElementTree.Element):  # type: ignore[no-untyped-def]
    if element.tag not in _KNOWN_TAGS:
        raise FakeApiError(400, f"Invalid SSML: unsupported element <{element.tag}>.")
    if element.tag == "mark":
        yield ("mark", element.get("name", ""))
    if element.text:
        yield ("text", element.text)
    for child in element:
        yield from _walk(child)
        if child.tail:
            yield ("text", child.tail)


def _render(
    events: list[tuple[str, str]], rate: int, speed: float
) -> tuple[np.ndarray, list[tuple[str, float, str]]]:
    parts = [np.zeros(int(LEAD_SECONDS * rate), dtype=np.float32)]
    position = len(parts[0])
    marks: list[tuple[str, float, str]] = []
    for kind, value in events:
        if kind == "mark":
            marks.append((value, position / rate, ""))
            continue
        if not value.strip():
            continue
        if marks:
            name, time, spoken = marks[-1]
            marks[-1] = (name, time, spoken + value)
        burst = _burst(value.strip(), rate, speed)
        gap = np.zeros(int(GAP_SECONDS * rate), dtype=np.float32)
        parts += [burst, gap]
        position += len(burst) + len(gap)
    parts.append(np.zeros(int(TAIL_SECONDS * rate), dtype=np.float32))
    return np.concatenate(parts), marks


def _burst(text: str, rate: int, speed: float) -> np.ndarray:
    cjk = sum(1 for c in text if "\u3400" <= c <= "\u9fff")
    seconds = (len(text) - cjk) * SECONDS_PER_CHARACTER + cjk * CJK_SECONDS
    t = np.arange(int(max(seconds, MIN_BURST) / speed * rate)) / rate
    # Syllable-like swells that never fall silent inside the burst.
    swell = 0.7 + 0.3 * np.sin(2 * np.pi * 4.0 * t)
    tone = np.sin(2 * np.pi * 170 * t) + 0.4 * np.sin(2 * np.pi * 340 * t)
    ramp = np.minimum(1.0, np.minimum(t, t[-1] - t) / 0.005)
    return (0.45 * swell * tone * ramp).astype(np.float32)


def _wav(samples: np.ndarray, rate: int) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return buffer.getvalue()
