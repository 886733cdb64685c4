"""Checks every voice's narration must pass, shared by the voice tests.

They compare the returned ``Speech`` with the WAV itself: the timings must
follow the real audio, not an estimate.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import numpy as np

from core.audio import read_wav, rms, wav_duration
from core.providers.base import Speech
from core.text import split_phrases

SPOKEN_RMS = 0.02  # a voiced phrase is far louder than this
QUIET_RMS = 0.001  # a pause between phrases is quieter than this
EDGE_LEVEL = 0.01  # a phrase starts and ends this close to zero
ONSET_LEVEL = 0.005  # about -46 dBFS: a soft "th" or "h" is already this loud
ONSET_SECONDS = 0.04  # sound begins this soon after a phrase's start


def check_speech(speech: Speech, wav: Path, text: str) -> np.ndarray:
    """Assert that ``speech`` describes ``wav`` exactly; return its samples."""
    samples, rate = read_wav(wav)
    assert abs(wav_duration(wav) - speech.duration) < 0.001
    assert abs(len(samples) / rate - speech.duration) < 0.001
    assert [p.text for p in speech.phrases] == split_phrases(text)

    for before, after in pairwise(speech.phrases):
        assert before.start < after.start
        assert before.end <= after.start
        gap = samples[round(before.end * rate) : round(after.start * rate)]
        assert rms(gap) < QUIET_RMS
    assert speech.phrases[-1].end <= speech.duration

    for phrase in speech.phrases:
        window = samples[round(phrase.start * rate) : round(phrase.end * rate)]
        onset = np.flatnonzero(np.abs(window) > ONSET_LEVEL)[0] / rate
        edges = max(abs(window[0]), abs(window[-1]))
        about = f"{phrase} level {rms(window):.3f} onset {onset:.3f} edges {edges:.4f}"
        assert rms(window) > SPOKEN_RMS, about
        assert edges < EDGE_LEVEL, about  # a click where pieces join
        assert onset < ONSET_SECONDS, about
    return samples
