"""The cloud voice's catalogue: which voices exist, for the voice picker.

Google offers hundreds of voices and the list changes a few times a year,
so the desktop's voice picker must not ask for it every time it opens. A
:class:`VoiceCatalog` fetches the whole list once, keeps it in memory and in
a small JSON file in the cache folder, and filters it by language locally.
This module also knows how Reelwright's language names map onto Google's
language codes, and which voice each language gets by default.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from core.text import is_chinese

logger = logging.getLogger(__name__)

DEFAULT_VOICES = {
    "en-US": "en-US-Neural2-D",
    "en-GB": "en-GB-Neural2-B",
    "cmn-TW": "cmn-TW-Wavenet-A",
    "cmn-CN": "cmn-CN-Wavenet-A",
    "yue-HK": "yue-HK-Standard-A",
}
CATALOG_FILE = "google-tts-voices.json"
CATALOG_MAX_AGE = 7 * 24 * 3600.0  # seconds; voices come and go a few times a year

_SIMPLIFIED = {"hans", "cn", "sg"}
_CANTONESE = {"yue", "hk"}


@dataclass(frozen=True)
class VoiceInfo:
    """One voice the service offers."""

    name: str
    language_codes: tuple[str, ...]
    gender: str  # MALE, FEMALE, NEUTRAL or SSML_VOICE_GENDER_UNSPECIFIED
    natural_sample_rate: int  # Hz

    def speaks(self, language_code: str) -> bool:
        """Tell whether the voice speaks ``language_code`` ("en" or "en-US")."""
        wanted = language_code.lower()
        return any(
            code.lower() == wanted or code.lower().startswith(wanted + "-")
            for code in self.language_codes
        )


def language_code_for(language: str) -> str:
    """Google's language code for a Reelwright language name.

    Traditional Chinese (``zh-Hant``, ``zh-TW``) is Mandarin as spoken in
    Taiwan, ``cmn-TW``; bare English is American English.
    """
    parts = language.strip().replace("_", "-").lower().split("-")
    if is_chinese(parts[0]):
        if _CANTONESE & set(parts):
            return "yue-HK"
        return "cmn-CN" if _SIMPLIFIED & set(parts) else "cmn-TW"
    if len(parts) == 1:
        return "en-US" if parts[0] == "en" else parts[0]
    return f"{parts[0]}-{parts[-1].upper()}"


def language_of_voice(voice_name: str) -> str:
    """The language code a voice name starts with (``en-US-Neural2-D``)."""
    return "-".join(voice_name.split("-")[:2])


class VoiceCatalog:
    """The voices of one endpoint, fetched at most once per ``max_age``."""

    def __init__(
        self,
        *,
        cache_file: Path,
        endpoint: str,
        fetch: Callable[[], list[VoiceInfo]],
        max_age: float = CATALOG_MAX_AGE,
    ) -> None:
        self.cache_file = cache_file
        self.endpoint = endpoint
        self.max_age = max_age
        self._fetch = fetch
        self._voices: list[VoiceInfo] | None = None
        self._lock = threading.Lock()

    def voices(
        self, language_code: str | None = None, *, refresh: bool = False
    ) -> list[VoiceInfo]:
        """All voices, or those speaking ``language_code``, sorted by name."""
        with self._lock:
            if refresh or self._voices is None:
                self._voices = None if refresh else self._read()
            if self._voices is None:
                self._voices = sorted(self._fetch(), key=lambda v: v.name)
                self._write(self._voices)
            voices = self._voices
        if language_code is None:
            return list(voices)
        code = language_code_for(language_code)
        return [voice for voice in voices if voice.speaks(code)]

    def _read(self) -> list[VoiceInfo] | None:
        try:
            stored = json.loads(self.cache_file.read_text(encoding="utf-8"))
            if stored["endpoint"] != self.endpoint:
                return None
            if time.time() - float(stored["fetched_at"]) > self.max_age:
                return None
            return [_voice_from_json(item) for item in stored["voices"]]
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as error:
            # A damaged cache is only a cache: fetch the list again.
            logger.debug("The voice list cache was unreadable: %s", error)
            return None

    def _write(self, voices: list[VoiceInfo]) -> None:
        stored = {
            "endpoint": self.endpoint,
            "fetched_at": time.time(),
            "voices": [asdict(voice) for voice in voices],
        }
        partial = self.cache_file.with_name(f".{self.cache_file.name}.part")
        try:
            self.cache_file.parent.mkdir(parents=True, exist_ok=True)
            partial.write_text(json.dumps(stored, ensure_ascii=False), "utf-8")
            os.replace(partial, self.cache_file)
        except OSError as error:
            logger.warning("Could not keep the voice list in %s: %s", partial, error)


def _voice_from_json(item: dict[str, object]) -> VoiceInfo:
    codes = item["language_codes"]
    if not isinstance(codes, list):
        raise TypeError("language_codes is not a list")
    return VoiceInfo(
        name=str(item["name"]),
        language_codes=tuple(str(code) for code in codes),
        gender=str(item["gender"]),
        natural_sample_rate=int(str(item["natural_sample_rate"])),
    )
