"""The eSpeak NG voice: a compact offline voice for Chinese and many languages.

It drives the libespeak-ng shipped by espeakng-loader through ctypes, with
synchronous output and a callback that collects the samples. The library
keeps its state in globals, so one engine is set up per process and every
call into it holds a module-wide lock. Narration is voiced phrase by phrase
and joined by :func:`core.audio.narrate`, which makes the phrase timings
exact.
"""

from __future__ import annotations

import ctypes
import logging
import threading
from pathlib import Path

import espeakng_loader
import numpy as np

from core.audio import NARRATION_VERSION, narrate
from core.errors import InputError, PermanentError
from core.providers.base import Speech
from core.text import ENGLISH, is_chinese

logger = logging.getLogger(__name__)

MANDARIN = "cmn"
AMERICAN_ENGLISH = "en-us"
NORMAL_RATE_WPM = 175  # the engine's own default speed
MIN_RATE_WPM, MAX_RATE_WPM = 80, 450

# Values from the library's public header, speak_lib.h.
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_DONT_EXIT = 0x8000  # report errors instead of ending the process
_CHARS_UTF8 = 1
_POS_CHARACTER = 1
_PARAMETER_RATE = 1
_EE_OK = 0

_SYNTH_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)

_LOCK = threading.Lock()
_engine: _Engine | None = None


class _Engine:
    """The process-wide libespeak-ng; callers hold ``_LOCK`` around each use."""

    def __init__(self) -> None:
        self._lib = ctypes.CDLL(espeakng_loader.get_library_path())
        self._declare()
        data = espeakng_loader.get_data_path().encode()
        rate = self._lib.espeak_Initialize(
            _AUDIO_OUTPUT_SYNCHRONOUS, 0, data, _INITIALIZE_DONT_EXIT
        )
        if rate <= 0:
            raise PermanentError(
                "eSpeak NG could not start: its voice data is missing."
            )
        self.sample_rate: int = rate
        self.version: str = self._lib.espeak_Info(None).decode()
        self._chunks: list[np.ndarray] = []
        # Kept on the engine so the C side never calls a collected function.
        self._callback = _SYNTH_CALLBACK(self._collect)
        self._lib.espeak_SetSynthCallback(self._callback)
        logger.debug("eSpeak NG %s started at %d Hz.", self.version, rate)

    def _declare(self) -> None:
        lib = self._lib
        lib.espeak_Initialize.argtypes = [
            ctypes.c_int,
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_int,
        ]
        lib.espeak_Info.argtypes = [ctypes.c_void_p]
        lib.espeak_Info.restype = ctypes.c_char_p
        lib.espeak_SetSynthCallback.argtypes = [_SYNTH_CALLBACK]
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_Synth.argtypes = [
            ctypes.c_char_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        ]

    def _collect(self, wav: ctypes.Array, count: int, _events: int) -> int:
        if wav and count > 0:
            self._chunks.append(np.ctypeslib.as_array(wav, shape=(count,)).copy())
        return 0  # go on synthesising

    def has_voice(self, name: str) -> bool:
        return self._lib.espeak_SetVoiceByName(name.encode()) == _EE_OK

    def synthesize(self, text: str, voice: str, rate_wpm: int) -> np.ndarray:
        """Voice ``text`` and return float samples in [-1, 1]."""
        if not self.has_voice(voice):
            raise InputError(f"eSpeak NG has no voice named {voice!r}.")
        self._lib.espeak_SetParameter(_PARAMETER_RATE, rate_wpm, 0)

        # The library reads a C string: a NUL would end the text early.
        encoded = text.replace("\0", " ").encode("utf-8", "replace") + b"\0"
        self._chunks = []
        status = self._lib.espeak_Synth(
            encoded, len(encoded), 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None
        )
        if status != _EE_OK:
            raise PermanentError(f"eSpeak NG failed to voice a phrase (code {status}).")
        samples = np.concatenate(self._chunks) if self._chunks else np.zeros(0)
        self._chunks = []
        return samples.astype(np.float32) / 32768.0


def _shared_engine() -> _Engine:
    global _engine
    with _LOCK:
        if _engine is None:
            _engine = _Engine()
        return _engine


def language_family(language: str) -> str:
    """The language a code names, without script or region: ``zh`` for all
    Chinese, so that ``cmn``, ``zh-Hant`` and ``zh-TW`` match each other."""
    if is_chinese(language):
        return "zh"
    return language.lower().replace("_", "-").split("-")[0]


class EspeakVoice:
    """Voice narration offline with eSpeak NG, choosing a voice per language.

    ``voice`` is used for the language it speaks; other languages get
    ``cmn`` for Chinese, ``en-us`` for English, else eSpeak's voice named by
    the language code.
    """

    name = "espeak-ng"

    def __init__(self, voice: str = MANDARIN, *, rate_wpm: int | None = None) -> None:
        if rate_wpm is not None and not MIN_RATE_WPM <= rate_wpm <= MAX_RATE_WPM:
            raise InputError(
                f"The eSpeak NG speed must be {MIN_RATE_WPM} to {MAX_RATE_WPM} "
                f"words per minute, not {rate_wpm}."
            )
        self.voice = voice
        self.rate_wpm = rate_wpm or NORMAL_RATE_WPM

    @property
    def sample_rate(self) -> int:
        return _shared_engine().sample_rate

    def cache_identity(self) -> dict[str, object]:
        engine = _shared_engine()
        return {
            "engine": self.name,
            "engine_version": engine.version,
            "voice": self.voice,
            "rate_wpm": self.rate_wpm,
            "sample_rate": engine.sample_rate,
            "version": NARRATION_VERSION,
        }

    def voice_for(self, language: str) -> str:
        """The eSpeak voice that reads ``language``; InputError if none does."""
        family = language_family(language)
        if family == language_family(self.voice):
            candidates = [self.voice]
        elif family == "zh":
            candidates = [MANDARIN]
        elif family == ENGLISH:
            candidates = [AMERICAN_ENGLISH]
        else:
            candidates = [language.lower().replace("_", "-"), family]

        engine = _shared_engine()
        with _LOCK:
            found = next((name for name in candidates if engine.has_voice(name)), None)
        if found is None:
            raise InputError(f"eSpeak NG has no voice for the language {language!r}.")
        return found

    def speak(self, text: str, language: str, out: Path) -> Speech:
        voice = self.voice_for(language)
        engine = _shared_engine()

        def say(phrase: str) -> np.ndarray:
            with _LOCK:
                return engine.synthesize(phrase, voice, self.rate_wpm)

        speech = narrate(text, say, engine.sample_rate, out)
        logger.debug(
            "eSpeak NG voiced %.1f s of %s narration with %s.",
            speech.duration,
            language,
            voice,
        )
        return speech
