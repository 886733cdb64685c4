"""The cloud image maker with real httpx against a local Stability AI.

``FakeStability`` insists on a multipart form and a bearer key, draws at
Stability's own sizes (so fitting to the frame is exercised) and answers
errors in Stability's shape. Parallel scenes are checked against the
arrival times the fake records.
"""

from __future__ import annotations

import logging
import socket
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import keyring
import pytest
from keyring.backends import fail
from PIL import Image

from core.errors import InputError, PermanentError, TransientError
from core.providers.base import ImageRequest
from core.providers.ratelimit import RateLimiter
from core.providers.stability_images import (
    ContentRefused,
    RateLimited,
    StabilityImageMaker,
)
from tests.fakes.server import Failure
from tests.fakes.stability import FakeStability, colours_for, stability_failure

pytestmark = pytest.mark.integration

KEY = "sk-FakeStabilityKeyForTheTests0123456789"
PROMPT = "A river cutting a canyon through red rock at dawn"


@pytest.fixture
def fake():
    with FakeStability(api_key=KEY) as server:
        yield server


def maker_for(fake: FakeStability, **options) -> StabilityImageMaker:
    options.setdefault("limiter", RateLimiter(100, 1.0))
    options.setdefault("timeout_seconds", 2.0)
    return StabilityImageMaker(api_key=KEY, base_url=fake.url, **options)


@pytest.fixture
def maker(fake: FakeStability):
    made = maker_for(fake)
    yield made
    made.close()


def scene(prompt: str = PROMPT, width: int = 1920, height: int = 1080, **more):
    return ImageRequest(
        prompt=prompt, key_phrase="", width=width, height=height, **more
    )


def small_scene(prompt: str) -> ImageRequest:
    """A thumbnail-sized scene, for tests about many requests at once."""
    return scene(prompt, width=320, height=180)


def close_to(pixel, colour, tolerance: int = 6) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


def test_an_image_is_cropped_to_the_exact_frame_and_its_seed_reported(
    fake, maker, tmp_path
):
    out = tmp_path / "scene.png"
    made = maker.draw(scene(seed=1234), out)

    [generation] = fake.generations
    assert generation.size == (1344, 768)
    assert made.seed == generation.seed == 1234
    assert made.finish_reason == "SUCCESS"
    with Image.open(out) as image:
        assert image.format == "PNG"
        assert image.size == (1920, 1080)
        left, right = colours_for(PROMPT)
        assert close_to(image.getpixel((200, 540)), left)
        assert close_to(image.getpixel((1720, 540)), right)


def test_a_seed_of_zero_lets_stability_choose_and_reports_its_choice(
    fake, maker, tmp_path
):
    made = maker.draw(scene(seed=0), tmp_path / "scene.png")

    assert made.seed == fake.generations[0].seed != 0


@pytest.mark.parametrize(
    ("width", "height", "ratio"),
    [
        (1920, 1080, "16:9"),
        (1080, 1920, "9:16"),
        (1080, 1080, "1:1"),
        (1280, 544, "21:9"),
    ],
)
def test_the_aspect_ratio_follows_the_frame(
    fake, maker, tmp_path, width, height, ratio
):
    out = tmp_path / "scene.jpg"
    maker.make(scene(width=width, height=height), out)

    assert fake.generations[0].fields["aspect_ratio"] == ratio
    with Image.open(out) as image:
        assert (image.format, image.size) == ("JPEG", (width, height))


@pytest.mark.parametrize("model", ["core", "ultra", "sd3"])
def test_the_form_goes_out_as_multipart_with_the_key_as_a_bearer_token(
    fake, tmp_path, model
):
    maker = maker_for(fake, model=model, style="photographic", negative_prompt="text")
    maker.make(scene(negative_prompt="people", seed=7), tmp_path / "scene.png")

    [request] = fake.requests
    assert request.path == f"/v2beta/stable-image/generate/{model}"
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.headers["accept"] == "image/*"
    fields = fake.generations[0].fields
    assert fields["prompt"] == PROMPT
    assert fields["negative_prompt"] == "people, text"
    assert fields["seed"] == "7"
    assert fields["output_format"] == "png"
    assert fields["style_preset"] == "photographic"
    assert ("mode" in fields) == (model == "sd3")


def test_the_fake_refuses_a_url_encoded_form(fake):
    answer = httpx.post(
        f"{fake.url}/v2beta/stable-image/generate/core",
        data={"prompt": PROMPT},
        headers={"authorization": f"Bearer {KEY}", "accept": "image/*"},
    )
    assert answer.status_code == 400
    assert answer.json()["name"] == "bad_request"


def test_a_chinese_prompt_arrives_intact(fake, maker, tmp_path):
    maker.make(scene("黎明時分，河流穿過紅色岩石的峽谷"), tmp_path / "scene.png")

    assert fake.generations[0].fields["prompt"] == "黎明時分，河流穿過紅色岩石的峽谷"


def test_moderation_is_a_refusal_that_quotes_the_prompt(fake, maker, tmp_path):
    prompt = "A forbidden ritual in the canyon"
    with pytest.raises(ContentRefused) as caught:
        maker.make(scene(prompt), tmp_path / "scene.png")

    assert isinstance(caught.value, PermanentError)
    assert prompt in caught.value.message
    assert caught.value.prompt == prompt
    assert not (tmp_path / "scene.png").exists()


def test_a_filtered_image_is_a_refusal_too(fake, maker, tmp_path):
    prompt = "A blurry-secret canyon"
    with pytest.raises(ContentRefused, match="blurry-secret"):
        maker.make(scene(prompt), tmp_path / "scene.png")
    assert not (tmp_path / "scene.png").exists()


KEY_WORDS = ("refused the key", "Settings", "STABILITY_API_KEY")


@pytest.mark.parametrize(
    ("failure", "kind", "words"),
    [
        (stability_failure(401, "unauthorized"), PermanentError, KEY_WORDS),
        (stability_failure(403, "forbidden"), PermanentError, KEY_WORDS),
        (
            stability_failure(400, "invalid_parameters", "prompt: too long"),
            PermanentError,
            ("prompt: too long",),
        ),
        (
            stability_failure(402, "payment_required", "lacks sufficient credits"),
            PermanentError,
            ("credits",),
        ),
        (stability_failure(500, "internal_error"), TransientError, ("trouble",)),
        (stability_failure(503, "unavailable"), TransientError, ("trouble",)),
    ],
    ids=["401", "403", "400", "402", "500", "503"],
)
def test_answers_map_to_transient_or_permanent_errors(
    fake, maker, tmp_path, failure, kind, words
):
    fake.failures.append(failure)

    with pytest.raises(kind) as caught:
        maker.make(scene(), tmp_path / "scene.png")

    assert isinstance(caught.value, TransientError) == (kind is TransientError)
    assert all(word in caught.value.message for word in words)
    assert KEY not in caught.value.message
    assert len(fake.requests) == 1


def test_a_rate_limit_says_how_long_to_wait(fake, maker, tmp_path):
    fake.failures.append(
        stability_failure(429, "rate_limit_exceeded", headers={"Retry-After": "7"})
    )
    with pytest.raises(RateLimited) as caught:
        maker.make(scene(), tmp_path / "scene.png")

    assert isinstance(caught.value, TransientError)
    assert caught.value.retry_after == 7.0
    assert "7 s" in caught.value.message


def test_a_retry_after_date_becomes_seconds(fake, maker, tmp_path):
    later = datetime.now(UTC) + timedelta(seconds=30)
    header = {"Retry-After": format_datetime(later, usegmt=True)}
    fake.failures.append(stability_failure(429, "rate_limit_exceeded", headers=header))

    with pytest.raises(RateLimited) as caught:
        maker.make(scene(), tmp_path / "scene.png")
    assert 25 <= caught.value.retry_after <= 30


@pytest.mark.parametrize(
    ("failure", "cause"),
    [
        (Failure(delay=1.5), httpx.TimeoutException),
        (Failure(raw=b""), httpx.TransportError),
        (Failure(status=200, body=b"not a png"), None),
    ],
    ids=["slow", "dropped", "garbled"],
)
def test_no_usable_answer_is_a_transient_error(fake, tmp_path, failure, cause):
    fake.failures.append(failure)
    maker = maker_for(fake, timeout_seconds=0.5)

    with pytest.raises(TransientError) as caught:
        maker.make(scene(), tmp_path / "scene.png")
    if cause is not None:
        assert isinstance(caught.value.__cause__, cause)
    assert not (tmp_path / "scene.png").exists()


def test_an_address_nobody_listens_on_is_a_transient_error(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    maker = StabilityImageMaker(
        api_key=KEY, base_url=f"http://127.0.0.1:{port}", timeout_seconds=1
    )
    with pytest.raises(TransientError, match="reach") as caught:
        maker.make(scene(), tmp_path / "scene.png")
    assert isinstance(caught.value.__cause__, httpx.ConnectError)


def test_an_answer_as_json_is_understood(fake, maker, tmp_path):
    maker._headers["accept"] = "application/json"
    made = maker.draw(scene(seed=99), tmp_path / "scene.png")

    assert fake.generations[0].accept == "application/json"
    assert made.seed == 99
    with Image.open(tmp_path / "scene.png") as image:
        assert image.size == (1920, 1080)


def test_a_request_without_a_prompt_never_reaches_the_service(fake, maker, tmp_path):
    with pytest.raises(InputError):
        maker.make(scene("  "), tmp_path / "scene.png")
    assert fake.requests == []


def test_make_many_returns_each_scenes_error_without_stopping_the_others(
    fake, maker, tmp_path
):
    prompts = ["a canyon", "a forbidden thing", "a river", "a mesa", "a sunrise"]
    jobs = [
        (small_scene(p), tmp_path / f"scene-{n}.png") for n, p in enumerate(prompts)
    ]

    errors = maker.make_many(jobs, max_parallel=3)

    assert [type(e).__name__ if e else None for e in errors] == [
        None,
        "ContentRefused",
        None,
        None,
        None,
    ]
    assert "a forbidden thing" in str(errors[1])
    for (_, out), error in zip(jobs, errors, strict=True):
        assert out.exists() == (error is None)
    assert len(fake.generations) == 4


class RecordingLimiter(RateLimiter):
    """Notes when each request was let through."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.granted: list[float] = []

    def acquire(self) -> float:
        waited = super().acquire()
        self.granted.append(time.monotonic())
        return waited


def test_parallel_scenes_never_exceed_the_rate_limit(fake, tmp_path):
    limiter = RecordingLimiter(3, 0.5)
    maker = maker_for(fake, limiter=limiter)
    jobs = [(small_scene(f"scene {n}"), tmp_path / f"{n}.png") for n in range(9)]

    errors = maker.make_many(jobs, max_parallel=9)

    assert errors == [None] * 9
    assert len(fake.generations) == 9
    # Judged where requests leave, not where they arrive: a loaded machine
    # may delay some sends and bunch their arrivals.
    granted = sorted(limiter.granted)
    spans = [b - a for a, b in zip(granted, granted[3:], strict=False)]
    assert min(spans) >= 0.49
    assert granted[-1] - granted[0] >= 0.99


def test_the_limiter_waits_only_as_long_as_the_oldest_turn_needs():
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(2, 10.0, clock=lambda: now[0], sleep=sleep)
    assert limiter.acquire() == limiter.acquire() == 0.0
    now[0] = 4.0
    assert limiter.acquire() == pytest.approx(6.0)
    assert slept == [pytest.approx(6.0)]


def test_no_key_appears_in_messages_or_logs(fake, maker, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    fake.failures += [
        stability_failure(401, "unauthorized"),
        stability_failure(429, "rate_limit_exceeded", headers={"Retry-After": "1"}),
    ]
    jobs = [(small_scene(f"scene {n}"), tmp_path / f"{n}.png") for n in range(3)]
    jobs.append((small_scene("a forbidden scene"), tmp_path / "refused.png"))

    errors = maker.make_many(jobs, max_parallel=1)

    assert sum(error is not None for error in errors) == 3
    assert caplog.text
    assert KEY not in caplog.text
    assert all(KEY not in str(error) for error in errors)


@pytest.fixture
def no_keyring():
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def test_from_environment_reads_the_key_and_address(
    fake, tmp_path, monkeypatch, no_keyring
):
    monkeypatch.setenv("STABILITY_API_KEY", KEY)
    monkeypatch.setenv("REELWRIGHT_STABILITY_BASE_URL", fake.url)

    maker = StabilityImageMaker.from_environment(model="ultra")
    maker.make(scene(), tmp_path / "scene.png")

    assert fake.generations[0].model == "ultra"
    assert maker.pricing.unit == "images"


def test_from_environment_without_a_key_says_where_to_put_one(monkeypatch, no_keyring):
    monkeypatch.delenv("STABILITY_API_KEY", raising=False)

    with pytest.raises(PermanentError, match="Settings or STABILITY_API_KEY"):
        StabilityImageMaker.from_environment()


def test_the_cache_identity_names_the_model_and_style_but_not_the_key():
    core = StabilityImageMaker(api_key=KEY, model="core")
    ultra = StabilityImageMaker(api_key=KEY, model="ultra", style="anime")

    assert core.cache_identity() != ultra.cache_identity()
    assert ultra.cache_identity()["style"] == "anime"
    assert KEY not in str(ultra.cache_identity())
    assert ultra.pricing.usd_per_unit > core.pricing.usd_per_unit
