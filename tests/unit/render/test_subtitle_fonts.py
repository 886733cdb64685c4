"""Cutting the subtitle font down to the characters a video's subtitles use."""

from __future__ import annotations

from pathlib import Path

from fontTools.ttLib import TTFont

from core.fonts import font_for, fonts_dir_for
from core.render.subtitle_fonts import cut_fonts, style_families, write_subtitle_fonts
from core.render.subtitles import Cue, SubtitleStyle, write_ass


def _subtitles(folder: Path, family: str, lines: tuple[str, ...]) -> Path:
    path = folder / "subtitles.ass"
    write_ass([Cue(0.0, 1.0, lines)], SubtitleStyle.for_frame(640, 360, family), path)
    return path


def test_the_styled_face_is_kept_with_just_the_characters_used(tmp_path: Path):
    font = font_for("zh-Hant")
    subtitles = _subtitles(tmp_path, font.family, ("夜市的燈火",))
    written = write_subtitle_fonts(subtitles, fonts_dir_for(font), tmp_path / "fonts")

    assert len(written) == 1
    cut = TTFont(str(written[0]))
    cmap = cut.getBestCmap()
    assert all(ord(char) in cmap for char in "夜市的燈火AZaz09")
    assert ord("龍") not in cmap  # not in the subtitles: left out
    assert font.family.casefold() in {
        record.toUnicode().casefold() for record in cut["name"].names
    }
    assert written[0].stat().st_size < font.path.stat().st_size / 20


def test_faces_no_style_asks_for_are_left_out(tmp_path: Path):
    font = font_for("zh-Hant")
    subtitles = _subtitles(tmp_path, "A Family Nobody Has", ("hello",))
    assert cut_fonts(subtitles, fonts_dir_for(font), tmp_path / "f") == []
    assert (tmp_path / "f").is_dir()


def test_a_font_that_cannot_be_read_is_used_whole(tmp_path: Path):
    source = tmp_path / "source"
    source.mkdir()
    (source / "broken.ttf").write_bytes(b"\x00\x01\x00\x00 not a font at all")
    subtitles = _subtitles(tmp_path, "Broken", ("hello",))
    written = cut_fonts(subtitles, source, tmp_path / "fonts")
    assert [path.name for path in written] == ["broken.ttf"]
    assert not list(tmp_path.glob(".fonts.*"))  # no partial folder left


def test_style_families_reads_every_style_line():
    text = (
        "[V4+ Styles]\nFormat: Name, Fontname, Fontsize\n"
        "Style: Default,Noto Sans CJK TC,40\nStyle: Top,@Arial,30\n"
    )
    assert style_families(text) == {"noto sans cjk tc", "arial"}
