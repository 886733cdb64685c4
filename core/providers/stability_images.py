"""The cloud image maker: Stability AI's Stable Image API (REST, v2beta).

``StabilityImageMaker`` implements :class:`~core.providers.base.ImageMaker`.
It posts a scene's prompt as a multipart form to
``/v2beta/stable-image/generate/{core|ultra|sd3}``, asks for the aspect
ratio nearest the video's frame (16:9 for a landscape video, 9:16 for a
short), then crops the answer to cover the frame exactly, since Stability
draws at sizes of its own (1344x768 for 16:9).

Scenes may be drawn in parallel threads (:meth:`make_many`); one limiter per
process keeps them all within Stability's published rate. Failures are
translated by :mod:`core.providers.stability_errors`.
"""

from __future__ import annotations

import base64
import io
import logging
import math
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
from PIL import Image, ImageOps, UnidentifiedImageError

from core.errors import InputError, PermanentError, ReelwrightError, TransientError
from core.providers.art_cards import save_image
from core.providers.base import ImageRequest, Pricing
from core.providers.ratelimit import RateLimiter, shared_limiter
from core.providers.stability_errors import (
    FILTERED,
    KEY_HINT,
    SERVICE,
    ContentRefused,
    RateLimited,
    refusal,
    transport_failure,
)
from core.secrets import get_secret

__all__ = ["ContentRefused", "GeneratedImage", "RateLimited", "StabilityImageMaker"]

logger = logging.getLogger(__name__)

# Bump when the same settings would give a different file (fitting, fields).
STABILITY_VERSION = 1
DEFAULT_BASE_URL = "https://api.stability.ai"
RATE_LIMIT = (150, 10.0)  # requests per seconds, from Stability's public docs
MODELS = ("core", "ultra", "sd3")
# Credits per image at $0.01 a credit, from Stability's public price list:
# an estimate for the project's cost preview, not a bill.
_USD_PER_IMAGE = {"core": 0.03, "ultra": 0.08, "sd3": 0.065}
_ASPECT_RATIOS = ("21:9", "16:9", "3:2", "5:4", "1:1", "4:5", "2:3", "9:16", "9:21")
_MAX_SEED = 4_294_967_294  # the API's largest seed
# Generated images are composed around their centre, unlike photos.
_CENTRE = (0.5, 0.5)
_MIN_SIDE = 16


@dataclass(frozen=True)
class GeneratedImage:
    """What Stability said about an image it made."""

    seed: int | None  # the seed it used, to redraw the same image
    finish_reason: str


class StabilityImageMaker:
    """Scene images drawn by Stability AI."""

    name = "stability"

    def __init__(
        self,
        *,
        api_key: str | None,
        model: str = "core",
        style: str | None = None,
        negative_prompt: str = "",
        output_format: str = "png",
        base_url: str | None = None,
        timeout_seconds: float = 90.0,
        limiter: RateLimiter | None = None,
    ) -> None:
        """A maker for ``model``; ``style`` is a Stability style preset.

        Without a ``limiter``, the process-wide one for Stability is used.
        """
        if not api_key:
            raise PermanentError(f"{SERVICE} has no key; {KEY_HINT}.")
        if model not in MODELS:
            raise InputError(f"Unknown Stability AI model {model!r}: use {MODELS}.")
        self.model = model
        self.style = style
        self.negative_prompt = negative_prompt
        self.output_format = output_format
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self.timeout_seconds = timeout_seconds
        self.limiter = limiter or shared_limiter("stability", *RATE_LIMIT)
        self._headers = {"authorization": f"Bearer {api_key}", "accept": "image/*"}
        self._http = httpx.Client(timeout=httpx.Timeout(timeout_seconds))

    @classmethod
    def from_environment(cls, model: str = "core") -> StabilityImageMaker:
        """A maker with the key from Settings (or ``STABILITY_API_KEY``) and
        the address from ``REELWRIGHT_STABILITY_BASE_URL``."""
        return cls(
            api_key=get_secret("stability"),
            model=model,
            base_url=os.environ.get("REELWRIGHT_STABILITY_BASE_URL") or None,
        )

    @property
    def pricing(self) -> Pricing:
        return Pricing(unit="images", usd_per_unit=_USD_PER_IMAGE[self.model])

    def cache_identity(self) -> dict[str, object]:
        return {
            "maker": self.name,
            "version": STABILITY_VERSION,
            "model": self.model,
            "style": self.style,
            "negative_prompt": self.negative_prompt,
            "output_format": self.output_format,
        }

    def make(self, request: ImageRequest, out: Path) -> None:
        """Draw ``request`` and write it, exactly its size, to ``out``."""
        self.draw(request, out)

    def draw(self, request: ImageRequest, out: Path) -> GeneratedImage:
        """As :meth:`make`, and say which seed Stability used."""
        _check_request(request)
        fields = self.form_fields(request)

        self.limiter.acquire()
        response = self._post(fields)
        if response.status_code != 200:
            raise refusal(response, request.prompt)

        image, made = _read_answer(response)
        if made.finish_reason == FILTERED:
            raise ContentRefused(request.prompt)
        _save_fitted(image, request.width, request.height, out)
        logger.debug(
            "Stability AI drew a %dx%d image for %s (seed %s).",
            request.width,
            request.height,
            out.name,
            made.seed,
        )
        return made

    def make_many(
        self, jobs: Sequence[tuple[ImageRequest, Path]], max_parallel: int = 4
    ) -> list[Exception | None]:
        """Make several images in parallel; each job's error, or None.

        One refused scene does not stop the others: its error comes back in
        its place, in the order of ``jobs``.
        """
        with ThreadPoolExecutor(
            max_workers=max(1, max_parallel), thread_name_prefix="stability"
        ) as pool:
            futures = [pool.submit(self._attempt, *job) for job in jobs]
        return [future.result() for future in futures]

    def close(self) -> None:
        """Close the connections kept open between requests."""
        self._http.close()

    def form_fields(self, request: ImageRequest) -> dict[str, str]:
        """The form Stability receives for ``request``."""
        fields = {
            "prompt": request.prompt,
            "aspect_ratio": aspect_ratio_for(request.width, request.height),
            "seed": str(request.seed % (_MAX_SEED + 1)),
            "output_format": self.output_format,
        }
        negative = ", ".join(
            text for text in (request.negative_prompt, self.negative_prompt) if text
        )
        if negative:
            fields["negative_prompt"] = negative
        if self.style:
            fields["style_preset"] = self.style
        if self.model == "sd3":
            fields["mode"] = "text-to-image"
        return fields

    def _attempt(self, request: ImageRequest, out: Path) -> Exception | None:
        try:
            self.make(request, out)
        except ReelwrightError as error:
            logger.info("An image for %s failed: %s", out.name, error.message)
            return error
        return None

    def _post(self, fields: dict[str, str]) -> httpx.Response:
        url = f"{self.base_url}/v2beta/stable-image/generate/{self.model}"
        # Sent as ``files`` so that httpx writes multipart/form-data, the only
        # body the API accepts; ``data`` alone would go out url-encoded.
        form = {name: (None, value) for name, value in fields.items()}
        try:
            return self._http.post(url, files=form, headers=self._headers)
        except httpx.HTTPError as error:
            raise transport_failure(error, self.timeout_seconds) from error
        except httpx.InvalidURL as error:
            raise PermanentError(
                f"The {SERVICE} address {self.base_url!r} is not a valid URL; "
                "check REELWRIGHT_STABILITY_BASE_URL."
            ) from error


def aspect_ratio_for(width: int, height: int) -> str:
    """The aspect ratio Stability offers nearest to ``width`` x ``height``."""
    wanted = math.log(width / height)
    return min(_ASPECT_RATIOS, key=lambda ratio: abs(_log_ratio(ratio) - wanted))


def _log_ratio(ratio: str) -> float:
    across, down = ratio.split(":")
    return math.log(int(across) / int(down))


def _check_request(request: ImageRequest) -> None:
    if not request.prompt.strip():
        raise InputError("The scene has no image prompt to draw.")
    if min(request.width, request.height) < _MIN_SIDE:
        raise InputError(
            f"An image of {request.width}x{request.height} is too small to draw."
        )


def _read_answer(response: httpx.Response) -> tuple[Image.Image, GeneratedImage]:
    """The image and what was said about it, from raw bytes or JSON."""
    try:
        data, made = _unwrap(response)
        if made.finish_reason == FILTERED:
            return Image.new("RGB", (1, 1)), made
        image = Image.open(io.BytesIO(data))
        image.load()
    except (ValueError, UnidentifiedImageError, OSError) as error:
        # A cut-off answer reads as a broken image; the next attempt may not.
        raise TransientError(
            f"{SERVICE} sent an image that could not be read."
        ) from error
    return image, made


def _unwrap(response: httpx.Response) -> tuple[bytes, GeneratedImage]:
    if response.headers.get("content-type", "").startswith("application/json"):
        body = response.json()
        seed, reason = body.get("seed"), body.get("finish_reason", "SUCCESS")
        data = base64.b64decode(body.get("image", ""), validate=True)
    else:
        data = response.content
        seed = response.headers.get("seed")
        reason = response.headers.get("finish-reason", "SUCCESS")
    return data, GeneratedImage(_seed(seed), str(reason).upper())


def _seed(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def _save_fitted(image: Image.Image, width: int, height: int, out: Path) -> None:
    fitted = ImageOps.fit(
        image.convert("RGB"),
        (width, height),
        Image.Resampling.LANCZOS,
        centering=_CENTRE,
    )
    try:
        save_image(fitted, out)
    except OSError as error:
        raise PermanentError(f"Could not write the image {out}: {error}") from error
