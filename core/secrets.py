"""API keys and tokens: the OS keyring first, then the environment.

Secrets never enter the database, a task message, Redis or a log line; the
workers read them here, in their own process, when a provider needs one.
On a machine with no keyring backend (a headless Linux without D-Bus) the
environment is the only source, and ``keyring_status`` says so plainly for
the Settings window.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

log = logging.getLogger(__name__)

SERVICE = "Reelwright"


@dataclass(frozen=True)
class SecretSpec:
    name: str  # the keyring entry and the CLI's name for it
    env: tuple[str, ...]  # environment variables that may carry it
    label: str  # what the creator sees


SECRETS = {
    spec.name: spec
    for spec in (
        SecretSpec("gemini", ("GEMINI_API_KEY", "GOOGLE_API_KEY"), "Gemini API key"),
        SecretSpec(
            "tts", ("REELWRIGHT_TTS_API_KEY",), "Google Cloud Text-to-Speech API key"
        ),
        SecretSpec("stability", ("STABILITY_API_KEY",), "Stability AI API key"),
        SecretSpec("youtube", (), "YouTube sign-in (refresh token)"),
    )
}


def get_secret(name: str) -> str | None:
    """The secret called ``name``: keyring first, then the environment."""
    spec = SECRETS[name]
    value = _from_keyring(name)
    if value:
        return value
    for variable in spec.env:
        value = os.environ.get(variable, "").strip()
        if value:
            return value
    return None


def set_secret(name: str, value: str) -> None:
    """Store a secret in the OS keyring (raises ``KeyringUnavailable``)."""
    if name not in SECRETS:
        raise KeyError(name)
    keyring = _keyring()
    try:
        keyring.set_password(SERVICE, name, value)
    except keyring.errors.KeyringError as error:
        raise KeyringUnavailable(keyring_status()) from error


def delete_secret(name: str) -> None:
    keyring = _keyring()
    try:
        keyring.delete_password(SERVICE, name)
    except keyring.errors.PasswordDeleteError:
        pass
    except keyring.errors.KeyringError as error:
        raise KeyringUnavailable(keyring_status()) from error


class KeyringUnavailable(Exception):
    """No usable keyring on this machine; the message says what to do."""


def keyring_status() -> str:
    """A sentence for Settings: where keys are kept on this machine."""
    keyring = _keyring()
    backend = keyring.get_keyring()
    if _is_usable(backend):
        return f"Keys are kept in your system keyring ({type(backend).__name__})."
    return (
        "No system keyring is available here, so keys cannot be saved. Set them "
        "in the environment instead (for example GEMINI_API_KEY), or install "
        "and unlock a keyring service such as GNOME Keyring or KWallet."
    )


def _from_keyring(name: str) -> str | None:
    keyring = _keyring()
    try:
        if not _is_usable(keyring.get_keyring()):
            return None
        return keyring.get_password(SERVICE, name)
    except keyring.errors.KeyringError as error:
        log.debug("The keyring could not be read: %s", type(error).__name__)
        return None


def _is_usable(backend: object) -> bool:
    priority = getattr(backend, "priority", 0)
    return not type(backend).__module__.startswith("keyring.backends.fail") and (
        priority is None or float(priority) > 0
    )


def _keyring():  # type: ignore[no-untyped-def]
    import keyring
    import keyring.errors  # noqa: F401  (makes keyring.errors an attribute)

    return keyring
