"""The offline default voice: Piper where it has a model, eSpeak NG elsewhere.

Piper sounds far more natural, but it only speaks its model's language
(American English by default). Chinese, and any language the Piper model
does not speak, goes to eSpeak NG, which reads Traditional and Simplified
characters alike.
"""

from __future__ import annotations

from pathlib import Path

from core.providers.base import Speech
from core.providers.espeak_voice import EspeakVoice
from core.providers.piper_voice import PiperVoice
from core.text import is_chinese


class LocalVoice:
    """Voice narration without a network, choosing the engine per language."""

    name = "local"

    def __init__(
        self, *, piper: PiperVoice | None = None, espeak: EspeakVoice | None = None
    ) -> None:
        self.piper = piper or PiperVoice()
        self.espeak = espeak or EspeakVoice()

    def voice_for(self, language: str) -> PiperVoice | EspeakVoice:
        """The engine that narrates ``language``."""
        # Piper's Chinese models fetch a pronunciation model on first use,
        # which an offline default must not do.
        if not is_chinese(language) and self.piper.speaks(language):
            return self.piper
        return self.espeak

    def cache_identity(self) -> dict[str, object]:
        return {
            "engine": self.name,
            "routes": {
                self.piper.language: self.piper.name,
                "other languages, Chinese included": self.espeak.name,
            },
            self.piper.name: self.piper.cache_identity(),
            self.espeak.name: self.espeak.cache_identity(),
        }

    def speak(self, text: str, language: str, out: Path) -> Speech:
        return self.voice_for(language).speak(text, language, out)
