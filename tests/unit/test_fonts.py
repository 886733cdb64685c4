"""Finding fonts that really draw the script, on this machine's real fonts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from core import fonts
from core.errors import PermanentError
from core.fonts import (
    FontChoice,
    clear_font_cache,
    covers,
    font_for,
    font_in_folder,
    fonts_dir_for,
    has_glyph,
)


def _system_has_chinese_font() -> bool:
    try:
        listing = subprocess.run(
            ["fc-list", ":lang=zh-tw", "file"], capture_output=True, text=True
        )
    except OSError:
        return False
    return bool(listing.stdout.strip())


needs_chinese_font = pytest.mark.skipif(
    not _system_has_chinese_font(),
    reason="no Chinese font installed (Debian: apt-get install fonts-noto-cjk)",
)


@pytest.fixture
def fresh_lookups():
    """Lookups made under a changed environment must not leak into others."""
    clear_font_cache()
    yield
    clear_font_cache()


def _draw(choice: FontChoice, text: str) -> np.ndarray:
    font = ImageFont.truetype(str(choice.path), 48, index=choice.index)
    canvas = Image.new("L", (160, 80))
    ImageDraw.Draw(canvas).text((8, 8), text, font=font, fill=255)
    return np.asarray(canvas)


def _latin_only_font() -> FontChoice:
    choice = font_for("en")
    if covers(choice, "夜市"):
        pytest.skip("the only Latin font here also covers Chinese")
    return choice


@needs_chinese_font
def test_chinese_font_draws_night_market_as_characters_not_empty_boxes():
    choice = font_for("zh-Hant")

    night, market = _draw(choice, "夜"), _draw(choice, "市")
    missing = _draw(choice, "\U0010fffd")

    assert night.sum() > 0 and market.sum() > 0
    assert not np.array_equal(night, missing)
    assert not np.array_equal(market, missing)
    assert covers(choice, "夜市")


@needs_chinese_font
def test_chinese_font_prefers_noto_sans_cjk_tc_when_it_is_installed():
    choice = font_for("zh-Hant")

    assert choice.family == "Noto Sans CJK TC"
    font = ImageFont.truetype(str(choice.path), 20, index=choice.index)
    assert font.getname()[0] == "Noto Sans CJK TC"


@needs_chinese_font
def test_bold_chinese_font_is_a_bold_face():
    choice = font_for("zh-Hant", bold=True)

    font = ImageFont.truetype(str(choice.path), 20, index=choice.index)
    assert "bold" in font.getname()[1].lower()
    assert covers(choice, "夜市")


def test_english_font_is_an_existing_file_that_draws_latin():
    choice = font_for("en")

    assert choice.path.is_file()
    assert choice.family
    assert covers(choice, "Reelwright makes videos")


def test_lookups_are_answered_from_the_cache():
    assert font_for("en", bold=True) is font_for("en", bold=True)


def test_latin_only_font_is_known_to_lack_chinese():
    choice = _latin_only_font()

    assert not has_glyph(choice, "夜")
    assert has_glyph(choice, "R")


def test_space_needs_no_glyph_but_emoji_does():
    choice = _latin_only_font()

    assert covers(choice, "two words")
    assert not covers(choice, "bee 🐝")


def test_a_folder_font_is_found_by_its_family(tmp_path):
    latin = _latin_only_font()
    (tmp_path / latin.path.name).symlink_to(latin.path)

    found = font_in_folder(tmp_path, "en")

    assert found is not None
    assert found.family == latin.family
    assert found.path == tmp_path / latin.path.name


def test_a_folder_with_only_latin_fonts_has_none_for_chinese(tmp_path):
    latin = _latin_only_font()
    (tmp_path / latin.path.name).symlink_to(latin.path)

    assert font_in_folder(tmp_path, "zh-Hant") is None


def test_broken_font_files_and_other_files_in_a_folder_are_passed_over(tmp_path):
    (tmp_path / "broken.ttf").write_bytes(b"this is not a font")
    (tmp_path / "README.md").write_text("fonts go here", encoding="utf-8")

    assert font_in_folder(tmp_path, "en") is None
    assert font_in_folder(tmp_path / "missing", "en") is None


def test_bundled_fonts_are_chosen_before_system_fonts(
    tmp_path, monkeypatch, fresh_lookups
):
    bold_latin = font_for("en", bold=True)
    bundled = tmp_path / "resources" / "fonts"
    bundled.mkdir(parents=True)
    (bundled / "Bundled.ttf").symlink_to(bold_latin.path)
    # A frozen app finds its resources under sys._MEIPASS.
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    clear_font_cache()

    choice = font_for("en")

    assert choice.path == bundled / "Bundled.ttf"
    assert fonts_dir_for(choice) == bundled.resolve()


def test_without_any_chinese_font_the_error_says_how_to_install_one(
    tmp_path, monkeypatch, fresh_lookups
):
    # No fontconfig on PATH, an empty bundle: like a bare Linux machine.
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    clear_font_cache()

    with pytest.raises(PermanentError) as caught:
        font_for("zh-Hant")

    assert "fonts-noto-cjk" in caught.value.message
    assert str(tmp_path / "resources" / "fonts") in caught.value.message


def test_a_system_font_gets_a_fonts_folder_holding_only_that_font():
    choice = font_for("en")

    folder = fonts_dir_for(choice)

    files = [p for p in folder.iterdir() if not p.name.startswith(".")]
    assert [p.name for p in files] == [choice.path.name]
    assert files[0].stat().st_size == choice.path.stat().st_size
    assert folder != choice.path.parent


def test_fontconfig_answers_are_read_into_a_font_choice():
    latin = font_for("en")
    output = f"{latin.path}\nDejaVu Sans,DejaVu Sans Book\n0"

    choice = fonts._parse_fc_match(output, "DejaVu Sans:lang=en")

    assert choice == FontChoice(latin.path, "DejaVu Sans", 0)
    assert fonts._parse_fc_match("", "Noto Sans:lang=en") is None
    assert fonts._parse_fc_match(f"{os.devnull}x\nA\n0", "A") is None


def test_bundled_fonts_folder_documents_its_licences():
    readme = Path(fonts.bundled_fonts_dir()) / "README.md"

    assert "Open Font License" in readme.read_text(encoding="utf-8")
