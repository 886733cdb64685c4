"""Narration audio: mono 16-bit PCM WAV files and the joining of voiced phrases.

The offline voices synthesise a narration one phrase at a time and hand each
phrase's samples to :func:`narrate`, which trims the silence around them,
joins them with natural pauses and writes one WAV whose phrase timings are
known to the sample. Samples travel between these helpers as float32 arrays
in [-1, 1]; only the WAV readers and writers deal in 16-bit integers.
"""

from __future__ import annotations

import re
import struct
import wave
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from core.errors import InputError, PermanentError
from core.providers.base import Phrase, Speech
from core.text import normalize, split_phrases

# Bump when trimming, pauses or levels change, so cached narration is redone.
NARRATION_VERSION = 1

SENTENCE_PAUSE = 0.35  # seconds of silence after a full stop
CLAUSE_PAUSE = 0.15  # after a comma, colon or semicolon
BREAK_PAUSE = 0.05  # where a long clause was broken between words
PEAK_LEVEL = 0.89  # about -1 dBFS: loud and even, with headroom for the mix

_SENTENCE_END = re.compile(r"[.!?…。！？；][\"'”’)\]」』）]*$")
_CLAUSE_END = re.compile(r"[,;:，、：—][\"'”’)\]」』）]*$")
_FRAME_SECONDS = 0.01
# Frames kept around the sound: a word fades out more slowly than it starts.
_LEAD_FRAMES = 1
_TAIL_FRAMES = 3
_FULL_SCALE = 32767.0


def write_wav(path: Path, samples: np.ndarray, sample_rate: int) -> None:
    """Write mono 16-bit PCM; float samples are taken to lie in [-1, 1]."""
    if samples.dtype != np.int16:
        scaled = np.clip(samples, -1.0, 1.0) * _FULL_SCALE
        samples = np.round(scaled).astype(np.int16)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(sample_rate)
        wav.writeframes(samples.astype("<i2").tobytes())


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """Read a mono 16-bit PCM WAV as float32 samples and its sample rate."""
    try:
        with wave.open(str(path), "rb") as wav:
            if wav.getsampwidth() != 2 or wav.getnchannels() != 1:
                raise PermanentError(f"{path} is not mono 16-bit PCM audio.")
            frames = wav.readframes(wav.getnframes())
            rate = wav.getframerate()
    except (wave.Error, EOFError, OSError) as error:
        raise PermanentError(
            f"Could not read the audio file {path}: {error}"
        ) from error
    return np.frombuffer(frames, dtype="<i2").astype(np.float32) / _FULL_SCALE, rate


def wav_duration(path: Path) -> float:
    """Length of a WAV file in seconds, read from its header.

    The RIFF chunks are walked by hand so that any PCM or float WAV works,
    including the extensible format some encoders write.
    """
    try:
        with open(path, "rb") as wav:
            return _riff_duration(wav.read(), path)
    except OSError as error:
        raise PermanentError(
            f"Could not read the audio file {path}: {error}"
        ) from error


def _riff_duration(data: bytes, path: Path) -> float:
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise PermanentError(f"{path} is not a WAV file.")
    byte_rate = 0
    position = 12
    while position + 8 <= len(data):
        chunk_id, size = struct.unpack("<4sI", data[position : position + 8])
        body = position + 8
        if chunk_id == b"fmt " and size >= 16:
            byte_rate = struct.unpack("<I", data[body + 8 : body + 12])[0]
        elif chunk_id == b"data" and byte_rate:
            # A streamed file may leave the size unset; the rest is its data.
            size = min(size, len(data) - body)
            return size / byte_rate
        position = body + size + (size & 1)
    raise PermanentError(f"{path} has no readable audio format or data.")


def rms(samples: np.ndarray) -> float:
    """Root mean square level of float samples (0.0 for no samples)."""
    if not len(samples):
        return 0.0
    return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))


def trim_silence(
    samples: np.ndarray, sample_rate: int, *, floor_db: float = -40.0
) -> np.ndarray:
    """Cut the silence before and after the sound, keeping a short margin.

    A 10 ms frame counts as sound when its level is within ``floor_db`` of the
    loudest frame; soft onsets and fading consonants keep a margin.
    """
    frame = max(int(sample_rate * _FRAME_SECONDS), 1)
    count = len(samples) // frame
    if not count:
        return samples[:0]
    levels = np.sqrt(
        np.mean(np.square(samples[: count * frame].reshape(count, frame)), axis=1)
    )
    threshold = max(float(levels.max()) * 10 ** (floor_db / 20), 1e-4)
    loud = np.flatnonzero(levels > threshold)
    if not len(loud):
        return samples[:0]
    start = max((loud[0] - _LEAD_FRAMES) * frame, 0)
    end = min((loud[-1] + 1 + _TAIL_FRAMES) * frame, len(samples))
    return samples[start:end]


def fade_edges(
    samples: np.ndarray, sample_rate: int, seconds: float = 0.005
) -> np.ndarray:
    """Ramp both ends to zero so that joined pieces make no click."""
    length = min(int(sample_rate * seconds), len(samples) // 2)
    if length < 2:
        return samples.copy()
    ramp = (0.5 - 0.5 * np.cos(np.linspace(0.0, np.pi, length))).astype(np.float32)
    faded = samples.astype(np.float32)
    faded[:length] *= ramp
    faded[-length:] *= ramp[::-1]
    return faded


def join(
    pieces: Sequence[np.ndarray], pauses: Sequence[float], sample_rate: int
) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """Join pieces with ``pauses[i]`` seconds of silence after piece ``i``.

    Returns the joined samples and each piece's (start, end) in seconds. An
    empty piece takes no time: its span is empty and adds no pause of its own
    beyond the longest one due at its place.
    """
    parts: list[np.ndarray] = []
    spans: list[tuple[float, float]] = []
    position = 0
    pending = 0
    for piece, pause in zip(pieces, pauses, strict=True):
        if not len(piece):
            spans.append((position / sample_rate, position / sample_rate))
            pending = max(pending, round(pause * sample_rate)) if position else 0
            continue
        if pending:
            parts.append(np.zeros(pending, dtype=np.float32))
            position += pending
        parts.append(piece.astype(np.float32))
        spans.append((position / sample_rate, (position + len(piece)) / sample_rate))
        position += len(piece)
        pending = round(pause * sample_rate)
    joined = np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)
    return joined, spans


def normalize_peak(samples: np.ndarray, peak: float = PEAK_LEVEL) -> np.ndarray:
    """Scale samples so that the loudest one reaches ``peak``."""
    loudest = float(np.max(np.abs(samples))) if len(samples) else 0.0
    if loudest < 1e-6:
        return samples
    return (samples * (peak / loudest)).astype(np.float32)


def pause_after(phrase: str) -> float:
    """The silence a listener expects after ``phrase``, by how it ends."""
    if _SENTENCE_END.search(phrase):
        return SENTENCE_PAUSE
    if _CLAUSE_END.search(phrase):
        return CLAUSE_PAUSE
    return BREAK_PAUSE


def narrate(
    text: str,
    say: Callable[[str], np.ndarray],
    sample_rate: int,
    out: Path,
) -> Speech:
    """Voice ``text`` phrase by phrase with ``say`` and write it to ``out``.

    ``say`` turns one phrase into float samples at ``sample_rate``. Phrases
    come from :func:`core.text.split_phrases`; each one's start is where its
    sound starts in the file. A phrase the engine has nothing to say for
    (only symbols it skips) gets an empty span at its place.
    """
    phrases = split_phrases(text)
    if not phrases:
        raise InputError("There is no text to narrate.")

    pieces = [_voice_phrase(phrase, say, sample_rate) for phrase in phrases]
    if not any(len(piece) for piece in pieces):
        raise InputError(f"The voice found nothing it could say in: {text[:80]!r}")

    samples, spans = join(pieces, [pause_after(p) for p in phrases], sample_rate)
    write_wav(out, normalize_peak(samples), sample_rate)
    return Speech(
        duration=len(samples) / sample_rate,
        phrases=[
            Phrase(p, start, end)
            for p, (start, end) in zip(phrases, spans, strict=True)
        ],
    )


def _voice_phrase(
    phrase: str, say: Callable[[str], np.ndarray], sample_rate: int
) -> np.ndarray:
    # Control characters would end a C string early or confuse a phonemizer.
    sayable = normalize(phrase).strip()
    if not sayable:
        return np.zeros(0, dtype=np.float32)
    return fade_edges(trim_silence(say(sayable), sample_rate), sample_rate)
