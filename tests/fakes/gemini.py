"""A local stand-in for the Gemini API, spoken to by the real google-genai SDK.

It answers ``POST /{v1,v1beta}/models/{model}:generateContent`` and
``:streamGenerateContent?alt=sse`` the way Google does, checks the
``x-goog-api-key`` header, and by default writes a plausible script itself:
the paragraphs it finds between ``<content>`` tags in the prompt become
scenes, in the content's own language, so an end-to-end run makes a
sensible video. A test can queue whole answers in ``replies`` (see
``script_reply``, ``text_reply``, ``prompt_blocked``, ``candidate_blocked``)
and HTTP failures in ``failures`` (see ``rate_limited``, ``quota_exhausted``,
``server_error``, ``google_error``; a ``Failure(delay=...)`` times out).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from tests.fakes.server import Failure, FakeServer, Response

TEST_KEY = "fake-gemini-key-0123456789"
_ROUTE = re.compile(
    r"/(?P<version>v1|v1beta)/models/(?P<model>[^/:]+)"
    r":(?P<method>generateContent|streamGenerateContent)"
)
_CONTENT = re.compile(r"<content>\n?(.*?)\n?</content>", re.DOTALL)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s*")
STREAM_PIECES = 3


class FakeGemini(FakeServer):
    """Gemini's generateContent endpoints, on a local port."""

    def __init__(self, *, api_key: str = TEST_KEY, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.api_key = api_key
        # Whole response bodies to send next, in order; then the default.
        self.replies: list[dict[str, Any]] = []

    def handle(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        headers: dict[str, str],
        body: bytes,
    ) -> Response:
        route = _ROUTE.fullmatch(path)
        if method != "POST" or route is None:
            return _error(404, "NOT_FOUND", f"Method not found: {method} {path}.")
        refusal = self._check_key(headers.get("x-goog-api-key"))
        if refusal is not None:
            return refusal
        try:
            request = json.loads(body)
            prompt = prompt_text(request)
        except (ValueError, TypeError, KeyError, AttributeError):
            return _error(400, "INVALID_ARGUMENT", "Invalid JSON payload received.")

        reply = self.replies.pop(0) if self.replies else None
        reply = with_usage(reply or script_reply(default_script(prompt)), body)
        if route["method"] == "streamGenerateContent":
            return _sse(reply)
        return Response(body=reply)

    def _check_key(self, key: str | None) -> Response | None:
        if not key:
            return _error(
                403,
                "PERMISSION_DENIED",
                "Method doesn't allow unregistered callers (callers without "
                "established identity). Please use API Key or other form of "
                "API consumer identity to call this API.",
            )
        if key != self.api_key:
            return _error(
                400,
                "INVALID_ARGUMENT",
                "API key not valid. Please pass a valid API key.",
                [_error_info("API_KEY_INVALID")],
            )
        return None


# Answers a test can queue in ``FakeGemini.replies``.


def script_reply(script: dict[str, Any]) -> dict[str, Any]:
    """A normal answer whose text is ``script`` as JSON."""
    return text_reply(json.dumps(script, ensure_ascii=False))


def text_reply(text: str, finish_reason: str = "STOP") -> dict[str, Any]:
    """A normal answer with ``text`` in its one part, JSON or not."""
    content = {"role": "model", "parts": [{"text": text}]}
    return {
        "candidates": [{"content": content, "finishReason": finish_reason}],
        "modelVersion": "fake",
    }


def prompt_blocked(reason: str = "SAFETY") -> dict[str, Any]:
    """The prompt itself refused: feedback and no candidates."""
    return {"promptFeedback": {"blockReason": reason}, "modelVersion": "fake"}


def candidate_blocked(reason: str = "SAFETY") -> dict[str, Any]:
    """An answer stopped for safety, with no content."""
    rating = {
        "category": "HARM_CATEGORY_DANGEROUS_CONTENT",
        "probability": "HIGH",
        "blocked": True,
    }
    candidate = {"finishReason": reason, "safetyRatings": [rating], "index": 0}
    return {"candidates": [candidate], "modelVersion": "fake"}


# Failures a test can queue in ``FakeGemini.failures``.


def google_error(
    code: int, status: str, message: str, details: list[dict[str, Any]] | None = None
) -> Failure:
    return Failure(status=code, body=_error_body(code, status, message, details))


def rate_limited(retry_delay: str = "7s") -> Failure:
    """A per-minute limit: Google's wording mentions quota and billing too."""
    return google_error(
        429,
        "RESOURCE_EXHAUSTED",
        "You exceeded your current quota, please check your plan and billing "
        "details. Quota exceeded for metric: generate_content_free_tier_requests, "
        f"limit: 10. Please retry in {retry_delay}.",
        [
            _quota_failure("GenerateRequestsPerMinutePerProjectPerModel-FreeTier"),
            _retry_info(retry_delay),
        ],
    )


def quota_exhausted() -> Failure:
    """A per-day quota used up: no use retrying before it resets."""
    return google_error(
        429,
        "RESOURCE_EXHAUSTED",
        "You exceeded your current quota, please check your plan and billing "
        "details. Quota exceeded for metric: generate_content_free_tier_requests, "
        "limit: 250.",
        [_quota_failure("GenerateRequestsPerDayPerProjectPerModel-FreeTier")],
    )


def server_error(code: int = 503) -> Failure:
    status, message = {
        500: ("INTERNAL", "An internal error has occurred."),
        503: ("UNAVAILABLE", "The model is overloaded. Please try again later."),
    }.get(code, ("UNKNOWN", "Server error."))
    return google_error(code, status, message)


# The default script, made from the prompt.


def prompt_text(request: dict[str, Any]) -> str:
    """The text of the request's last user turn."""
    turn = request["contents"][-1]
    return "\n".join(part.get("text", "") for part in turn["parts"])


def default_script(prompt: str) -> dict[str, Any]:
    """A script that narrates the content's paragraphs, one scene each."""
    found = _CONTENT.search(prompt)
    text = found.group(1) if found else prompt
    chinese = len(_CJK.findall(text)) > len(text) / 10
    scenes: list[dict[str, Any]] = []
    heading: str | None = None
    for block in (b.strip() for b in text.split("\n\n")):
        if block.startswith("#"):
            heading = block.lstrip("#").strip()
        elif block:
            scenes.append(_scene(block, heading, len(scenes) + 1, chinese))
            heading = None
    if not scenes:
        scenes.append(_scene(text.strip() or "…", None, 1, chinese))
    title = next((s["section"] for s in scenes if s["section"]), None)
    return {
        "title": title or _first_sentence(scenes[0]["narration"])[:60],
        "description": scenes[0]["narration"][:300],
        "tags": _tags(text, chinese),
        "scenes": scenes,
    }


def with_usage(reply: dict[str, Any], request_body: bytes) -> dict[str, Any]:
    """``reply`` with token counts (about four characters a token) if missing."""
    if "usageMetadata" in reply:
        return reply
    answer = json.dumps(reply.get("candidates", []), ensure_ascii=False)
    prompt_tokens = math.ceil(len(request_body.decode("utf-8")) / 4)
    answer_tokens = math.ceil(len(answer) / 4) if reply.get("candidates") else 0
    usage = {
        "promptTokenCount": prompt_tokens,
        "candidatesTokenCount": answer_tokens,
        "totalTokenCount": prompt_tokens + answer_tokens,
    }
    return {**reply, "usageMetadata": usage}


def _scene(paragraph: str, section: str | None, number: int, chinese: bool) -> dict:
    first = _first_sentence(paragraph)
    if chinese:
        on_screen = first.rstrip("。！？")[:12]
        image = f"A warm documentary-style illustration for scene {number}"
    else:
        on_screen = " ".join(first.rstrip(".!?").split()[:6])
        image = f"A warm documentary-style illustration of: {first[:80]}"
    return {
        "narration": paragraph,
        "image_prompt": image,
        "on_screen_text": on_screen,
        "section": section,
    }


def _first_sentence(text: str) -> str:
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0]


def _tags(text: str, chinese: bool) -> list[str]:
    if chinese:
        headings = [
            line.lstrip("#").strip() for line in text.split("\n") if line[:1] == "#"
        ]
        return (headings + ["影片", "解說"])[:5]
    words = re.findall(r"[A-Za-z][A-Za-z'-]{4,}", text)
    unique = list(dict.fromkeys(word.lower() for word in words))
    return unique[:5] or ["video"]


def _sse(reply: dict[str, Any]) -> Response:
    """``reply`` as Google streams it: the text in pieces, usage at the end."""
    chunks = [reply]
    candidates = reply.get("candidates") or []
    parts = candidates[0].get("content", {}).get("parts", []) if candidates else []
    if len(parts) == 1 and "text" in parts[0]:
        text = parts[0]["text"]
        size = max(1, math.ceil(len(text) / STREAM_PIECES))
        pieces = [text[i : i + size] for i in range(0, len(text), size)] or [""]
        chunks = [_piece(piece, None) for piece in pieces[:-1]]
        last = _piece(pieces[-1], candidates[0].get("finishReason"))
        chunks.append({**last, "usageMetadata": reply.get("usageMetadata")})
    events = "".join(f"data: {json.dumps(c, ensure_ascii=False)}\n\n" for c in chunks)
    return Response(headers={"Content-Type": "text/event-stream"}, body=events)


def _piece(text: str, finish_reason: str | None) -> dict[str, Any]:
    candidate: dict[str, Any] = {
        "content": {"role": "model", "parts": [{"text": text}]}
    }
    if finish_reason:
        candidate["finishReason"] = finish_reason
    return {"candidates": [candidate], "modelVersion": "fake"}


def _error(
    code: int, status: str, message: str, details: list[dict[str, Any]] | None = None
) -> Response:
    return Response(code, body=_error_body(code, status, message, details))


def _error_body(
    code: int, status: str, message: str, details: list[dict[str, Any]] | None
) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message, "status": status}
    if details:
        error["details"] = details
    return {"error": error}


def _error_info(reason: str) -> dict[str, Any]:
    return {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": reason,
        "domain": "googleapis.com",
        "metadata": {"service": "generativelanguage.googleapis.com"},
    }


def _quota_failure(quota_id: str) -> dict[str, Any]:
    violation = {
        "quotaMetric": "generativelanguage.googleapis.com/generate_content_requests",
        "quotaId": quota_id,
    }
    return {
        "@type": "type.googleapis.com/google.rpc.QuotaFailure",
        "violations": [violation],
    }


def _retry_info(delay: str) -> dict[str, Any]:
    return {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": delay}
