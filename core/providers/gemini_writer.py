"""The cloud script writer: Gemini rewrites the content as a video script.

Gemini answers in JSON shaped by ``ScriptAnswer`` (the fields of a
``ScriptDraft`` that the model fills in). An answer that does not fit is sent
back once with the reason; a second misfit is a permanent failure. The SDK's
own retries stay off: the worker's retry policy decides when to try again,
and this module only says whether a failure is worth it (``TransientError``)
or not (``PermanentError``).
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, NoReturn

from google import genai
from google.genai import errors as genai_errors
from google.genai import types
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from core.content.model import Content
from core.errors import InputError, PermanentError, TransientError
from core.providers.base import Pricing
from core.providers.gemini_errors import (
    TRANSPORT_ERRORS,
    translate_api_error,
    translate_transport,
)
from core.script.local import MIN_SCENE_SECONDS, estimate_seconds
from core.script.model import SceneDraft, ScriptDraft
from core.script.prompt import Prompt, build_prompt
from core.script.templates import Template, default_templates
from core.text import detect_language

if TYPE_CHECKING:
    from core.providers.base import ScriptOptions

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "gemini-2.5-flash"
# Google documents structured output and system instructions on v1beta; the
# SDK's own default is v1, so the version is chosen here, explicitly.
API_VERSION = "v1beta"
DEFAULT_TIMEOUT_SECONDS = 120.0
TEMPERATURE = 0.7
# An estimate for the cost preview, not a bill: gemini-2.5-flash's list price
# of $0.30 per million prompt tokens and $2.50 per million answer tokens,
# averaged over a script's roughly equal shares of each.
USD_PER_TOKEN = 1.4e-6
SAFETY_FINISH_REASONS = {
    "SAFETY",
    "BLOCKLIST",
    "PROHIBITED_CONTENT",
    "SPII",
    "MODEL_ARMOR",
}
MAX_PROBLEMS_QUOTED = 5


def _not_empty(value: str) -> str:
    if not value:
        raise ValueError("must not be empty")
    return value


class SceneAnswer(BaseModel):
    """One scene as the model writes it."""

    model_config = ConfigDict(str_strip_whitespace=True)

    narration: str
    image_prompt: str
    on_screen_text: str
    section: str | None = None

    # Checked here rather than in the schema: Google's schema dialect knows
    # few constraints, and the reason goes back to the model on a retry.
    @field_validator("narration", "image_prompt")
    @classmethod
    def _filled(cls, value: str) -> str:
        return _not_empty(value)


class ScriptAnswer(BaseModel):
    """The response schema: what the model fills in, nothing it cannot know."""

    model_config = ConfigDict(str_strip_whitespace=True)

    title: str
    description: str
    tags: list[str]
    scenes: list[SceneAnswer]

    @field_validator("title")
    @classmethod
    def _filled(cls, value: str) -> str:
        return _not_empty(value)


class GeminiScriptWriter:
    """Writes scripts with a Gemini model through the google-genai SDK."""

    name = "gemini"
    version = 1
    pricing = Pricing(unit="tokens", usd_per_unit=USD_PER_TOKEN)

    def __init__(
        self,
        *,
        api_key: str,
        model: str = DEFAULT_MODEL,
        base_url: str | None = None,
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
        templates: list[Template] | None = None,
    ) -> None:
        if not api_key:
            raise PermanentError(
                "The Gemini script writer needs an API key. Set it with "
                "`reelwright keys set gemini` or GEMINI_API_KEY."
            )
        self.model = model
        self.base_url = base_url
        self.timeout_seconds = timeout_seconds
        chosen = default_templates() if templates is None else templates
        self.templates = {template.name: template for template in chosen}
        self._api_key = api_key
        self._client = genai.Client(api_key=api_key, http_options=self._http())

    def cache_identity(self) -> dict[str, object]:
        templates = {name: t.digest for name, t in sorted(self.templates.items())}
        return {
            "writer": self.name,
            "version": self.version,
            "model": self.model,
            "templates": templates,
        }

    def write(self, content: Content, options: ScriptOptions) -> ScriptDraft:
        """Ask Gemini for a script of ``content``; at most two requests."""
        if not options.scene_seconds > 0:
            raise InputError("The scene length must be more than zero seconds.")
        language = options.language or content.language
        language = language or detect_language(content.text)
        prompt = build_prompt(
            content,
            self._template(options),
            language=language,
            scene_seconds=options.scene_seconds,
            target_seconds=options.target_seconds,
            tone=options.tone,
        )

        draft = self._ask(prompt)
        logger.info(
            "Gemini (%s) wrote %d scenes in %s with %d tokens.",
            self.model,
            len(draft.scenes),
            language,
            draft.tokens_used,
        )
        return _finished(draft, language)

    def _ask(self, prompt: Prompt) -> ScriptDraft:
        """The model's draft; a misfit answer is sent back once with the reason."""
        response = self._generate(prompt)
        tokens = _tokens(response)
        draft, problem = _read(response)
        if draft is None:
            logger.info(
                "Gemini's script could not be used (%s); asking once more.", problem
            )
            response = self._generate(prompt.with_feedback(problem))
            tokens += _tokens(response)
            draft, problem = _read(response)
        if draft is None:
            raise PermanentError(
                f"Gemini twice wrote a script Reelwright cannot use ({problem}). "
                "Try again later, or choose another prompt template or Gemini "
                "model (REELWRIGHT_GEMINI_MODEL)."
            )
        return draft.model_copy(update={"tokens_used": tokens})

    def _template(self, options: ScriptOptions) -> Template:
        if options.template_body is not None:
            return Template(
                name=options.template,
                body=options.template_body,
                target_seconds=options.target_seconds or 120.0,
                tone=options.tone or "friendly",
            )
        if options.template not in self.templates:
            raise InputError(
                f"There is no prompt template called {options.template!r}. "
                f"Choose one of: {', '.join(sorted(self.templates))}."
            )
        return self.templates[options.template]

    def _http(self) -> types.HttpOptions:
        return types.HttpOptions(
            base_url=self.base_url,
            api_version=API_VERSION,
            timeout=int(self.timeout_seconds * 1000),  # the SDK wants ms
            # One attempt: retries belong to the worker's policy, which also
            # knows how long the stage may take.
            retry_options=types.HttpRetryOptions(attempts=1),
        )

    def _config(self, system: str) -> types.GenerateContentConfig:
        return types.GenerateContentConfig(
            system_instruction=system,
            temperature=TEMPERATURE,
            response_mime_type="application/json",
            response_schema=ScriptAnswer,
        )

    def _generate(self, prompt: Prompt) -> types.GenerateContentResponse:
        """One request, with every failure translated at this boundary."""
        try:
            return self._client.models.generate_content(
                model=self.model,
                contents=prompt.user,
                config=self._config(prompt.system),
            )
        except genai_errors.APIError as error:
            raise translate_api_error(
                error, model=self.model, secret=self._api_key
            ) from error
        except TRANSPORT_ERRORS as error:
            raise translate_transport(
                error,
                where=self.base_url or "Google",
                timeout_seconds=self.timeout_seconds,
            ) from error
        except json.JSONDecodeError as error:
            # A 200 whose body is not JSON: a proxy's error page, usually.
            raise TransientError(
                "Gemini's reply was not JSON; the script will be tried again. If "
                "this repeats, check the network's proxy, or the endpoint in "
                "REELWRIGHT_GEMINI_BASE_URL if one is set."
            ) from error


def _read(
    response: types.GenerateContentResponse,
) -> tuple[ScriptDraft | None, str]:
    """The draft in ``response``, or None and why it cannot be used."""
    _refuse_if_blocked(response)
    text = _text(response)
    if not text:
        reason = _finish_reason(response) or "no reason given"
        return None, f"the answer was empty (finish reason: {reason})"
    try:
        answer = ScriptAnswer.model_validate_json(text)
        return ScriptDraft.model_validate(answer.model_dump()), ""
    except ValidationError as error:
        return None, _problems(error)


def _refuse_if_blocked(response: types.GenerateContentResponse) -> None:
    feedback = response.prompt_feedback
    if feedback is not None and feedback.block_reason is not None:
        _refuse(f"the content was blocked: {_enum_name(feedback.block_reason)}")
    reason = _finish_reason(response)
    if reason in SAFETY_FINISH_REASONS:
        _refuse(f"the answer was stopped: {reason}")


def _refuse(why: str) -> NoReturn:
    raise PermanentError(
        f"Gemini declined to write this script for safety reasons ({why}); "
        "edit the content and try again."
    )


def _text(response: types.GenerateContentResponse) -> str:
    """The answer's text parts joined; '' when there is no candidate."""
    if not response.candidates:
        return ""
    content = response.candidates[0].content
    parts = content.parts if content is not None else None
    return "".join(part.text or "" for part in parts or [] if not part.thought)


def _finish_reason(response: types.GenerateContentResponse) -> str:
    if not response.candidates or response.candidates[0].finish_reason is None:
        return ""
    return _enum_name(response.candidates[0].finish_reason)


def _enum_name(value: object) -> str:
    return str(getattr(value, "value", value))


def _problems(error: ValidationError) -> str:
    """A validation error as a few short lines the model can act on."""
    found = error.errors(include_url=False, include_input=False)
    lines = []
    for problem in found[:MAX_PROBLEMS_QUOTED]:
        where = ".".join(str(part) for part in problem["loc"]) or "the answer"
        lines.append(f"{where}: {problem['msg']}")
    more = len(found) - MAX_PROBLEMS_QUOTED
    if more > 0:
        lines.append(f"and {more} more")
    return "; ".join(lines)


def _tokens(response: types.GenerateContentResponse) -> int:
    usage = response.usage_metadata
    if usage is None:
        return 0
    if usage.total_token_count is not None:
        return usage.total_token_count
    return (usage.prompt_token_count or 0) + (usage.candidates_token_count or 0)


def _finished(draft: ScriptDraft, language: str) -> ScriptDraft:
    """The draft with what the model was not asked for: language, timings."""
    scenes = [
        SceneDraft(
            narration=scene.narration,
            image_prompt=scene.image_prompt,
            on_screen_text=scene.on_screen_text,
            section=scene.section or None,
            duration_estimate=round(
                max(estimate_seconds(scene.narration), MIN_SCENE_SECONDS), 2
            ),
        )
        for scene in draft.scenes
    ]
    return draft.model_copy(update={"language": language, "scenes": scenes})
