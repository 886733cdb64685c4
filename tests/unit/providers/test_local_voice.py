"""The offline default voice: Piper for English, eSpeak NG for the rest."""

from __future__ import annotations

import pytest

from core.errors import InputError
from core.providers.espeak_voice import EspeakVoice
from core.providers.local_voice import LocalVoice
from tests.unit.providers.voice_checks import check_speech

ENGLISH_TEXT = "The night market opens at dusk. Lanterns glow above the stalls."
CHINESE_TEXT = "台灣夜市的一天，從這一刻才真正開始。"
MIXED_TEXT = "這支影片用 Python 和 FFmpeg 製作，上傳到 YouTube。"


@pytest.fixture(scope="module")
def voice() -> LocalVoice:
    return LocalVoice()


def test_english_goes_to_piper_and_chinese_to_espeak(voice):
    assert voice.voice_for("en") is voice.piper
    assert voice.voice_for("en-GB") is voice.piper
    assert voice.voice_for("zh-Hant") is voice.espeak
    assert voice.voice_for("zh-TW") is voice.espeak
    assert voice.voice_for("fr") is voice.espeak


def test_english_and_chinese_narration_alternate_in_one_process(voice, tmp_path):
    # Piper carries its own copy of eSpeak for phonemes; both must coexist.
    for round_, (text, language) in enumerate(
        [(ENGLISH_TEXT, "en"), (CHINESE_TEXT, "zh-Hant"), (ENGLISH_TEXT, "en")]
    ):
        out = tmp_path / f"speech{round_}.wav"
        check_speech(voice.speak(text, language, out), out, text)


def test_english_words_in_chinese_narration_are_voiced(voice, tmp_path):
    out = tmp_path / "speech.wav"

    speech = voice.speak(MIXED_TEXT, "zh-Hant", out)

    check_speech(speech, out, MIXED_TEXT)


def test_a_language_piper_lacks_is_spoken_by_espeak(voice, tmp_path):
    text = "Le marché de nuit ouvre au crépuscule."
    out = tmp_path / "speech.wav"

    speech = voice.speak(text, "fr", out)

    check_speech(speech, out, text)


def test_empty_text_is_an_input_error_in_either_language(voice, tmp_path):
    for language in ("en", "zh-Hant"):
        with pytest.raises(InputError):
            voice.speak("", language, tmp_path / "speech.wav")


def test_cache_identity_tells_which_engine_serves_which_language(voice):
    identity = voice.cache_identity()

    assert identity["engine"] == "local"
    assert identity["routes"]["en_US"] == "piper"
    assert "espeak-ng" in identity["routes"].values()
    assert identity["piper"]["engine"] == "piper"
    assert identity["espeak-ng"]["voice"] == "cmn"


def test_cache_identity_changes_with_either_engines_settings(voice):
    slower_chinese = LocalVoice(
        piper=voice.piper, espeak=EspeakVoice(rate_wpm=140)
    ).cache_identity()

    assert slower_chinese != voice.cache_identity()
    assert slower_chinese["piper"] == voice.cache_identity()["piper"]
