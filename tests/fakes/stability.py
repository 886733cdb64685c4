"""A local Stability AI Stable Image API (v2beta) for real httpx to talk to.

``FakeStability`` answers ``POST /v2beta/stable-image/generate/{model}`` as
the public docs describe: it insists on a multipart form and a bearer key,
draws a PNG at Stability's own size for the aspect ratio (1344x768 for
16:9, so a client must crop to its frame), and sends it raw with
``finish-reason`` and ``seed`` headers, or as base64 JSON when asked for
``application/json``. Errors come in Stability's shape, ``{"name": ...,
"errors": [...]}``.

Prompts containing a word in ``refused_words`` are refused by "content
moderation" (403); words in ``filtered_words`` get a 200 whose finish reason
is ``CONTENT_FILTERED``. Other failures are queued on ``failures`` (see
:func:`stability_failure`). ``generations`` records each answered form and
when it arrived.
"""

from __future__ import annotations

import base64
import hashlib
import io
import time
import uuid
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser
from typing import Any

from PIL import Image, ImageDraw

from tests.fakes.server import Failure, FakeServer, Response

# Stability's output sizes per aspect ratio (width, height).
SIZES = {
    "21:9": (1536, 640),
    "16:9": (1344, 768),
    "3:2": (1216, 832),
    "5:4": (1152, 896),
    "1:1": (1024, 1024),
    "4:5": (896, 1152),
    "2:3": (832, 1216),
    "9:16": (768, 1344),
    "9:21": (640, 1536),
}
MODELS = ("core", "ultra", "sd3")
_PREFIX = "/v2beta/stable-image/generate/"


@dataclass(frozen=True)
class Generation:
    """One image the fake drew."""

    model: str
    fields: dict[str, str]
    accept: str
    seed: int
    size: tuple[int, int]
    arrived: float  # time.monotonic() when the request reached the handler


class FakeStabilityError(Exception):
    """Ends a request with a Stability-shaped error answer."""

    def __init__(self, status: int, name: str, *errors: str) -> None:
        super().__init__(name)
        self.response = Response(status, body=stability_error(name, *errors))


def stability_error(name: str, *errors: str) -> dict[str, Any]:
    """An error body the way Stability sends one."""
    return {"id": uuid.uuid4().hex, "name": name, "errors": list(errors)}


def stability_failure(
    status: int, name: str, *errors: str, headers: dict[str, str] | None = None
) -> Failure:
    """A ``Failure`` answering ``status`` with a Stability error body."""
    body = stability_error(name, *(errors or (f"The fake answered {status}.",)))
    return Failure(status=status, body=body, headers=headers or {})


def colours_for(prompt: str) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """The two colours the fake paints a prompt with, left and right."""
    digest = hashlib.sha256(prompt.encode()).digest()
    return (digest[0], digest[1], digest[2]), (digest[3], digest[4], digest[5])


class FakeStability(FakeServer):
    """Stability AI's image generation on 127.0.0.1 for one test."""

    def __init__(
        self,
        *,
        api_key: str = "sk-fakestabilitykey",
        refused_words: tuple[str, ...] = ("forbidden",),
        filtered_words: tuple[str, ...] = ("blurry-secret",),
    ) -> None:
        super().__init__()
        self.api_key = api_key
        self.refused_words = refused_words
        self.filtered_words = filtered_words
        self.generations: list[Generation] = []

    def handle(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        headers: dict[str, str],
        body: bytes,
    ) -> Response:
        arrived = time.monotonic()
        model = path.removeprefix(_PREFIX)
        if method != "POST" or not path.startswith(_PREFIX) or model not in MODELS:
            return Response(404, body=stability_error("not_found", f"No {path}"))
        try:
            self._check_key(headers)
            fields = _form_fields(headers.get("content-type", ""), body)
            return self._generate(model, fields, headers.get("accept", ""), arrived)
        except FakeStabilityError as error:
            return error.response

    def _check_key(self, headers: dict[str, str]) -> None:
        if headers.get("authorization") != f"Bearer {self.api_key}":
            raise FakeStabilityError(
                401, "unauthorized", "authorization: invalid or missing API key"
            )

    def _generate(
        self, model: str, fields: dict[str, str], accept: str, arrived: float
    ) -> Response:
        _check_fields(fields)
        prompt = fields["prompt"]
        if any(word in prompt.lower() for word in self.refused_words):
            raise FakeStabilityError(
                403,
                "content_moderation",
                "Your request was flagged by our content moderation system.",
            )
        seed = int(fields.get("seed") or 0) or _seed_for(prompt)
        size = SIZES[fields.get("aspect_ratio", "1:1")]
        reason = (
            "CONTENT_FILTERED"
            if any(word in prompt.lower() for word in self.filtered_words)
            else "SUCCESS"
        )
        image = _draw(prompt, size, fields.get("output_format", "png"))
        self.generations.append(Generation(model, fields, accept, seed, size, arrived))
        if accept == "application/json":
            encoded = base64.b64encode(image).decode()
            return Response(
                body={"image": encoded, "finish_reason": reason, "seed": seed}
            )
        if accept not in ("image/*", "image/png", "image/jpeg"):
            raise FakeStabilityError(
                400, "bad_request", "accept: must be image/* or application/json"
            )
        kind = "image/jpeg" if fields.get("output_format") == "jpeg" else "image/png"
        headers = {"content-type": kind, "finish-reason": reason, "seed": str(seed)}
        return Response(headers=headers, body=image)


def _form_fields(content_type: str, body: bytes) -> dict[str, str]:
    """The fields of a multipart form; anything else is a 400."""
    if not content_type.startswith("multipart/form-data"):
        raise FakeStabilityError(
            400, "bad_request", "content-type: must be multipart/form-data"
        )
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = BytesParser(policy=policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise FakeStabilityError(400, "bad_request", "body: not a multipart form")
    fields: dict[str, str] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if not isinstance(name, str) or not isinstance(payload, bytes):
            raise FakeStabilityError(400, "bad_request", "body: a part has no name")
        fields[name] = payload.decode("utf-8")
    return fields


def _check_fields(fields: dict[str, str]) -> None:
    problems = []
    if not fields.get("prompt", "").strip():
        problems.append("prompt: cannot be empty")
    if fields.get("aspect_ratio", "1:1") not in SIZES:
        problems.append(f"aspect_ratio: {fields['aspect_ratio']!r} is not allowed")
    if fields.get("output_format", "png") not in ("png", "jpeg", "webp"):
        problems.append("output_format: must be png, jpeg or webp")
    if not fields.get("seed", "0").isdigit() or int(fields.get("seed", 0)) > 4294967294:
        problems.append("seed: must be a whole number from 0 to 4294967294")
    if problems:
        raise FakeStabilityError(400, "invalid_parameters", *problems)


def _seed_for(prompt: str) -> int:
    return int.from_bytes(hashlib.sha256(prompt.encode()).digest()[:4], "big") or 1


def _draw(prompt: str, size: tuple[int, int], output_format: str) -> bytes:
    left, right = colours_for(prompt)
    image = Image.new("RGB", size, left)
    ImageDraw.Draw(image).rectangle((size[0] // 2, 0, size[0], size[1]), fill=right)
    buffer = io.BytesIO()
    if output_format == "jpeg":
        image.save(buffer, format="JPEG")
    else:
        # The lightest compression: two flat colours shrink well anyway.
        image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()
