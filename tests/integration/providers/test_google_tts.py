"""The cloud voice with the real Text-to-Speech SDK against a local fake.

The SDK speaks REST to ``FakeTextToSpeech``, which parses the SSML strictly,
enforces the 5,000-byte input limit and answers with tone bursts whose
starts are the marks' reported times, so timings are checked against sound.
"""

from __future__ import annotations

import json
import logging
import socket
from pathlib import Path

import keyring
import numpy as np
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.api_core import exceptions as api
from keyring.backends import fail

from core.audio import read_wav
from core.errors import InputError, PermanentError, TransientError
from core.providers.google_tts import SAMPLE_RATE, GoogleTtsVoice
from core.text import split_phrases
from tests.fakes.server import Failure
from tests.fakes.tts import MAX_INPUT_BYTES, FakeTextToSpeech, google_failure

pytestmark = pytest.mark.integration

KEY = "AIzaFakeKeyForTheTextToSpeechTests0123"
ENGLISH = (
    "Rivers carve valleys over thousands of years. Water finds the weakest "
    "rock, and the stream follows it. In time, a canyon opens!"
)
CHINESE = "河流用千萬年的時間切開山谷。水總是找到最軟的岩石，溪流便沿著它走。"


@pytest.fixture
def fake():
    with FakeTextToSpeech(api_key=KEY) as server:
        yield server


@pytest.fixture
def voice(fake: FakeTextToSpeech, tmp_path: Path) -> GoogleTtsVoice:
    return GoogleTtsVoice(
        api_key=KEY, endpoint=fake.url, timeout_seconds=2, cache_dir=tmp_path
    )


def level(samples: np.ndarray, start: float, end: float) -> float:
    """RMS level of the samples between two times in seconds."""
    window = samples[int(start * SAMPLE_RATE) : int(end * SAMPLE_RATE)]
    return float(np.sqrt(np.mean(np.square(window)))) if len(window) else 0.0


def marks_of(fake: FakeTextToSpeech) -> list[tuple[str, float, str]]:
    return [mark for synthesis in fake.syntheses for mark in synthesis.marks]


@pytest.fixture
def quick(fake: FakeTextToSpeech) -> FakeTextToSpeech:
    """The fake speaking ten times faster, for narrations of many minutes."""
    fake.pace = 10.0
    return fake


def long_text(sentences: int) -> str:
    return " ".join(
        f"Sentence number {n} tells the story of a river and a stone."
        for n in range(sentences)
    )


def test_each_phrase_starts_where_the_service_reports_its_mark(fake, voice, tmp_path):
    speech = voice.speak(ENGLISH, "en", tmp_path / "out.wav")

    reported = [time for _, time, _ in marks_of(fake)]
    assert [p.text for p in speech.phrases] == split_phrases(ENGLISH)
    assert [p.start for p in speech.phrases] == pytest.approx(reported, abs=1e-6)
    assert speech.phrases[-1].end == pytest.approx(speech.duration)


def test_each_phrase_window_holds_sound_and_the_gaps_before_are_quiet(voice, tmp_path):
    out = tmp_path / "out.wav"
    speech = voice.speak(ENGLISH, "en", out)

    samples, rate = read_wav(out)
    assert rate == SAMPLE_RATE
    assert len(samples) / rate == pytest.approx(speech.duration, abs=1 / rate)
    for phrase in speech.phrases:
        assert level(samples, phrase.start + 0.01, phrase.start + 0.06) > 0.1
        assert level(samples, phrase.start - 0.05, phrase.start - 0.005) < 0.01


def test_the_request_asks_v1beta1_for_mark_times_in_24khz_linear16(fake, tmp_path):
    voice = GoogleTtsVoice(
        api_key=KEY,
        endpoint=fake.url,
        voice_name="en-US-Neural2-F",
        speaking_rate=1.25,
        pitch=-2.0,
    )
    voice.speak("One sentence.", "en", tmp_path / "out.wav")

    [request] = fake.requests
    body = request.json()
    assert request.path == "/v1beta1/text:synthesize"
    assert request.headers["x-goog-api-key"] == KEY
    assert body["enableTimePointing"] == ["SSML_MARK"]
    assert body["voice"] == {"languageCode": "en-US", "name": "en-US-Neural2-F"}
    assert body["audioConfig"]["audioEncoding"] == "LINEAR16"
    assert body["audioConfig"]["sampleRateHertz"] == SAMPLE_RATE
    assert body["audioConfig"]["speakingRate"] == 1.25
    assert body["audioConfig"]["pitch"] == -2.0


def test_a_narration_over_the_limit_is_split_at_sentence_ends(quick, voice, tmp_path):
    text = long_text(200)
    assert len(text.encode()) > 2 * MAX_INPUT_BYTES

    speech = voice.speak(text, "en", tmp_path / "out.wav")

    assert len(quick.syntheses) >= 3
    for synthesis in quick.syntheses:
        assert len(synthesis.ssml.encode()) <= MAX_INPUT_BYTES
        assert synthesis.marks[-1][2].strip().endswith(".")
    assert [p.text for p in speech.phrases] == split_phrases(text)


def test_chunks_join_with_no_gap_and_their_phrases_shift_by_the_chunk_start(
    quick, voice, tmp_path
):
    out = tmp_path / "out.wav"
    speech = voice.speak(long_text(200), "en", out)

    lengths = [synthesis.samples for synthesis in quick.syntheses]
    assert round(speech.duration * SAMPLE_RATE) == sum(lengths)

    offsets = np.cumsum([0, *lengths[:-1]]) / SAMPLE_RATE
    expected = [
        offset + time
        for offset, synthesis in zip(offsets, quick.syntheses, strict=True)
        for _, time, _ in synthesis.marks
    ]
    assert [p.start for p in speech.phrases] == pytest.approx(expected, abs=1e-6)

    samples, _ = read_wav(out)
    for join in np.cumsum(lengths[:-1]):
        around = samples[join - 240 : join + 240]
        assert np.max(np.abs(np.diff(around))) < 0.01  # no click at the join


def test_one_sentence_too_long_for_a_request_is_broken_between_phrases(
    quick, voice, tmp_path
):
    sentence = ", ".join(["alpha beta gamma delta epsilon zeta"] * 200) + "."
    assert len(sentence.encode()) > MAX_INPUT_BYTES

    speech = voice.speak(sentence, "en", tmp_path / "out.wav")

    assert len(quick.syntheses) >= 2
    assert all(len(s.ssml.encode()) <= MAX_INPUT_BYTES for s in quick.syntheses)
    assert [p.text for p in speech.phrases] == split_phrases(sentence)
    assert speech.duration * SAMPLE_RATE == pytest.approx(
        sum(s.samples for s in quick.syntheses), abs=1
    )


def test_traditional_chinese_is_voiced_by_a_taiwanese_mandarin_voice(
    fake, voice, tmp_path
):
    speech = voice.speak(CHINESE, "zh-Hant", tmp_path / "out.wav")

    [synthesis] = fake.syntheses
    assert synthesis.voice == {"languageCode": "cmn-TW", "name": "cmn-TW-Wavenet-A"}
    assert [spoken.strip() for _, _, spoken in synthesis.marks] == split_phrases(
        CHINESE
    )
    assert [p.text for p in speech.phrases] == split_phrases(CHINESE)


def test_hostile_text_reaches_the_service_as_words_not_markup(fake, voice, tmp_path):
    text = (
        "Tom & Jerry say \"hi\" <break time='9s'/> it's {\\an8} %{pts} ]]>. "
        'Then <mark name="p0"/> &amp; </speak> \x00\ufffe end.'
    )
    speech = voice.speak(text, "en", tmp_path / "out.wav")

    spoken = [words.strip() for _, _, words in marks_of(fake)]
    # Only characters XML cannot carry at all are left out.
    expected = [
        p.replace("\x00", "").replace("\ufffe", "") for p in split_phrases(text)
    ]
    assert spoken == expected
    assert len(speech.phrases) == len(expected)
    assert any("<break time='9s'/>" in words for words in spoken)
    assert any('<mark name="p0"/> &amp;' in words for words in spoken)
    assert any("</speak>" in words for words in spoken)


def test_a_missing_mark_is_placed_between_its_neighbours(fake, voice, tmp_path):
    fake.drop_marks = {"p1"}
    speech = voice.speak(ENGLISH, "en", tmp_path / "out.wav")

    starts = [p.start for p in speech.phrases]
    reported = [time for _, time, _ in marks_of(fake)]
    assert starts[0] < starts[1] < starts[2]
    assert starts[:1] + starts[2:] == pytest.approx(reported[:1] + reported[2:])


def test_text_with_nothing_to_say_is_an_input_error(fake, voice, tmp_path):
    with pytest.raises(InputError):
        voice.speak("   \n ", "en", tmp_path / "out.wav")
    assert fake.requests == []


KEY_WORDS = ("Settings", "REELWRIGHT_TTS_API_KEY", "GOOGLE_APPLICATION_CREDENTIALS")
DAILY = "Quota exceeded for quota metric 'Characters' and limit 'Characters per day'"


@pytest.mark.parametrize(
    ("failure", "kind", "words", "cause"),
    [
        (google_failure(401), PermanentError, KEY_WORDS, api.Unauthorized),
        (google_failure(403), PermanentError, KEY_WORDS, api.Forbidden),
        (google_failure(429), TransientError, ("slow down",), api.TooManyRequests),
        (google_failure(429, DAILY), PermanentError, ("today",), api.TooManyRequests),
        (google_failure(500), TransientError, ("trouble",), api.InternalServerError),
        (google_failure(503), TransientError, ("trouble",), api.ServiceUnavailable),
        (google_failure(504), TransientError, ("trouble",), api.GatewayTimeout),
        (
            google_failure(400, "Bad SSML."),
            PermanentError,
            ("Bad SSML",),
            api.BadRequest,
        ),
        (Failure(delay=1.5), TransientError, ("in time",), requests.Timeout),
        (Failure(raw=b""), TransientError, ("reach",), requests.ConnectionError),
    ],
    ids=["401", "403", "429", "429-daily", "500", "503", "504", "400", "slow", "drop"],
)
def test_service_failures_map_to_transient_or_permanent_errors(
    fake, tmp_path, failure, kind, words, cause
):
    # google-auth's session refreshes credentials and tries again after a
    # 401, twice at most; nothing else is retried by the SDK.
    expected_requests = 3 if failure.status == 401 else 1
    fake.failures.extend([failure] * 3)
    voice = GoogleTtsVoice(api_key=KEY, endpoint=fake.url, timeout_seconds=0.5)

    with pytest.raises(kind) as caught:
        voice.speak("Hello.", "en", tmp_path / "out.wav")

    error = caught.value
    assert isinstance(error, TransientError) == (kind is TransientError)
    assert all(word in error.message for word in words)
    assert isinstance(error.__cause__, cause)
    assert KEY not in error.message
    assert len(fake.requests) == expected_requests
    assert not (tmp_path / "out.wav").exists()


def test_a_wrong_key_is_a_permanent_error_naming_the_setting(fake, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    voice = GoogleTtsVoice(api_key=KEY + "x", endpoint=fake.url, timeout_seconds=2)

    with pytest.raises(PermanentError) as caught:
        voice.speak("Hello.", "en", tmp_path / "out.wav")

    assert "refused the key" in caught.value.message
    assert all(word in caught.value.message for word in KEY_WORDS)
    assert isinstance(caught.value.__cause__, api.BadRequest)
    assert KEY not in caught.value.message and KEY not in caplog.text


def test_an_unknown_voice_is_permanent_with_the_services_words(fake, tmp_path):
    voice = GoogleTtsVoice(api_key=KEY, endpoint=fake.url, voice_name="en-US-Nope-Z")

    with pytest.raises(PermanentError, match="does not exist") as caught:
        voice.speak("Hello.", "en", tmp_path / "out.wav")
    assert not isinstance(caught.value, TransientError)


def test_an_endpoint_nobody_listens_on_is_a_transient_error(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    voice = GoogleTtsVoice(
        api_key=KEY, endpoint=f"http://127.0.0.1:{port}", timeout_seconds=1
    )

    with pytest.raises(TransientError, match="reach") as caught:
        voice.speak("Hello.", "en", tmp_path / "out.wav")
    assert isinstance(caught.value.__cause__, requests.ConnectionError)


def test_voices_are_fetched_once_then_kept_in_memory_and_on_disk(fake, voice, tmp_path):
    everything = voice.list_voices()
    chinese = voice.list_voices("zh-Hant")
    assert len(fake.requests) == 1

    assert {v.name for v in chinese} == {"cmn-TW-Wavenet-A", "cmn-TW-Wavenet-B"}
    assert {"en-US-Neural2-D", "yue-HK-Standard-A"} <= {v.name for v in everything}
    assert next(v for v in chinese if v.name.endswith("B")).gender == "MALE"

    another = GoogleTtsVoice(api_key=KEY, endpoint=fake.url, cache_dir=tmp_path)
    assert another.list_voices("en") == voice.list_voices("en-US")
    assert len(fake.requests) == 1

    another.list_voices(refresh=True)
    assert len(fake.requests) == 2


@pytest.fixture(scope="module")
def signing_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def make_service_account(
    folder: Path, token_uri: str, key: rsa.RSAPrivateKey
) -> tuple[Path, str, str]:
    """A service account file; returns its path, email and public key PEM."""
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        .decode()
    )
    email = "narrator@reelwright-tests.iam.gserviceaccount.com"
    info = {
        "type": "service_account",
        "project_id": "reelwright-tests",
        "private_key_id": "test-key-1",
        "private_key": private,
        "client_email": email,
        "client_id": "1234567890",
        "token_uri": token_uri,
    }
    path = folder / "service-account.json"
    path.write_text(json.dumps(info))
    return path, email, public


def test_a_service_account_file_signs_requests_instead_of_a_key(
    fake, tmp_path, signing_key
):
    path, email, public = make_service_account(
        tmp_path, f"{fake.url}/token", signing_key
    )
    fake.service_accounts[email] = public
    voice = GoogleTtsVoice(credentials_file=path, endpoint=fake.url, timeout_seconds=2)

    speech = voice.speak("Signed, not keyed.", "en", tmp_path / "out.wav")

    [request] = fake.requests
    assert request.headers["authorization"].startswith("Bearer ey")
    assert "x-goog-api-key" not in request.headers
    assert speech.duration > 0.5


def test_a_service_account_the_service_does_not_know_is_refused(
    fake, tmp_path, signing_key
):
    path, _, _ = make_service_account(tmp_path, f"{fake.url}/token", signing_key)
    voice = GoogleTtsVoice(credentials_file=path, endpoint=fake.url, timeout_seconds=2)

    with pytest.raises(PermanentError, match="refused the key"):
        voice.speak("Hello.", "en", tmp_path / "out.wav")


def test_an_unreadable_credentials_file_is_a_permanent_error(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    voice = GoogleTtsVoice(credentials_file=broken, endpoint="http://127.0.0.1:9")

    with pytest.raises(PermanentError, match="GOOGLE_APPLICATION_CREDENTIALS"):
        voice.speak("Hello.", "en", tmp_path / "out.wav")


@pytest.fixture
def no_keyring():
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def test_from_environment_reads_the_key_and_endpoint(
    fake, tmp_path, monkeypatch, no_keyring
):
    monkeypatch.setenv("REELWRIGHT_TTS_API_KEY", KEY)
    monkeypatch.setenv("REELWRIGHT_TTS_ENDPOINT", fake.url)
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)

    voice = GoogleTtsVoice.from_environment()
    voice.speak(CHINESE, "zh-Hant", tmp_path / "out.wav")
    voice.speak("Hello there.", "en", tmp_path / "english.wav")

    # One voice object serves both languages, each with its own voice.
    assert fake.syntheses[0].voice["languageCode"] == "cmn-TW"
    assert fake.syntheses[0].voice["name"] == "cmn-TW-Wavenet-A"
    assert fake.syntheses[1].voice["languageCode"].startswith("en-")


def test_from_environment_without_a_key_says_where_to_put_one(monkeypatch, no_keyring):
    monkeypatch.delenv("REELWRIGHT_TTS_API_KEY", raising=False)
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)

    with pytest.raises(PermanentError) as caught:
        GoogleTtsVoice.from_environment()
    assert all(word in caught.value.message for word in KEY_WORDS)


def test_the_cache_identity_changes_with_the_voice_settings():
    base = GoogleTtsVoice(api_key=KEY, voice_name="en-US-Neural2-D")
    faster = GoogleTtsVoice(
        api_key=KEY, voice_name="en-US-Neural2-D", speaking_rate=1.2
    )
    other = GoogleTtsVoice(api_key=KEY, voice_name="en-US-Studio-O")

    identities = [v.cache_identity() for v in (base, faster, other)]
    assert identities[0] != identities[1] != identities[2] != identities[0]
    assert identities[0]["sample_rate"] == SAMPLE_RATE
    assert KEY not in json.dumps(identities)
    assert base.pricing.unit == "characters"
    assert other.pricing.usd_per_unit > base.pricing.usd_per_unit
