"""WAV helpers and the joining of voiced phrases into one narration."""

from __future__ import annotations

import struct
import wave

import numpy as np
import pytest

from core.audio import (
    BREAK_PAUSE,
    CLAUSE_PAUSE,
    SENTENCE_PAUSE,
    fade_edges,
    join,
    narrate,
    normalize_peak,
    pause_after,
    read_wav,
    rms,
    trim_silence,
    wav_duration,
    write_wav,
)
from core.errors import InputError, PermanentError

RATE = 16000


def tone(seconds: float, level: float = 0.5) -> np.ndarray:
    times = np.arange(round(seconds * RATE)) / RATE
    return (level * np.sin(2 * np.pi * 440 * times)).astype(np.float32)


def silence(seconds: float) -> np.ndarray:
    return np.zeros(round(seconds * RATE), dtype=np.float32)


def test_a_written_wav_reads_back_with_its_samples_and_duration(tmp_path):
    path = tmp_path / "tone.wav"
    samples = tone(0.75)

    write_wav(path, samples, RATE)

    read, rate = read_wav(path)
    assert rate == RATE
    assert np.max(np.abs(read - samples)) < 1e-4
    assert wav_duration(path) == pytest.approx(0.75, abs=1e-6)


def test_int16_samples_are_written_unchanged(tmp_path):
    path = tmp_path / "ints.wav"
    samples = np.array([0, 1000, -32768, 32767], dtype=np.int16)

    write_wav(path, samples, RATE)

    with wave.open(str(path)) as wav:
        assert wav.readframes(4) == samples.astype("<i2").tobytes()
    assert wav_duration(path) == pytest.approx(4 / RATE)


def test_duration_is_read_from_an_extensible_float_wav(tmp_path):
    # 48 kHz stereo float32, one second, with a LIST chunk before the data.
    data = bytes(48000 * 2 * 4)
    fmt = struct.pack("<HHIIHH", 0xFFFE, 2, 48000, 48000 * 8, 8, 32) + bytes(24)
    body = (
        b"WAVE"
        + b"fmt " + struct.pack("<I", len(fmt)) + fmt
        + b"LIST" + struct.pack("<I", 5) + b"abcde\0"
        + b"data" + struct.pack("<I", len(data)) + data
    )  # fmt: skip
    path = tmp_path / "float.wav"
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)

    assert wav_duration(path) == pytest.approx(1.0)


def test_a_file_that_is_not_a_wav_has_no_duration(tmp_path):
    path = tmp_path / "not.wav"
    path.write_bytes(b"ID3 this is an mp3, really")

    with pytest.raises(PermanentError, match="not a WAV"):
        wav_duration(path)
    with pytest.raises(PermanentError):
        wav_duration(tmp_path / "missing.wav")


def test_trimming_cuts_the_silence_around_the_sound_but_keeps_a_margin():
    samples = np.concatenate([silence(0.5), tone(1.0), silence(0.7)])

    trimmed = trim_silence(samples, RATE)

    assert 1.0 < len(trimmed) / RATE < 1.06
    assert rms(trimmed) == pytest.approx(rms(tone(1.0)), rel=0.05)


def test_trimming_pure_silence_leaves_nothing():
    assert len(trim_silence(silence(1.0), RATE)) == 0
    assert len(trim_silence(np.zeros(3, dtype=np.float32), RATE)) == 0


def test_faded_edges_start_and_end_at_zero_and_leave_the_middle_alone():
    samples = np.full(RATE, 0.5, dtype=np.float32)

    faded = fade_edges(samples, RATE)

    assert faded[0] == faded[-1] == 0.0
    assert np.all(faded[200:-200] == 0.5)
    assert samples[0] == 0.5  # the input is left untouched


def test_join_places_pauses_between_pieces_and_reports_their_spans():
    pieces = [tone(1.0), tone(0.5), tone(0.25)]

    joined, spans = join(pieces, [0.35, 0.15, 0.35], RATE)

    assert spans == [(0.0, 1.0), (1.35, 1.85), (2.0, 2.25)]
    assert len(joined) == round(2.25 * RATE)
    assert rms(joined[round(1.0 * RATE) : round(1.35 * RATE)]) == 0.0


def test_an_empty_piece_takes_no_time_and_no_extra_pause():
    pieces = [tone(1.0), silence(0), tone(0.5), silence(0)]

    joined, spans = join(pieces, [0.15, 0.35, 0.15, 0.35], RATE)

    assert spans == [(0.0, 1.0), (1.0, 1.0), (1.35, 1.85), (1.85, 1.85)]
    assert len(joined) == round(1.85 * RATE)


def test_an_empty_first_piece_adds_no_leading_silence():
    joined, spans = join([silence(0), tone(0.5)], [0.35, 0.35], RATE)

    assert spans == [(0.0, 0.0), (0.0, 0.5)]
    assert len(joined) == round(0.5 * RATE)


def test_pauses_follow_how_a_phrase_ends_in_english_and_chinese():
    assert pause_after("The day begins.") == SENTENCE_PAUSE
    assert pause_after('He said "go!"') == SENTENCE_PAUSE
    assert pause_after("從這一刻開始。」") == SENTENCE_PAUSE
    assert pause_after("in the morning,") == CLAUSE_PAUSE
    assert pause_after("台灣夜市的一天，") == CLAUSE_PAUSE
    assert pause_after("and the whole town") == BREAK_PAUSE


def test_peak_normalising_reaches_the_target_and_leaves_silence_alone():
    assert np.max(np.abs(normalize_peak(tone(0.1, level=0.2)))) == pytest.approx(0.89)
    assert np.max(np.abs(normalize_peak(silence(0.1)))) == 0.0


def say_as_tones(phrase: str) -> np.ndarray:
    """A stand-in engine: 0.1 s of tone per word, with silence around it."""
    if phrase.startswith("#"):
        return silence(0.3)  # something this engine cannot say
    return np.concatenate([silence(0.2), tone(0.1 * len(phrase.split())), silence(0.3)])


def test_narration_times_each_phrase_where_its_sound_is(tmp_path):
    out = tmp_path / "speech.wav"
    text = "One two three. Four five, six."

    speech = narrate(text, say_as_tones, RATE, out)

    samples, _ = read_wav(out)
    assert [p.text for p in speech.phrases] == ["One two three.", "Four five, six."]
    first, second = speech.phrases
    assert second.start - first.end == pytest.approx(SENTENCE_PAUSE, abs=1e-9)
    assert speech.duration == pytest.approx(wav_duration(out), abs=1e-9)
    for phrase in speech.phrases:
        window = samples[round(phrase.start * RATE) : round(phrase.end * RATE)]
        assert abs(window[0]) < 0.01 and abs(window[-1]) < 0.01  # no clicks
        assert rms(window) > 0.3


def test_narration_of_empty_or_unsayable_text_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no text"):
        narrate("  ", say_as_tones, RATE, tmp_path / "a.wav")
    with pytest.raises(InputError, match="nothing it could say"):
        narrate("#hashtag", say_as_tones, RATE, tmp_path / "b.wav")
    assert not (tmp_path / "b.wav").exists()


def test_control_characters_never_reach_the_engine(tmp_path):
    heard: list[str] = []

    def listen(phrase: str) -> np.ndarray:
        heard.append(phrase)
        return tone(0.2)

    narrate("Hello\x00 there\u200b. Bye\ud800.", listen, RATE, tmp_path / "a.wav")

    assert heard == ["Hello there.", "Bye."]
