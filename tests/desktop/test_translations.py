"""The Traditional Chinese translation: complete, compiled, and loaded.

The .ts file is the translators' source and the .qm is what the app loads
(``desktop.app.install_translator``). These tests check that the .qm
really turns the window's strings into Chinese, that no message is left
unfinished or loses a placeholder or an accelerator, and that every tr()
string in the desktop code is in the .ts (run
``scripts/update_translations.sh`` after adding one).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "resources" / "translations"
TS_FILE = FOLDER / "reelwright_zh_TW.ts"
QM_FILE = FOLDER / "reelwright_zh_TW.qm"
TOOLS = Path(sys.executable).parent
PLACEHOLDER = re.compile(r"\{\d+\}")


def messages(ts_file: Path) -> list[tuple[str, str, ET.Element]]:
    """(context, source, translation element) of every message."""
    tree = ET.parse(ts_file)
    return [
        (context.findtext("name") or "", message.findtext("source") or "", found)
        for context in tree.iter("context")
        for message in context.iter("message")
        if (found := message.find("translation")) is not None
    ]


def unfinished(ts_file: Path) -> list[str]:
    return [
        f"{context}: {source!r}"
        for context, source, translation in messages(ts_file)
        if translation.get("type") == "unfinished" or not translation.text
    ]


def tool(name: str) -> str:
    found = TOOLS / name
    if found.exists():
        return str(found)
    on_path = shutil.which(name)
    if on_path is None:
        pytest.skip(f"{name} is not installed")
    return on_path


@pytest.fixture
def translator(qapp) -> QTranslator:  # type: ignore[no-untyped-def]
    translator = QTranslator()
    assert translator.load(str(QM_FILE)), f"{QM_FILE} did not load"
    return translator


def test_the_compiled_translation_turns_window_strings_into_chinese(
    translator: QTranslator,
) -> None:
    expected = {
        ("MainWindow", "&File"): "檔案(&F)",
        ("MainWindow", "Script"): "腳本",
        ("MainWindow", "Preview"): "預覽",
        ("StageRow", "Retry"): "重試",
        ("StageRow", "Render"): "渲染",
        ("SettingsDialog", "Settings"): "設定",
        ("MonitorWindow", "Task Monitor"): "工作監控",
    }
    for (context, source), chinese in expected.items():
        assert translator.translate(context, source) == chinese


def test_an_installed_translator_changes_what_tr_returns(
    qapp, translator: QTranslator
) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.stage_panel import StageRow

    QCoreApplication.installTranslator(translator)
    try:
        row = StageRow("images")
        assert row.name.text() == "圖片"
        assert row.retry_button.text() == "重試"
    finally:
        QCoreApplication.removeTranslator(translator)
    assert StageRow("images").retry_button.text() == "Retry"


def test_no_message_is_left_unfinished() -> None:
    assert unfinished(TS_FILE) == []


def test_translations_keep_placeholders_and_accelerators() -> None:
    for context, source, translation in messages(TS_FILE):
        text = translation.text or ""
        where = f"{context}: {source!r} -> {text!r}"
        assert sorted(PLACEHOLDER.findall(source)) == sorted(
            PLACEHOLDER.findall(text)
        ), where
        accelerator = re.search(r"&(\w)", source)
        if accelerator:
            assert f"(&{accelerator.group(1).upper()})" in text, where


def test_the_compiled_file_matches_the_translation_source(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.qm"
    subprocess.run(
        [tool("pyside6-lrelease"), "-silent", str(TS_FILE), "-qm", str(fresh)],
        check=True,
    )
    assert fresh.read_bytes() == QM_FILE.read_bytes(), (
        "The .qm is older than the .ts: run scripts/update_translations.sh"
    )


def test_every_tr_string_in_the_desktop_code_has_a_translation(
    tmp_path: Path,
) -> None:
    copy = tmp_path / TS_FILE.name
    shutil.copy(TS_FILE, copy)
    sources = sorted(str(path) for path in (ROOT / "desktop").rglob("*.py"))
    subprocess.run(
        [
            tool("pyside6-lupdate"),
            "-silent",
            "-no-obsolete",
            *sources,
            "-ts",
            str(copy),
        ],
        check=True,
    )
    assert unfinished(copy) == [], (
        "New strings need a translation: run scripts/update_translations.sh"
    )


def test_the_workers_progress_messages_are_shown_in_chinese(
    qapp, translator: QTranslator
) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.progress_text import error_text, progress_text

    QCoreApplication.installTranslator(translator)
    try:
        assert (
            progress_text("Rendering scene 3 of 10")
            == "正在渲染：第 3 個場景，共 10 個"
        )
        assert progress_text("Mixing the soundtrack") == "正在混音"
        assert progress_text("2 of 6") == "2 / 6"
        # What the window does not know (an error's words) stays as it came.
        assert progress_text("FFmpeg failed (exit 1)") == "FFmpeg failed (exit 1)"
        # An error keeps its words, under a lead that says what kind it is.
        assert error_text("render", "FFmpeg failed (exit 1)") == (
            "無法渲染影片：\nFFmpeg failed (exit 1)"
        )
        assert error_text("transient", "429", retrying=True).startswith("發生問題")
    finally:
        QCoreApplication.removeTranslator(translator)
    assert progress_text("Rendering scene 3 of 10") == "Rendering scene 3 of 10"
    assert error_text("input", "Empty.") == (
        "The content or a setting cannot be used:\nEmpty."
    )
