"""The eSpeak NG voice, run for real through libespeak-ng."""

from __future__ import annotations

import threading

import pytest

from core.errors import InputError
from core.providers.espeak_voice import EspeakVoice
from tests.unit.providers.voice_checks import check_speech

NIGHT_MARKET = "台灣夜市的一天，從這一刻才真正開始。攤販們推著車子來到街口。"
MIXED = "我今天學了 Python 和 JavaScript，明天要用 YouTube 分享。"


@pytest.fixture(scope="module")
def voice() -> EspeakVoice:
    return EspeakVoice()


def test_traditional_chinese_is_read_by_the_mandarin_voice(voice, tmp_path):
    out = tmp_path / "speech.wav"

    speech = voice.speak(NIGHT_MARKET, "zh-Hant", out)

    check_speech(speech, out, NIGHT_MARKET)
    assert len(speech.phrases) == 2
    assert 3.0 < speech.duration < 12.0


def test_a_long_chinese_sentence_is_timed_clause_by_clause(voice, tmp_path):
    text = "攤販們推著車子來到街口，點亮一盞盞燈火，空氣裡飄著烤香腸和臭豆腐的味道。"
    out = tmp_path / "speech.wav"

    speech = voice.speak(text, "zh-TW", out)

    check_speech(speech, out, text)
    assert len(speech.phrases) > 1
    first, second = speech.phrases[:2]
    assert second.start - first.end == pytest.approx(0.15, abs=0.001)


def test_english_words_inside_chinese_are_voiced(voice, tmp_path):
    out = tmp_path / "speech.wav"

    speech = voice.speak(MIXED, "zh-Hant", out)

    check_speech(speech, out, MIXED)
    chinese_only = voice.speak(
        "我今天學了和，明天要用分享。", "zh", tmp_path / "zh.wav"
    )
    assert speech.duration > chinese_only.duration + 1.0


def test_english_is_read_by_the_american_voice(voice, tmp_path):
    text = "The river town wakes early. Boats drift in with the tide."
    out = tmp_path / "speech.wav"

    speech = voice.speak(text, "en", out)

    check_speech(speech, out, text)


def test_hostile_characters_are_voiced_without_crashing(voice, tmp_path):
    text = (
        '{\\an8} %{pts} 「引號」"quoted" \\back\\slash [[x]] <b>標籤</b> 🙂 '
        "前面\x00後面！最後 50% 結束。"
    )
    out = tmp_path / "speech.wav"

    speech = voice.speak(text, "zh-Hant", out)

    check_speech(speech, out, text)


def test_empty_text_is_an_input_error(voice, tmp_path):
    for text in ("", " \n\t "):
        with pytest.raises(InputError):
            voice.speak(text, "zh-Hant", tmp_path / "speech.wav")


def test_text_with_nothing_to_say_is_an_input_error(voice, tmp_path):
    with pytest.raises(InputError, match="nothing"):
        voice.speak("🙂。", "zh-Hant", tmp_path / "speech.wav")


def test_a_phrase_with_nothing_to_say_keeps_an_empty_place(voice, tmp_path):
    speech = voice.speak("🙂。台灣夜市。", "zh-Hant", tmp_path / "speech.wav")

    silent, spoken = speech.phrases
    assert silent.start == silent.end == 0.0
    assert spoken.start == 0.0 and spoken.end == speech.duration > 0.5


def test_each_language_gets_its_own_voice(voice):
    assert voice.voice_for("zh-Hant") == "cmn"
    assert voice.voice_for("zh_TW") == "cmn"
    assert voice.voice_for("en") == "en-us"
    assert voice.voice_for("fr") == "fr"
    assert voice.voice_for("pt-BR") == "pt-br"
    assert EspeakVoice("yue").voice_for("zh-HK") == "yue"
    assert EspeakVoice("en-gb-x-rp").voice_for("en-US") == "en-gb-x-rp"


def test_a_language_espeak_lacks_is_an_input_error(voice, tmp_path):
    with pytest.raises(InputError, match="no voice"):
        voice.speak("Hello.", "tlh", tmp_path / "speech.wav")


def test_a_faster_rate_makes_shorter_speech(tmp_path):
    slow = EspeakVoice(rate_wpm=120).speak(NIGHT_MARKET, "zh", tmp_path / "s.wav")
    fast = EspeakVoice(rate_wpm=240).speak(NIGHT_MARKET, "zh", tmp_path / "f.wav")

    assert fast.duration < slow.duration * 0.75


def test_a_rate_outside_the_engines_range_is_an_input_error():
    with pytest.raises(InputError, match="words per minute"):
        EspeakVoice(rate_wpm=20)


def test_cache_identity_changes_with_the_voice_and_the_rate(voice):
    identity = voice.cache_identity()

    assert identity["engine"] == "espeak-ng"
    assert identity["voice"] == "cmn"
    assert identity["sample_rate"] == 22050
    assert identity != EspeakVoice("yue").cache_identity()
    assert identity != EspeakVoice(rate_wpm=200).cache_identity()


def test_threads_sharing_the_engine_each_get_their_own_speech(tmp_path):
    voices = [EspeakVoice(), EspeakVoice(rate_wpm=220), EspeakVoice("en-us")]
    texts = [NIGHT_MARKET, MIXED, "Boats drift in with the tide."]
    languages = ["zh-Hant", "zh-Hant", "en"]
    alone = [
        voice.speak(text, language, tmp_path / "alone.wav").duration
        for voice, text, language in zip(voices, texts, languages, strict=True)
    ]
    together: dict[tuple[int, int], float] = {}

    def speak(index: int) -> None:
        for round_ in range(3):
            out = tmp_path / f"together{index}-{round_}.wav"
            speech = voices[index].speak(texts[index], languages[index], out)
            check_speech(speech, out, texts[index])
            together[index, round_] = speech.duration

    threads = [threading.Thread(target=speak, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # eSpeak varies a few milliseconds from run to run; mixed-up audio from
    # another thread would change a duration by seconds.
    assert len(together) == 9
    for (index, _), duration in together.items():
        assert duration == pytest.approx(alone[index], abs=0.05)
