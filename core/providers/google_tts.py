"""The cloud voice: Google Cloud Text-to-Speech, with phrase timings.

``GoogleTtsVoice`` implements the same :class:`~core.providers.base.Voice`
interface as the offline voices. It sends the narration as SSML with a mark
before every phrase (see :mod:`core.providers.tts_ssml`) to the v1beta1 API,
the only version that reports when each mark was reached, and gets 16-bit
PCM back at one fixed sample rate so that the answers to a long narration's
several requests join sample for sample into one WAV file.

The SDK talks REST, never retries (Dramatiq owns retries) and can be pointed
at any endpoint, which is how the tests reach a local fake. Its failures are
translated by :mod:`core.providers.google_tts_errors`.
"""

from __future__ import annotations

import json
import logging
import os
import struct
import threading
from pathlib import Path

import numpy as np
import requests
from google.api_core import exceptions as api
from google.auth import exceptions as auth
from google.auth.credentials import Credentials
from google.cloud import texttospeech_v1beta1 as tts
from google.oauth2 import credentials as user
from google.oauth2 import service_account

from core.audio import fade_edges, write_wav
from core.errors import InputError, PermanentError
from core.providers.base import Phrase, Pricing, Speech
from core.providers.google_tts_errors import KEY_HINT, SERVICE, translate
from core.providers.google_tts_voices import (
    CATALOG_FILE,
    DEFAULT_VOICES,
    VoiceCatalog,
    VoiceInfo,
    language_code_for,
    language_of_voice,
)
from core.providers.tts_ssml import MAX_INPUT_BYTES, Chunk, phrase_starts, plan_chunks
from core.secrets import get_secret
from core.settings import default_paths
from core.text import is_chinese

logger = logging.getLogger(__name__)

# Bump when the same settings would give different narration (SSML, joining).
GOOGLE_TTS_VERSION = 1
DEFAULT_ENDPOINT = "texttospeech.googleapis.com"
SAMPLE_RATE = 24_000  # Hz; every request asks for it so answers join
SCOPES = ["https://www.googleapis.com/auth/cloud-platform"]

# US dollars per character by voice family, from Google's public price list
# (an estimate for the project's cost preview, not a bill). Marks are free.
_USD_PER_CHARACTER = {
    "Standard": 4e-6,
    "Wavenet": 16e-6,
    "Neural2": 16e-6,
    "Polyglot": 16e-6,
    "Chirp-HD": 30e-6,
    "Chirp3-HD": 30e-6,
    "Studio": 160e-6,
}
_UNKNOWN_FAMILY_USD = 16e-6
_PCM = 1
_EXTENSIBLE = 0xFFFE
_FULL_SCALE = 32767.0  # as core.audio reads and writes

_SDK_ERRORS = (api.GoogleAPIError, auth.GoogleAuthError, requests.RequestException)


class GoogleTtsVoice:
    """Narration voiced by Google Cloud Text-to-Speech."""

    name = "google-tts"

    def __init__(
        self,
        *,
        voice_name: str | None = None,
        language_code: str | None = None,
        speaking_rate: float = 1.0,
        pitch: float = 0.0,
        endpoint: str | None = None,
        api_key: str | None = None,
        credentials_file: Path | str | None = None,
        timeout_seconds: float = 60.0,
        cache_dir: Path | None = None,
        max_input_bytes: int = MAX_INPUT_BYTES,
    ) -> None:
        """A voice; with no ``voice_name``, each language's default voice.

        Give either ``api_key`` or ``credentials_file`` (a service account
        or gcloud credentials JSON); the key wins when both are given.
        """
        if not 0.25 <= speaking_rate <= 4.0:
            raise InputError("The speaking rate must be between 0.25 and 4.0.")
        if not -20.0 <= pitch <= 20.0:
            raise InputError("The pitch must be between -20 and 20 semitones.")
        if not api_key and not credentials_file:
            raise PermanentError(f"{SERVICE} has no key; {KEY_HINT}.")
        self.voice_name = voice_name
        self.language_code = language_code or (
            language_of_voice(voice_name) if voice_name else None
        )
        self.speaking_rate = speaking_rate
        self.pitch = pitch
        self.endpoint = endpoint or DEFAULT_ENDPOINT
        self.timeout_seconds = timeout_seconds
        self.max_input_bytes = max_input_bytes
        self._api_key = api_key or None
        self._credentials_file = Path(credentials_file) if credentials_file else None
        self._cache_dir = cache_dir
        self._client: tts.TextToSpeechClient | None = None
        self._client_lock = threading.Lock()
        self._catalog: VoiceCatalog | None = None

    @classmethod
    def from_environment(
        cls,
        *,
        voice_name: str | None = None,
        speaking_rate: float = 1.0,
        pitch: float = 0.0,
    ) -> GoogleTtsVoice:
        """The voice with the key from Settings or the environment and the
        endpoint from ``REELWRIGHT_TTS_ENDPOINT``."""
        return cls(
            # Without a chosen voice, each narration gets its language's
            # default voice (an English one for English, cmn-TW for Chinese).
            voice_name=voice_name,
            language_code=None,
            speaking_rate=speaking_rate,
            pitch=pitch,
            endpoint=os.environ.get("REELWRIGHT_TTS_ENDPOINT") or None,
            api_key=get_secret("tts"),
            credentials_file=os.environ.get("GOOGLE_APPLICATION_CREDENTIALS") or None,
        )

    @property
    def pricing(self) -> Pricing:
        family = _family(self.voice_name or "")
        usd = _USD_PER_CHARACTER.get(family, _UNKNOWN_FAMILY_USD)
        return Pricing(unit="characters", usd_per_unit=usd)

    def cache_identity(self) -> dict[str, object]:
        identity: dict[str, object] = {
            "engine": self.name,
            "version": GOOGLE_TTS_VERSION,
            "voice_name": self.voice_name,
            "language_code": self.language_code,
            "speaking_rate": self.speaking_rate,
            "pitch": self.pitch,
            "audio_encoding": "LINEAR16",
            "sample_rate": SAMPLE_RATE,
        }
        if self.voice_name is None:
            identity["default_voices"] = dict(DEFAULT_VOICES)
        return identity

    def speak(self, text: str, language: str, out: Path) -> Speech:
        """Voice ``text`` into the WAV file ``out`` and time its phrases."""
        chunks = plan_chunks(text, self.max_input_bytes)
        voice = self._voice_for(language)
        pieces: list[np.ndarray] = []
        phrases: list[Phrase] = []
        offset = 0  # samples before the current chunk
        for chunk in chunks:
            samples, starts = self._voice_chunk(chunk, voice)
            phrases.extend(_timed(chunk, starts, len(samples), offset))
            # Each answer starts and ends near silence; the short fades make
            # sure a join can never click, without moving a single sample.
            pieces.append(fade_edges(samples, SAMPLE_RATE, 0.002))
            offset += len(samples)

        if not offset:
            raise PermanentError(f"{SERVICE} sent no audio for: {text[:80]!r}")
        _write_atomically(out, np.concatenate(pieces))
        logger.debug(
            "Voiced %d phrases in %d request(s) with %s (%.1f s).",
            len(phrases),
            len(chunks),
            voice[1] or voice[0],
            offset / SAMPLE_RATE,
        )
        return Speech(duration=offset / SAMPLE_RATE, phrases=phrases)

    def list_voices(
        self, language_code: str | None = None, *, refresh: bool = False
    ) -> list[VoiceInfo]:
        """The voices on offer, or those for ``language_code`` ("zh-Hant")."""
        if self._catalog is None:
            folder = self._cache_dir or default_paths().cache
            self._catalog = VoiceCatalog(
                cache_file=folder / CATALOG_FILE,
                endpoint=self.endpoint,
                fetch=self._fetch_voices,
            )
        return self._catalog.voices(language_code, refresh=refresh)

    def _voice_for(self, language: str) -> tuple[str, str | None]:
        """The language code and voice name to ask for."""
        if self.voice_name and self.language_code:
            if is_chinese(language) != is_chinese(self.language_code):
                logger.warning(
                    "The voice %s speaks %s, but the narration is in %s.",
                    self.voice_name,
                    self.language_code,
                    language,
                )
            return self.language_code, self.voice_name
        if self.voice_name:
            # A voice's name starts with its language code: "cmn-TW-Wavenet-A".
            return "-".join(self.voice_name.split("-")[:2]), self.voice_name
        code = self.language_code or language_code_for(language)
        return code, DEFAULT_VOICES.get(code)

    def _voice_chunk(
        self, chunk: Chunk, voice: tuple[str, str | None]
    ) -> tuple[np.ndarray, list[float]]:
        request = self._request(chunk, voice)
        try:
            response = self._sdk().synthesize_speech(
                request=request, retry=None, timeout=self.timeout_seconds
            )
        except _SDK_ERRORS as error:
            raise translate(error) from error

        samples = pcm_samples(response.audio_content, SAMPLE_RATE)
        marks = {point.mark_name: point.time_seconds for point in response.timepoints}
        return samples, phrase_starts(chunk, marks, len(samples) / SAMPLE_RATE)

    def _request(
        self, chunk: Chunk, voice: tuple[str, str | None]
    ) -> tts.SynthesizeSpeechRequest:
        language_code, voice_name = voice
        return tts.SynthesizeSpeechRequest(
            input=tts.SynthesisInput(ssml=chunk.ssml()),
            voice=tts.VoiceSelectionParams(
                language_code=language_code, name=voice_name or ""
            ),
            audio_config=tts.AudioConfig(
                audio_encoding=tts.AudioEncoding.LINEAR16,
                sample_rate_hertz=SAMPLE_RATE,
                speaking_rate=self.speaking_rate,
                pitch=self.pitch,
            ),
            enable_time_pointing=[tts.SynthesizeSpeechRequest.TimepointType.SSML_MARK],
        )

    def _fetch_voices(self) -> list[VoiceInfo]:
        try:
            response = self._sdk().list_voices(retry=None, timeout=self.timeout_seconds)
        except _SDK_ERRORS as error:
            raise translate(error) from error
        return [
            VoiceInfo(
                name=voice.name,
                language_codes=tuple(voice.language_codes),
                gender=tts.SsmlVoiceGender(voice.ssml_gender).name,
                natural_sample_rate=voice.natural_sample_rate_hertz,
            )
            for voice in response.voices
        ]

    def _sdk(self) -> tts.TextToSpeechClient:
        # One client per voice, made on first use: the worker threads of a
        # process share it, and making one reads the credentials file.
        with self._client_lock:
            if self._client is None:
                self._client = self._make_client()
            return self._client

    def _make_client(self) -> tts.TextToSpeechClient:
        options: dict[str, str] = {"api_endpoint": self.endpoint}
        if self._api_key:
            options["api_key"] = self._api_key
            return tts.TextToSpeechClient(transport="rest", client_options=options)
        return tts.TextToSpeechClient(
            transport="rest",
            client_options=options,
            credentials=self._load_credentials(),
        )

    def _load_credentials(self) -> Credentials:
        # The file's type is checked here rather than left to google-auth's
        # generic loader, which would also accept configurations that make
        # it fetch credentials from arbitrary addresses.
        path = self._credentials_file
        assert path is not None
        try:
            info = json.loads(path.read_text(encoding="utf-8"))
            kind = info.get("type")
            if kind == "service_account":
                return service_account.Credentials.from_service_account_info(
                    info, scopes=SCOPES
                )
            if kind == "authorized_user":
                return user.Credentials.from_authorized_user_info(info, scopes=SCOPES)
        except (OSError, ValueError, KeyError, AttributeError) as error:
            raise PermanentError(
                f"Could not use the Google credentials file {path}; {KEY_HINT}."
            ) from error
        raise PermanentError(
            f"The Google credentials file {path} holds {kind!r} credentials; use "
            f"a service account key or gcloud user credentials ({KEY_HINT})."
        )


def pcm_samples(audio: bytes, sample_rate: int) -> np.ndarray:
    """Float samples from a LINEAR16 answer: a WAV file, or bare PCM.

    The service wraps LINEAR16 in a WAV header; its format is checked rather
    than assumed, since joining answers needs them all alike.
    """
    if audio[:4] != b"RIFF":
        return _from_int16(audio)
    chunks = _riff_chunks(audio)
    layout = chunks.get(b"fmt ")
    if layout is None or len(layout) < 16 or b"data" not in chunks:
        raise PermanentError(f"{SERVICE} sent a WAV file without format or data.")
    tag, channels, rate, _, _, bits = struct.unpack_from("<HHIIHH", layout)
    if tag not in (_PCM, _EXTENSIBLE) or (channels, bits, rate) != (1, 16, sample_rate):
        raise PermanentError(
            f"{SERVICE} sent {channels}-channel {bits}-bit audio at {rate} Hz, "
            f"not the mono 16-bit audio at {sample_rate} Hz it was asked for."
        )
    return _from_int16(chunks[b"data"])


def _riff_chunks(audio: bytes) -> dict[bytes, bytes]:
    if audio[8:12] != b"WAVE":
        raise PermanentError(f"{SERVICE} sent audio that is not a WAV file.")
    chunks: dict[bytes, bytes] = {}
    position = 12
    while position + 8 <= len(audio):
        chunk_id, size = struct.unpack_from("<4sI", audio, position)
        body = position + 8
        # A streamed WAV may overstate its data size; slicing stops at the end.
        chunks.setdefault(chunk_id, audio[body : body + size])
        position = body + size + (size & 1)
    return chunks


def _from_int16(data: bytes) -> np.ndarray:
    whole = len(data) - len(data) % 2
    return np.frombuffer(data[:whole], dtype="<i2").astype(np.float32) / _FULL_SCALE


def _timed(
    chunk: Chunk, starts: list[float], samples: int, offset: int
) -> list[Phrase]:
    """The chunk's phrases on the narration's clock; each ends where the
    next starts, the last where the chunk's audio ends."""
    shift = offset / SAMPLE_RATE
    ends = [*starts[1:], samples / SAMPLE_RATE]
    return [
        Phrase(text, shift + start, shift + end)
        for text, start, end in zip(chunk.phrases, starts, ends, strict=True)
    ]


def _write_atomically(out: Path, samples: np.ndarray) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.{os.getpid()}.part")
    try:
        write_wav(partial, samples, SAMPLE_RATE)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)


def _family(voice_name: str) -> str:
    """The voice family in a name: ``en-US-Neural2-D`` is a Neural2 voice."""
    rest = "-".join(voice_name.split("-")[2:])
    # Longest first, so that Chirp3-HD is not taken for a shorter name.
    families = sorted(_USD_PER_CHARACTER, key=len, reverse=True)
    return next((family for family in families if rest.startswith(family)), "")
