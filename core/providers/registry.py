"""Choosing the providers of a project: local or cloud, per stage.

A project names one provider per stage (``{"script": "local", "voice":
"google", "images": "stability"}``). ``build_providers`` turns the names into
objects; a cloud provider without its key is a clear error before any work
starts, never a silent fallback to a local one.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.providers.base import ImageMaker, ScriptWriter, Voice

LOCAL_CHOICE = {"script": "local", "voice": "local", "images": "local"}


@dataclass
class Providers:
    writer: ScriptWriter
    voice: Voice
    images: ImageMaker


def local_providers() -> Providers:
    """The offline providers: the creator's words, an offline voice, art cards."""
    from core.providers.art_cards import ArtCardMaker
    from core.providers.local_voice import LocalVoice
    from core.script.local import LocalScriptWriter

    return Providers(LocalScriptWriter(), LocalVoice(), ArtCardMaker())


def build_providers(choice: dict[str, str] | None = None) -> Providers:
    """Providers for ``choice`` (stage -> provider name); local by default."""
    choice = {**LOCAL_CHOICE, **(choice or {})}
    unknown = {k: v for k, v in choice.items() if v != "local"}
    if unknown:
        from core.errors import InputError

        raise InputError(f"Unknown providers: {unknown}.")
    return local_providers()
