"""Choosing the providers of a project: local or cloud, per stage.

A project names one provider per stage (``{"script": "local", "voice":
"google", "images": "stability"}``). ``build_providers`` turns the names into
objects; a cloud provider without its key is a clear error before any work
starts, never a silent fallback to a local one.

Every provider is one line in ``_BUILDERS``: its stage and name, the secret
it needs (None for the offline ones) and a function that builds it. Cloud
SDKs are imported only when their provider is built.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.errors import InputError, PermanentError
from core.providers.base import ImageMaker, ScriptWriter, Voice
from core.secrets import SECRETS, get_secret

LOCAL_CHOICE = {"script": "local", "voice": "local", "images": "local"}


@dataclass
class Providers:
    writer: ScriptWriter
    voice: Voice
    images: ImageMaker


@dataclass(frozen=True)
class _Entry:
    secret: str | None  # the name in core.secrets; None: needs no key
    build: Callable[[str | None, dict[str, str]], Any]  # the secret, the options


def _local_writer(_key: str | None, _options: dict[str, str]) -> ScriptWriter:
    from core.script.local import LocalScriptWriter

    return LocalScriptWriter()


def _local_voice(_key: str | None, _options: dict[str, str]) -> Voice:
    from core.providers.local_voice import LocalVoice

    return LocalVoice()


def _art_cards(_key: str | None, _options: dict[str, str]) -> ImageMaker:
    from core.providers.art_cards import ArtCardMaker

    return ArtCardMaker()


def _gemini_writer(key: str | None, _options: dict[str, str]) -> ScriptWriter:
    from core.providers.gemini_writer import DEFAULT_MODEL, GeminiScriptWriter

    return GeminiScriptWriter(
        api_key=key or "",
        model=os.environ.get("REELWRIGHT_GEMINI_MODEL") or DEFAULT_MODEL,
        base_url=os.environ.get("REELWRIGHT_GEMINI_BASE_URL") or None,
    )


def _google_voice(_key: str | None, options: dict[str, str]) -> Voice:
    """The project's voice, rate and pitch, or the defaults per language."""
    from core.providers.google_tts import GoogleTtsVoice

    return GoogleTtsVoice.from_environment(
        voice_name=options.get("name") or None,
        speaking_rate=float(options.get("rate", 1.0)),
        pitch=float(options.get("pitch", 0.0)),
    )


def _stability_images(_key: str | None, _options: dict[str, str]) -> ImageMaker:
    from core.providers.stability_images import StabilityImageMaker

    return StabilityImageMaker.from_environment(
        model=os.environ.get("REELWRIGHT_STABILITY_MODEL", "core")
    )


# (stage, provider name) -> how to build it. One line per provider.
_BUILDERS: dict[tuple[str, str], _Entry] = {
    ("script", "local"): _Entry(None, _local_writer),
    ("voice", "local"): _Entry(None, _local_voice),
    ("images", "local"): _Entry(None, _art_cards),
    ("script", "gemini"): _Entry("gemini", _gemini_writer),
    ("voice", "google"): _Entry("tts", _google_voice),
    ("images", "stability"): _Entry("stability", _stability_images),
}


def local_providers() -> Providers:
    """The offline providers: the creator's words, an offline voice, art cards."""
    return build_providers(LOCAL_CHOICE)


def build_providers(choice: dict[str, str] | None = None) -> Providers:
    """Providers for ``choice`` (stage -> provider name); local by default.

    Raises InputError for a provider Reelwright does not know and
    PermanentError (listing them all) when chosen providers lack their keys.
    """
    options = _options(choice or {})
    choice = _complete(choice)
    check_keys(choice)
    built = {}
    for stage, name in choice.items():
        entry = _BUILDERS[(stage, name)]
        secret = get_secret(entry.secret) if entry.secret else None
        built[stage] = entry.build(secret, options.get(stage, {}))
    return Providers(built["script"], built["voice"], built["images"])


class LazyProviders:
    """The providers of one choice, each built when a stage first needs it.

    A worker running the script stage builds only the script writer, so a
    problem with the voice's settings fails the voice stage, not another.
    """

    def __init__(self, choice: dict[str, str]) -> None:
        self._choice = choice
        self._built: dict[str, Any] = {}

    def _get(self, stage: str) -> Any:
        if stage not in self._built:
            self._built[stage] = build_provider(self._choice, stage)
        return self._built[stage]

    @property
    def writer(self) -> ScriptWriter:
        return self._get("script")

    @property
    def voice(self) -> Voice:
        return self._get("voice")

    @property
    def images(self) -> ImageMaker:
        return self._get("images")


def build_provider(choice: dict[str, str] | None, stage: str) -> Any:
    """The provider ``choice`` names for one stage, checking only its key."""
    options = _options(choice or {}).get(stage, {})
    name = _complete(choice)[stage]
    check_keys({stage: name})
    entry = _BUILDERS[(stage, name)]
    return entry.build(get_secret(entry.secret) if entry.secret else None, options)


def check_keys(choice: dict[str, str] | None = None) -> None:
    """Fail with one message naming every key the chosen providers miss."""
    missing = []
    for stage, name in _complete(choice).items():
        secret = _BUILDERS[(stage, name)].secret
        if secret is not None and not _has_secret(secret):
            missing.append(_how_to_set(secret, stage, name))
    if missing:
        raise PermanentError(
            "Some API keys are missing for the chosen providers:\n"
            + "\n".join(f"- {line}" for line in missing)
        )


def _has_secret(name: str) -> bool:
    """A key, or for Text-to-Speech a service account file, is there."""
    if name == "tts" and os.environ.get("GOOGLE_APPLICATION_CREDENTIALS"):
        return True
    return bool(get_secret(name))


def _options(choice: dict[str, str]) -> dict[str, dict[str, str]]:
    """Per-stage settings written as ``"voice.name": "cmn-TW-Wavenet-A"``."""
    options: dict[str, dict[str, str]] = {}
    for key, value in choice.items():
        if "." in key:
            stage, option = key.split(".", 1)
            options.setdefault(stage, {})[option] = value
    return options


def _complete(choice: dict[str, str] | None) -> dict[str, str]:
    """``choice`` with local providers for the stages it leaves out, checked."""
    choice = {
        **LOCAL_CHOICE,
        **{k: v for k, v in (choice or {}).items() if "." not in k},
    }
    unknown = [
        f"{stage}: {name}"
        for stage, name in choice.items()
        if (stage, name) not in _BUILDERS
    ]
    if unknown:
        known = ", ".join(f"{stage}: {name}" for stage, name in sorted(_BUILDERS))
        raise InputError(
            f"Unknown providers ({'; '.join(unknown)}). Reelwright knows {known}."
        )
    return choice


def _how_to_set(secret: str, stage: str, name: str) -> str:
    spec = SECRETS[secret]
    ways = [f"run `reelwright keys set {secret}`"]
    if spec.env:
        ways.append("set " + " or ".join(spec.env))
    return f"{spec.label} (for the {stage} provider {name!r}): {', or '.join(ways)}."


def add_provider(
    stage: str, name: str, build: Callable[[str | None], Any], secret: str | None = None
) -> None:
    """Make another provider choosable (plugins call this from ``register``)."""
    _BUILDERS[(stage, name)] = _Entry(secret, lambda key, options: build(key))


def load_plugins() -> None:
    """Import the modules named in ``REELWRIGHT_PROVIDER_PLUGINS`` (comma-
    separated) and let each ``register(add_provider)``. Worker processes are
    separate programs, so this is how extra providers reach them."""
    import importlib

    names = os.environ.get("REELWRIGHT_PROVIDER_PLUGINS", "")
    for name in filter(None, (part.strip() for part in names.split(","))):
        importlib.import_module(name).register(add_provider)
