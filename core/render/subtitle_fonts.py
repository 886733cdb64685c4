"""The subtitles' fonts, cut down to the characters the subtitles use.

libass reads every font of its fonts folder whole into memory, in every
segment's FFmpeg: a CJK font is 20 MB of file and about 25 MB of the
segment's peak memory. Cut down to the glyphs of one video's subtitles
(with fontTools, the reference implementation of OpenType subsetting) it
is some 50 KB. Kept in the render's work folder, the cut-down font also
travels with the render: a worker on another machine that shares the
storage draws the same glyphs without the font installed.

Only the faces the subtitle styles name are kept; libass finds a face by
family name, so the others would never be drawn. A font fontTools cannot
cut is used whole, as before.

The cutting runs in a short-lived child process: fontTools holds a CJK
font's tables in memory while it works (some 50 MB), which a render process
would otherwise keep for the rest of the render, beside FFmpeg.
"""

from __future__ import annotations

import logging
import os
import shutil
import string
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont, TTLibError

from core.fonts import FONT_SUFFIXES

log = logging.getLogger(__name__)

# Name table entries libass matches a style's font name against: family,
# full name, PostScript name, typographic family.
_NAME_IDS = (1, 4, 6, 16)


def write_subtitle_fonts(subtitles: Path, source: Path, folder: Path) -> list[Path]:
    """Write the faces of ``source`` that ``subtitles`` uses into ``folder``.

    ``folder`` is made whole or not at all (a temporary folder renamed into
    place), so an interrupted render never finds half of it. Returns the
    font files written.
    """
    if not folder.is_dir():
        command = [*_child_command(), str(subtitles), str(source), str(folder)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            log.warning("Cutting the fonts down failed: %s", done.stderr[-500:])
            cut_fonts(subtitles, source, folder)
    return sorted(folder.iterdir())


def _child_command() -> list[str]:
    if getattr(sys, "frozen", False):  # the app's own executable runs it
        return [sys.executable, "cut-fonts"]
    return [sys.executable, "-m", "core.render.subtitle_fonts"]


def main(argv: list[str]) -> int:
    """``python -m core.render.subtitle_fonts SUBTITLES SOURCE FOLDER``."""
    subtitles, source, folder = (Path(arg) for arg in argv)
    logging.basicConfig(level=logging.WARNING)
    cut_fonts(subtitles, source, folder)
    return 0


def cut_fonts(subtitles: Path, source: Path, folder: Path) -> list[Path]:
    """Cut the fonts down in this process; see ``write_subtitle_fonts``."""
    if folder.is_dir():
        return sorted(folder.iterdir())
    text = subtitles.read_text(encoding="utf-8-sig")
    families = style_families(text)
    partial = folder.with_name(f".{folder.name}.{os.getpid()}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    fonts = sorted(p for p in source.iterdir() if p.suffix.lower() in FONT_SUFFIXES)
    for path in fonts:
        try:
            _write_faces(path, families, text, partial)
        except (TTLibError, OSError, KeyError, AssertionError) as error:
            # A font fontTools cannot read or cut: libass gets it whole.
            log.warning(
                "Could not cut down the font %s (%s); using it whole.", path, error
            )
            shutil.copyfile(path, partial / path.name)
    try:
        os.replace(partial, folder)
    except OSError:  # another worker made it first: theirs is as good
        shutil.rmtree(partial, ignore_errors=True)
    return sorted(folder.iterdir())


def style_families(ass_text: str) -> set[str]:
    """The font names the ``Style:`` lines of an ASS file ask for."""
    families = set()
    for line in ass_text.splitlines():
        if line.startswith("Style:"):
            fields = line[len("Style:") :].split(",")
            if len(fields) > 1:
                families.add(fields[1].strip().lstrip("@").casefold())
    return families


def _write_faces(path: Path, families: set[str], text: str, folder: Path) -> None:
    for index, font in _faces(path):
        if not _names(font) & families:
            continue
        options = subset.Options()
        options.name_IDs = ["*"]  # keep every name libass may match on
        options.name_languages = ["*"]
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        # Every character of the file, styles and all, and plain ASCII, so
        # a stray character in a cue never falls back to another font.
        subsetter.populate(text=text + string.printable)
        subsetter.subset(font)
        suffix = ".otf" if "CFF " in font or "CFF2" in font else ".ttf"
        font.save(folder / f"{path.stem}-{index}{suffix}")
        log.debug("Cut %s face %d down for the subtitles.", path.name, index)


def _faces(path: Path) -> Iterator[tuple[int, TTFont]]:
    if path.suffix.lower() in (".ttc", ".otc"):
        count = len(TTCollection(str(path), lazy=True).fonts)
        for index in range(count):
            yield index, TTFont(str(path), fontNumber=index, lazy=True)
    else:
        yield 0, TTFont(str(path), lazy=True)


def _names(font: TTFont) -> set[str]:
    table = font["name"]
    return {
        record.toUnicode(errors="replace").strip().casefold()
        for record in table.names
        if record.nameID in _NAME_IDS
    }


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
