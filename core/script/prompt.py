"""The words a language model reads to write a script.

Two parts: fixed rules in the system instruction (the language, what each
field of a scene is for, JSON only), which the creator cannot edit away, and
the chosen template filled in with the content and the wanted lengths. The
content sits between ``<content>`` tags so the model (and the test fake)
can tell the creator's words from the instructions around them.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.content.model import Content
from core.errors import InputError
from core.script.templates import Template
from core.text import is_chinese

# About 10,000 English words or an hour of narration: far more than one video
# needs, and small enough that a prompt never nears a model's input limit.
MAX_CONTENT_CHARS = 50_000
ON_SCREEN_WORDS = 6
ON_SCREEN_CHINESE_CHARS = 12
MIN_TAGS = 5
MAX_TAGS = 15

_LANGUAGE_NAMES = {
    "en": "English",
    "zh-hant": "Traditional Chinese (繁體中文)",
    "zh-tw": "Traditional Chinese (繁體中文)",
    "zh-hk": "Traditional Chinese (繁體中文)",
    "zh-hans": "Simplified Chinese (简体中文)",
    "zh-cn": "Simplified Chinese (简体中文)",
    "ja": "Japanese",
    "ko": "Korean",
    "es": "Spanish",
    "fr": "French",
    "de": "German",
}


@dataclass(frozen=True)
class Prompt:
    """What is sent: the system instruction and the creator-facing request."""

    system: str
    user: str

    def with_feedback(self, problem: str) -> Prompt:
        """The same request, told why the previous answer could not be used."""
        note = (
            "\n\nYour previous answer could not be used: "
            f"{problem}.\nWrite the whole script again as one JSON object "
            "that matches the schema exactly."
        )
        return Prompt(self.system, self.user + note)


def language_name(language: str) -> str:
    """A language code as a model understands it ("zh-Hant" -> Traditional...)."""
    code = language.lower()
    if code in _LANGUAGE_NAMES:
        return _LANGUAGE_NAMES[code]
    if is_chinese(code):
        return _LANGUAGE_NAMES["zh-hant"]  # the app's Chinese is Traditional
    return _LANGUAGE_NAMES.get(code.split("-")[0], language)


def build_prompt(
    content: Content,
    template: Template,
    *,
    language: str,
    scene_seconds: float,
    target_seconds: float | None = None,
    tone: str | None = None,
) -> Prompt:
    """The prompt for ``content`` in ``language``, shaped by ``template``."""
    text = content_text(content)
    target = target_seconds or template.target_seconds
    values = {
        "content": f"<content>\n{text}\n</content>",
        "language_name": language_name(language),
        "target_seconds": _number(target),
        "tone": tone or template.tone,
        "scene_seconds": _number(scene_seconds),
        "scene_count": max(1, round(target / scene_seconds)),
    }
    user = template.fill(values)
    if "{content}" not in template.body:
        user += "\n\n" + str(values["content"])  # a template must never lose it
    return Prompt(system_instruction(language, scene_seconds), user)


def content_text(content: Content) -> str:
    """The content as Markdown-like text; InputError if empty or too long."""
    lines = []
    headings = [b.text for b in content.blocks if b.kind == "heading"]
    if content.title and content.title not in headings[:1]:
        lines.append(f"# {content.title}")
    for block in content.blocks:
        if not block.text.strip():
            continue
        if block.kind == "heading":
            lines.append("#" * max(block.level, 1) + " " + block.text)
        else:
            lines.append(block.text)

    text = "\n\n".join(lines)
    if not any(b.kind == "paragraph" and b.text.strip() for b in content.blocks):
        raise InputError("The content has no paragraphs to write a script from.")
    if len(text) > MAX_CONTENT_CHARS:
        raise InputError(
            f"The content is {len(text):,} characters long; the Gemini script "
            f"writer takes at most {MAX_CONTENT_CHARS:,}. Shorten it or split it "
            "into several videos."
        )
    return text


def system_instruction(language: str, scene_seconds: float) -> str:
    """The rules every script follows, whatever the template says."""
    name = language_name(language)
    if is_chinese(language) and "Simplified" not in name:
        script_rule = (
            "Use Traditional Chinese characters (繁體中文) as written in "
            "Taiwan, never Simplified Chinese, with full-width punctuation."
        )
        on_screen = f"at most {ON_SCREEN_CHINESE_CHARS} Chinese characters"
    else:
        script_rule = f"Write naturally, as a native speaker of {name} would."
        on_screen = f"at most {ON_SCREEN_WORDS} words"
    seconds = _number(scene_seconds)
    return "\n".join(
        [
            "You write narration scripts for illustrated YouTube videos.",
            "Answer with one JSON object that matches the given schema, and "
            "nothing else.",
            f"Write the title, description, tags, narration and on-screen text "
            f"in {name}. {script_rule}",
            f"Each scene's narration is what the narrator says over one image: "
            f"complete sentences, about {seconds} seconds when read aloud.",
            "Each scene's image_prompt describes, in English whatever the "
            "script's language, one illustration for that scene: subject, "
            "setting, mood and style, with no words or letters in the image.",
            f"Each scene's on_screen_text is a short phrase shown over the "
            f"image, {on_screen}.",
            "A scene's section is a short chapter name where a new part of the "
            "video begins, and null elsewhere; the first scene starts one.",
            f"The title has at most 100 characters; the description is two or "
            f"three sentences; give {MIN_TAGS} to {MAX_TAGS} short tags.",
            "Keep to the creator's facts; do not invent names, numbers or quotes.",
        ]
    )


def _number(value: float) -> str:
    return f"{value:g}"
