"""The Settings window: API keys, defaults for new projects, language and
the shared setup.

Keys go to the OS keyring through ``core.secrets`` and are never shown
back, only whether one is set; each has a Test button that makes one cheap
call through ``core.providers.key_check``. Everything else lives in
QSettings under the keys in ``DEFAULTS``. The shared-setup addresses take
effect at the next start: ``apply_advanced_settings`` turns them into the
environment variables the app reads before it builds its ``Settings``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import MutableMapping

import shiboken6
from PySide6.QtCore import QSettings, QUrl, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core import secrets
from core.errors import ReelwrightError
from core.providers import key_check
from core.script.templates import list_templates
from desktop.tasks import spawn
from desktop.ui.theme import set_state

log = logging.getLogger(__name__)

# Every QSettings key this window writes, with its default.
DEFAULTS = {
    "defaults/providers/script": "local",  # local | gemini
    "defaults/providers/voice": "local",  # local | google
    "defaults/providers/images": "local",  # local | stability
    "defaults/voice": "",  # a Google voice name; "" is the language's default
    "defaults/format": "landscape",  # landscape | shorts
    "defaults/privacy": "private",  # private | unlisted | public
    "defaults/template": "explainer",
    "ui/language": "",  # "" (the system's) | en | zh_TW
    "advanced/broker_url": "",
    "advanced/database_url": "",
    "advanced/storage_dir": "",
    "advanced/render_encoders": "",  # "": as the computer allows | "1": leanest
}
# The settings read when the workers start, and the environment variables
# they become.
ADVANCED_ENV = {
    "advanced/broker_url": "REELWRIGHT_BROKER_URL",
    "advanced/database_url": "REELWRIGHT_DATABASE_URL",
    "advanced/storage_dir": "REELWRIGHT_STORAGE_DIR",
    "advanced/render_encoders": "REELWRIGHT_RENDER_ENCODERS",
}
RESTART_KEYS = ("ui/language", *ADVANCED_ENV)
KEY_NAMES = ("gemini", "tts", "stability")
PREVIEW_FILE = "voice-preview.wav"


def setting(key: str, store: QSettings | None = None) -> str:
    return str((store or QSettings()).value(key, DEFAULTS[key]) or "")


def apply_advanced_settings(
    store: QSettings | None = None, environ: MutableMapping[str, str] | None = None
) -> dict[str, str]:
    """Copy the saved shared-setup addresses and the render's memory choice
    into the environment, where ``Settings.from_env`` and the workers find
    them. A variable already set wins (so a developer or a test can still
    override). Returns what was set.
    """
    environ = os.environ if environ is None else environ
    applied = {}
    for key, variable in ADVANCED_ENV.items():
        value = setting(key, store).strip()
        if value and not environ.get(variable):
            environ[variable] = applied[variable] = value
    return applied


def project_defaults(store: QSettings | None = None) -> dict[str, object]:
    """The choices a new project starts with. ``providers`` is in the form
    ``Project.providers`` takes, the cloud voice's name as "voice.name"."""
    providers = {
        stage: setting(f"defaults/providers/{stage}", store)
        for stage in ("script", "voice", "images")
    }
    voice = setting("defaults/voice", store)
    if voice and providers["voice"] == "google":
        providers["voice.name"] = voice
    return {
        "format": setting("defaults/format", store),
        "providers": providers,
        "privacy": setting("defaults/privacy", store),
        "template": setting("defaults/template", store),
        "voice": voice,
    }


def key_state(name: str) -> str | None:
    """Where the key comes from: "keyring", an environment variable's name,
    or None when there is none. Blocking (the keyring may ask D-Bus)."""
    value = secrets.get_secret(name)
    if not value:
        return None
    for variable in secrets.SECRETS[name].env:
        if os.environ.get(variable, "").strip() == value:
            return variable
    return "keyring"


def template_names(db) -> list[str]:  # type: ignore[no-untyped-def]
    with db.session() as session:
        return [template.name for template in list_templates(session)]


class KeyRow(QWidget):
    """One key: whether it is set, a field for a new one, Save, Remove, Test."""

    def __init__(self, backend, name: str, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.backend = backend
        self.name = name
        self.state = QLabel(self.tr("Checking…"))
        self.field = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.field.setPlaceholderText(self.tr("Paste a new key here"))
        self.result = QLabel(wordWrap=True)
        self.result.hide()
        self.save_button = QPushButton(self.tr("Save"), clicked=self._save_clicked)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.clicked.connect(lambda: spawn(self.remove()))
        self.test_button = QPushButton(self.tr("Test"))
        self.test_button.clicked.connect(lambda: spawn(self.test()))
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.field, self.save_button, self.remove_button):
            row.addWidget(widget)
        row.addWidget(self.test_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.state)
        column.addLayout(row)
        column.addWidget(self.result)

    def _save_clicked(self) -> None:
        spawn(self.save())

    async def refresh(self) -> None:
        where = await self.backend.run(key_state, self.name)
        if not shiboken6.isValid(self):
            return
        if where is None:
            text = self.tr("Not set.")
        elif where == "keyring":
            text = self.tr("Set, and kept in the system keyring.")
        else:
            text = self.tr("Set by the environment variable {0}.").replace("{0}", where)
        self.state.setText(text)
        self.remove_button.setEnabled(where == "keyring")

    async def save(self) -> None:
        value = self.field.text().strip()
        if not value:
            self._show(self.tr("Paste the key into the field first."), ok=False)
            return
        try:
            await self.backend.run(secrets.set_secret, self.name, value)
        except secrets.KeyringUnavailable as error:
            self._show(str(error), ok=False)
            return
        self.field.clear()
        self._show(self.tr("Saved."), ok=True)
        await self.refresh()

    async def remove(self) -> None:
        try:
            await self.backend.run(secrets.delete_secret, self.name)
        except secrets.KeyringUnavailable as error:
            self._show(str(error), ok=False)
            return
        self._show(self.tr("Removed from the keyring."), ok=True)
        await self.refresh()

    async def test(self) -> None:
        """One cheap call with the typed key, or the saved one."""
        self.test_button.setEnabled(False)
        self._show(self.tr("Testing…"), ok=None)
        typed = self.field.text().strip() or None
        try:
            said = await self.backend.run(key_check.test_key, self.name, typed)
            ok = True
        except ReelwrightError as error:
            said, ok = error.message, False
        if shiboken6.isValid(self):
            self.test_button.setEnabled(True)
            self._show(said, ok=ok)

    def _show(self, text: str, *, ok: bool | None) -> None:
        outcome = "" if ok is None else ("ok" if ok else "error")
        set_state(self.result, "outcome", outcome)
        self.result.setText(text)
        self.result.show()


class SettingsDialog(QDialog):
    message = Signal(str, bool)  # text, is_error; e.g. "restart needed"
    loaded = Signal()

    def __init__(self, backend, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.backend = backend
        self.store = QSettings()
        self.setWindowTitle(self.tr("Settings"))
        self.resize(680, 520)
        self._voices: list = []  # the cloud voices, once loaded
        self._voices_loaded = False
        self._player = None  # made on the first preview
        self.tabs = QTabWidget()
        self.tabs.addTab(self._keys_page(), self.tr("API Keys"))
        self.tabs.addTab(self._projects_page(), self.tr("New Projects"))
        self.tabs.addTab(self._language_page(), self.tr("Language"))
        self.advanced_page = self._advanced_page()
        self.tabs.addTab(self.advanced_page, self.tr("Advanced"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(self.tabs, 1)
        column.addWidget(buttons)
        self._show_saved()
        spawn(self.load())

    # -- pages -----------------------------------------------------------------

    def _keys_page(self) -> QWidget:
        labels = {
            "gemini": self.tr("Gemini (writes scripts)"),
            "tts": self.tr("Google Cloud Text-to-Speech (voices)"),
            "stability": self.tr("Stability AI (images)"),
        }
        self.keys = {name: KeyRow(self.backend, name) for name in KEY_NAMES}
        self.keyring_note = QLabel(wordWrap=True)
        page = QWidget()
        form = QFormLayout(page)
        for name, row in self.keys.items():
            form.addRow(QLabel(labels[name]), row)
        form.addRow(self.keyring_note)
        form.addRow(
            QLabel(
                self.tr(
                    "Keys are never written to Reelwright's database, its logs or "
                    "its task messages, and this window never shows them again."
                ),
                wordWrap=True,
            )
        )
        return page

    def _projects_page(self) -> QWidget:
        self.providers = {
            "script": self._combo(
                (self.tr("Your own words, split into scenes (offline)"), "local"),
                (self.tr("Gemini writes the script"), "gemini"),
            ),
            "voice": self._combo(
                (self.tr("Offline voice"), "local"),
                (self.tr("Google Cloud Text-to-Speech"), "google"),
            ),
            "images": self._combo(
                (self.tr("Title cards (offline)"), "local"),
                (self.tr("Stability AI pictures"), "stability"),
            ),
        }
        self.providers["voice"].currentIndexChanged.connect(
            self._voice_provider_changed
        )
        self.voice = QComboBox()
        self.preview_button = QPushButton(self.tr("Preview"))
        self.preview_button.clicked.connect(lambda: spawn(self.preview()))
        self.voice_note = QLabel(wordWrap=True)
        voice_row = QHBoxLayout()
        voice_row.addWidget(self.voice, 1)
        voice_row.addWidget(self.preview_button)
        self.format = self._combo(
            (self.tr("Landscape (16:9)"), "landscape"),
            (self.tr("Shorts (9:16)"), "shorts"),
        )
        self.privacy = self._combo(
            (self.tr("Private"), "private"),
            (self.tr("Unlisted"), "unlisted"),
            (self.tr("Public"), "public"),
        )
        self.template = QComboBox()
        page = QWidget()
        form = self._projects_form = QFormLayout(page)
        form.addRow(self.tr("Script"), self.providers["script"])
        form.addRow(self.tr("Voice"), self.providers["voice"])
        form.addRow(self.tr("Voice to use"), voice_row)
        form.addRow("", self.voice_note)
        form.setRowVisible(self.voice_note, False)
        form.addRow(self.tr("Pictures"), self.providers["images"])
        form.addRow(self.tr("Video format"), self.format)
        form.addRow(self.tr("YouTube privacy"), self.privacy)
        form.addRow(self.tr("Script template"), self.template)
        return page

    def _language_page(self) -> QWidget:
        # Each language is named in itself, so it can be found in any UI.
        self.language = self._combo(
            (self.tr("The system's language"), ""),
            ("English", "en"),
            ("繁體中文", "zh_TW"),
        )
        page = QWidget()
        form = QFormLayout(page)
        form.addRow(self.tr("Language"), self.language)
        note = self.tr("The new language is used the next time Reelwright starts.")
        form.addRow(QLabel(note, wordWrap=True))
        return page

    def _advanced_page(self) -> QWidget:
        own = self.tr("Leave empty to use this computer's own")
        self.broker_url = QLineEdit(placeholderText=own)
        self.broker_url.setToolTip("REELWRIGHT_BROKER_URL")
        self.database_url = QLineEdit(placeholderText=own)
        self.database_url.setToolTip("REELWRIGHT_DATABASE_URL")
        self.storage_dir = QLineEdit(placeholderText=own)
        self.storage_dir.setToolTip("REELWRIGHT_STORAGE_DIR")
        browse = QPushButton(self.tr("Choose…"), clicked=self._choose_storage)
        storage_row = QHBoxLayout()
        storage_row.addWidget(self.storage_dir, 1)
        storage_row.addWidget(browse)
        self.advanced_error = QLabel(wordWrap=True)
        self.advanced_error.hide()
        page = QWidget()
        form = QFormLayout(page)
        intro = self.tr(
            "For the shared setup, where several computers work on the same "
            "projects: the same Redis, database and storage folder on each. "
            "Changes take effect the next time Reelwright starts."
        )
        form.addRow(QLabel(intro, wordWrap=True))
        form.addRow(self.tr("Broker (Redis URL)"), self.broker_url)
        form.addRow(self.tr("Database URL"), self.database_url)
        form.addRow(self.tr("Storage folder"), storage_row)
        form.addRow(self.advanced_error)
        self.render_encoders = self._combo(
            (self.tr("Fastest this computer allows"), ""),
            (self.tr("Least memory (one scene at a time, slower)"), "1"),
        )
        self.render_encoders.setToolTip("REELWRIGHT_RENDER_ENCODERS")
        form.addRow(self.tr("Video encoding"), self.render_encoders)
        note = self.tr(
            "The fastest encoding works on several scenes at once, about "
            "280 MB of memory each at 1080p, as many as the computer's cores "
            "and free memory allow. Takes effect the next time Reelwright "
            "starts."
        )
        form.addRow(QLabel(note, wordWrap=True))
        return page

    def _combo(self, *choices: tuple[str, str]) -> QComboBox:
        combo = QComboBox()
        for label, value in choices:
            combo.addItem(label, value)
        return combo

    # -- loading and saving ------------------------------------------------------

    def _show_saved(self) -> None:
        for stage, combo in self.providers.items():
            _choose(combo, setting(f"defaults/providers/{stage}", self.store))
        _choose(self.format, setting("defaults/format", self.store))
        _choose(self.privacy, setting("defaults/privacy", self.store))
        _choose(self.language, setting("ui/language", self.store))
        self.broker_url.setText(setting("advanced/broker_url", self.store))
        self.database_url.setText(setting("advanced/database_url", self.store))
        self.storage_dir.setText(setting("advanced/storage_dir", self.store))
        _choose(self.render_encoders, setting("advanced/render_encoders", self.store))
        self._voice_provider_changed()

    async def load(self) -> None:
        """Fill in what needs the keyring or the database."""
        status = await self.backend.run(secrets.keyring_status)
        names = await self.backend.run(template_names, self.backend.db)
        if not shiboken6.isValid(self):
            return
        self.keyring_note.setText(status)
        for name in names:
            self.template.addItem(name, name)
        _choose(self.template, setting("defaults/template", self.store))
        for row in self.keys.values():
            await row.refresh()
        self.loaded.emit()

    def values(self) -> dict[str, str]:
        """The settings as shown now, by QSettings key."""
        shown = {
            f"defaults/providers/{stage}": combo.currentData()
            for stage, combo in self.providers.items()
        }
        shown.update(
            {
                "defaults/voice": self.voice.currentData() or "",
                "defaults/format": self.format.currentData(),
                "defaults/privacy": self.privacy.currentData(),
                "defaults/template": self.template.currentData() or "explainer",
                "ui/language": self.language.currentData(),
                "advanced/broker_url": self.broker_url.text().strip(),
                "advanced/database_url": self.database_url.text().strip(),
                "advanced/storage_dir": self.storage_dir.text().strip(),
                "advanced/render_encoders": self.render_encoders.currentData(),
            }
        )
        if self.providers["voice"].currentData() != "google":
            shown["defaults/voice"] = setting("defaults/voice", self.store)
        return shown

    def accept(self) -> None:
        problem = self._check_advanced()
        if problem:
            self.tabs.setCurrentWidget(self.advanced_page)
            set_state(self.advanced_error, "outcome", "error")
            self.advanced_error.setText(problem)
            self.advanced_error.show()
            return
        values = self.values()
        restart = any(values[key] != setting(key, self.store) for key in RESTART_KEYS)
        # Limitation: a broker or database URL with a password in it is kept
        # in QSettings, a plain file, not in the keyring like the API keys.
        for key, value in values.items():
            self.store.setValue(key, value)
        self.store.sync()
        if restart:
            self.message.emit(
                self.tr("Restart Reelwright to use the new settings."), False
            )
        super().accept()

    def _check_advanced(self) -> str | None:
        broker = self.broker_url.text().strip()
        if broker and not broker.startswith(("redis://", "rediss://", "unix://")):
            return self.tr(
                "The broker address must start with redis://, rediss:// or unix://."
            )
        database = self.database_url.text().strip()
        if database and not database.startswith(("sqlite:", "postgresql")):
            return self.tr(
                "The database address must start with postgresql:// (or sqlite:///)."
            )
        return None

    def _choose_storage(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Choose the shared storage folder"), self.storage_dir.text()
        )
        if folder:
            self.storage_dir.setText(folder)

    # -- the voice picker ----------------------------------------------------------

    def _voice_provider_changed(self) -> None:
        self.voice.clear()
        self._note("")
        if self.providers["voice"].currentData() != "google":
            self.voice.addItem(self.tr("Offline voice (Piper or eSpeak NG)"), "")
            return
        self.voice.addItem(self.tr("The default voice for the video's language"), "")
        if not self._voices_loaded:
            self._note(self.tr("Loading the voices…"))
            spawn(self.load_voices())
        else:
            self._add_voices(self._voices)

    def _note(self, text: str) -> None:
        self.voice_note.setText(text)
        self._projects_form.setRowVisible(self.voice_note, bool(text))

    async def load_voices(self) -> None:
        """Ask the service for its voices, once per window."""
        try:
            voices = await self.backend.run(key_check.list_google_voices)
        except ReelwrightError as error:
            if shiboken6.isValid(self):
                self._note(error.message)
            return
        if not shiboken6.isValid(self):
            return
        self._voices, self._voices_loaded = voices, True
        self._note("")
        if self.providers["voice"].currentData() == "google":
            self._add_voices(voices)

    def _add_voices(self, voices) -> None:  # type: ignore[no-untyped-def]
        for voice in voices:
            details = ", ".join([*voice.language_codes, voice.gender.lower()])
            self.voice.addItem(f"{voice.name} ({details})", voice.name)
        _choose(self.voice, setting("defaults/voice", self.store))

    async def preview(self) -> None:
        """Speak a sample sentence with the chosen voice and play it."""
        provider = self.providers["voice"].currentData()
        voice = self.voice.currentData() or None
        language = "zh-Hant" if self.language.currentData() == "zh_TW" else None
        out = self.backend.settings.paths.cache / PREVIEW_FILE
        self._stop_preview()
        self.preview_button.setEnabled(False)
        self._note(self.tr("Making a sample…"))
        try:
            path = await self.backend.run(
                key_check.preview_voice, provider, voice, out, language
            )
        except ReelwrightError as error:
            if shiboken6.isValid(self):
                self._note(error.message)
                self.preview_button.setEnabled(True)
            return
        if shiboken6.isValid(self):
            self.preview_button.setEnabled(True)
            self._note("")
            self._play(path)

    def _stop_preview(self) -> None:
        if self._player is not None:
            self._player.stop()
            self._player.setSource(QUrl())  # let go of the last sample's file

    def done(self, result: int) -> None:
        """Closing the dialog, however it closes, silences a playing sample.

        The media backend plays on its own thread; a player torn down with
        the dialog while it is still playing can crash the app."""
        self._stop_preview()
        super().done(result)

    def _play(self, path) -> None:  # type: ignore[no-untyped-def]
        from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

        if self._player is None:
            self._player = QMediaPlayer(self)
            self._player.setAudioOutput(QAudioOutput(self._player))
        self._player.setSource(QUrl.fromLocalFile(str(path)))
        self._player.play()


def _choose(combo: QComboBox, value: str) -> None:
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)
