"""The Settings window, the log view and the theme.

Keys are kept in an in-memory keyring backend defined here, so no test
touches a real keyring. Key tests and the voice list go through the real
Google SDKs to the local fakes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator

import keyring
import keyring.errors
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QLineEdit

from core.providers import key_check
from core.settings import Settings
from desktop.ui.log_view import LogView
from desktop.ui.settings_dialog import (
    SettingsDialog,
    apply_advanced_settings,
    project_defaults,
)
from desktop.ui.theme import ERROR_COLOUR, apply_theme, set_state
from tests.fakes.gemini import TEST_KEY as GEMINI_KEY
from tests.fakes.gemini import FakeGemini
from tests.fakes.keyring import InMemoryKeyring
from tests.fakes.tts import FakeTextToSpeech

TTS_KEY = "fake-tts-key-for-settings"
KEY_VARIABLES = (
    "GEMINI_API_KEY",
    "GOOGLE_API_KEY",
    "REELWRIGHT_TTS_API_KEY",
    "STABILITY_API_KEY",
    "GOOGLE_APPLICATION_CREDENTIALS",
)


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[InMemoryKeyring]:
    for variable in KEY_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    previous = keyring.get_keyring()
    memory = InMemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(previous)


@pytest.fixture
def open_dialog(backend, memory_keyring, qtbot):  # type: ignore[no-untyped-def]
    """A function that opens the dialog and waits until it has loaded."""

    def opened() -> SettingsDialog:
        dialog = SettingsDialog(backend)
        qtbot.addWidget(dialog)
        with qtbot.waitSignal(dialog.loaded):
            dialog.show()
        return dialog

    return opened


@pytest.fixture
def gemini(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGemini]:
    with FakeGemini() as fake:
        monkeypatch.setenv("REELWRIGHT_GEMINI_BASE_URL", fake.url)
        yield fake


@pytest.fixture
def tts(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeTextToSpeech]:
    with FakeTextToSpeech(api_key=TTS_KEY) as fake:
        monkeypatch.setenv("REELWRIGHT_TTS_ENDPOINT", fake.url)
        yield fake


def shown_texts(dialog: SettingsDialog) -> str:
    labels = [label.text() for label in dialog.findChildren(QLabel)]
    fields = [field.text() for field in dialog.findChildren(QLineEdit)]
    return "\n".join(labels + fields)


# -- keys --------------------------------------------------------------------


def test_a_saved_key_shows_as_set_and_is_never_shown_back(
    open_dialog, memory_keyring, qtbot
):
    dialog = open_dialog()
    row = dialog.keys["gemini"]
    assert row.state.text() == "Not set."

    qtbot.keyClicks(row.field, GEMINI_KEY)
    row.save_button.click()

    qtbot.waitUntil(lambda: row.state.text().startswith("Set"))
    assert memory_keyring.entries[("Reelwright", "gemini")] == GEMINI_KEY
    assert row.field.echoMode() is QLineEdit.EchoMode.Password
    assert GEMINI_KEY not in shown_texts(dialog)
    assert GEMINI_KEY not in shown_texts(open_dialog())  # nor when opened again


def test_the_dialog_says_where_keys_are_kept(open_dialog):
    dialog = open_dialog()

    assert "InMemoryKeyring" in dialog.keyring_note.text()


def test_a_key_from_the_environment_is_named_by_its_variable(open_dialog, monkeypatch):
    monkeypatch.setenv("STABILITY_API_KEY", "sk-from-the-environment")

    dialog = open_dialog()

    assert "STABILITY_API_KEY" in dialog.keys["stability"].state.text()
    assert "sk-from-the-environment" not in shown_texts(dialog)


def test_removing_a_key_empties_the_keyring_entry(open_dialog, memory_keyring, qtbot):
    memory_keyring.set_password("Reelwright", "tts", TTS_KEY)
    row = open_dialog().keys["tts"]
    assert row.state.text().startswith("Set")

    row.remove_button.click()

    qtbot.waitUntil(lambda: row.state.text() == "Not set.")
    assert memory_keyring.entries == {}


def test_the_gemini_key_test_succeeds_and_a_wrong_key_is_refused(
    open_dialog, memory_keyring, gemini, qtbot
):
    memory_keyring.set_password("Reelwright", "gemini", GEMINI_KEY)
    row = open_dialog().keys["gemini"]

    row.test_button.click()
    qtbot.waitUntil(lambda: "accepted" in row.result.text())
    assert row.result.property("outcome") == "ok"

    row.field.setText("not-the-right-key")
    row.test_button.click()
    qtbot.waitUntil(lambda: "refused" in row.result.text())
    assert row.result.property("outcome") == "error"
    assert "Check the Gemini API key" in row.result.text()
    assert len(gemini.requests) == 2


def test_the_text_to_speech_key_test_lists_voices_once(
    open_dialog, memory_keyring, tts, qtbot
):
    memory_keyring.set_password("Reelwright", "tts", TTS_KEY)
    row = open_dialog().keys["tts"]

    row.test_button.click()
    qtbot.waitUntil(lambda: "accepted" in row.result.text())

    row.field.setText("wrong")
    row.test_button.click()
    qtbot.waitUntil(lambda: row.result.property("outcome") == "error")
    assert "refused the key" in row.result.text()
    assert [request.method for request in tts.requests] == ["GET", "GET"]


def test_a_key_test_without_a_key_says_so(open_dialog, qtbot):
    row = open_dialog().keys["stability"]

    row.test_button.click()

    qtbot.waitUntil(lambda: row.result.property("outcome") == "error")
    assert "No Stability AI API key is set" in row.result.text()


def test_key_test_is_not_collected_as_a_test_itself():
    assert key_check.test_key.__test__ is False


# -- defaults for new projects -----------------------------------------------


def test_cloud_voices_load_when_the_google_voice_is_chosen(
    open_dialog, memory_keyring, tts, qtbot
):
    memory_keyring.set_password("Reelwright", "tts", TTS_KEY)
    dialog = open_dialog()
    assert tts.requests == []  # nothing is asked before it is needed

    dialog.providers["voice"].setCurrentIndex(
        dialog.providers["voice"].findData("google")
    )

    qtbot.waitUntil(lambda: dialog.voice.findData("cmn-TW-Wavenet-A") >= 0)
    assert dialog.voice.count() == 8  # the language's default, and seven voices


def test_preview_speaks_a_sample_with_the_chosen_voice(
    open_dialog, memory_keyring, tts, qtbot
):
    memory_keyring.set_password("Reelwright", "tts", TTS_KEY)
    dialog = open_dialog()
    dialog.providers["voice"].setCurrentIndex(
        dialog.providers["voice"].findData("google")
    )
    qtbot.waitUntil(lambda: dialog.voice.findData("en-GB-Neural2-B") >= 0)
    dialog.voice.setCurrentIndex(dialog.voice.findData("en-GB-Neural2-B"))

    dialog.preview_button.click()

    qtbot.waitUntil(lambda: dialog._player is not None)
    assert tts.syntheses[-1].voice["name"] == "en-GB-Neural2-B"
    source = dialog._player.source().toLocalFile()
    assert source.endswith("voice-preview.wav")

    dialog.reject()  # closing the dialog silences the sample
    assert dialog._player.source().isEmpty()


def test_the_chosen_cloud_voice_becomes_the_new_projects_voice(
    open_dialog, memory_keyring, tts, qtbot
):
    memory_keyring.set_password("Reelwright", "tts", TTS_KEY)
    dialog = open_dialog()
    dialog.providers["voice"].setCurrentIndex(
        dialog.providers["voice"].findData("google")
    )
    qtbot.waitUntil(lambda: dialog.voice.findData("cmn-TW-Wavenet-B") >= 0)
    dialog.voice.setCurrentIndex(dialog.voice.findData("cmn-TW-Wavenet-B"))

    dialog.accept()

    providers = project_defaults()["providers"]
    assert providers["voice"] == "google"
    assert providers["voice.name"] == "cmn-TW-Wavenet-B"


def test_saved_defaults_come_back_for_new_projects(open_dialog, qtbot):
    dialog = open_dialog()
    dialog.format.setCurrentIndex(dialog.format.findData("shorts"))
    dialog.privacy.setCurrentIndex(dialog.privacy.findData("unlisted"))
    dialog.providers["script"].setCurrentIndex(1)
    dialog.template.setCurrentIndex(dialog.template.findData("story"))

    dialog.accept()

    defaults = project_defaults()
    assert defaults["format"] == "shorts"
    assert defaults["privacy"] == "unlisted"
    assert defaults["providers"] == {
        "script": "gemini",
        "voice": "local",
        "images": "local",
    }
    assert defaults["template"] == "story"
    reopened = open_dialog()
    assert reopened.format.currentData() == "shorts"


def test_changing_the_language_asks_for_a_restart(open_dialog, qtbot):
    dialog = open_dialog()
    dialog.language.setCurrentIndex(dialog.language.findData("zh_TW"))

    with qtbot.waitSignal(dialog.message) as said:
        dialog.accept()

    assert "Restart" in said.args[0]
    assert QSettings().value("ui/language") == "zh_TW"


# -- the shared setup ----------------------------------------------------------


def test_a_broker_address_that_is_not_redis_keeps_the_dialog_open(open_dialog):
    dialog = open_dialog()
    dialog.broker_url.setText("http://example.com")

    dialog.accept()

    assert dialog.isVisible()
    assert "redis://" in dialog.advanced_error.text()
    assert QSettings().value("advanced/broker_url", "") == ""


def test_advanced_settings_become_environment_variables_at_start(open_dialog):
    dialog = open_dialog()
    dialog.broker_url.setText("redis://shared-host:6379/0")
    dialog.storage_dir.setText("/mnt/reelwright")
    dialog.accept()
    environment = {"REELWRIGHT_STORAGE_DIR": "/already/set"}

    applied = apply_advanced_settings(environ=environment)

    assert applied == {"REELWRIGHT_BROKER_URL": "redis://shared-host:6379/0"}
    assert environment == {
        "REELWRIGHT_BROKER_URL": "redis://shared-host:6379/0",
        "REELWRIGHT_STORAGE_DIR": "/already/set",
    }


def test_the_leanest_render_is_chosen_in_settings_and_reaches_the_workers(
    open_dialog, qtbot, tmp_path
):
    dialog = open_dialog()
    dialog.tabs.setCurrentWidget(dialog.advanced_page)
    dialog.render_encoders.setCurrentIndex(dialog.render_encoders.findData("1"))

    with qtbot.waitSignal(dialog.message) as said:
        dialog.accept()
    environment = {"REELWRIGHT_HOME": str(tmp_path)}
    apply_advanced_settings(environ=environment)

    assert "Restart" in said.args[0]
    assert environment["REELWRIGHT_RENDER_ENCODERS"] == "1"
    assert Settings.from_env(environment).render_encoders == 1
    reopened = open_dialog()
    assert reopened.render_encoders.currentData() == "1"


# -- the log view and the theme ------------------------------------------------


def test_the_log_view_shows_a_record_logged_on_another_thread(backend, qtbot):
    log_file = backend.settings.paths.logs / "reelwright-app.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    log_file.write_text("2024-01-01 earlier line from the file\n", encoding="utf-8")
    view = LogView(backend)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: any("earlier line" in line for line in view.lines()))

    worker = threading.Thread(
        target=logging.getLogger("tests.worker").warning,
        args=("Rendered project %s on a worker thread.", 7),
    )
    worker.start()
    worker.join()

    qtbot.waitUntil(
        lambda: any("Rendered project 7 on a worker" in t for t in view.lines())
    )
    report = view.copy_for_support()
    assert "Rendered project 7" in report
    assert QGuiApplication.clipboard().text() == report
    view.close()
    assert view.handler not in logging.getLogger().handlers


def test_the_log_view_masks_secrets(backend, qtbot):
    view = LogView(backend)
    qtbot.addWidget(view)
    view.show()

    logging.getLogger("tests").warning("Key is AIzaSyA1234567890abcdefghijklmnop")

    qtbot.waitUntil(lambda: any("[redacted]" in line for line in view.lines()))
    assert not any("AIzaSy" in line for line in view.lines())


def test_the_theme_is_fusion_and_colours_an_error_message(qapp, qtbot):
    previous = qapp.styleSheet()
    apply_theme(qapp)
    label = QLabel("Something failed")
    label.setObjectName("messageBar")
    qtbot.addWidget(label)
    set_state(label, "error", True)
    label.show()

    image = label.grab().toImage()
    qapp.setStyleSheet(previous)  # (a style sheet hides the style's name)

    assert image.pixelColor(image.width() // 2, 2).name() == ERROR_COLOUR
    assert qapp.style().name().lower() == "fusion"
