"""Finding a font that covers the text's script, on any machine Reelwright runs on.

The art cards draw key phrases with Pillow and the subtitle renderer hands a
family name and a fonts folder to libass, so both need a font that really
has the glyphs: Traditional Chinese for Chinese content, a clean sans for
the rest. Fonts are looked for in the app's bundled ``resources/fonts``
first, then through fontconfig, then at the well-known places of Windows
and macOS; a candidate is accepted only after drawing a probe string with it
shows real glyphs rather than the empty-box glyph fonts draw for what they
lack.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from core.errors import PermanentError
from core.resources import resources_dir
from core.text import is_chinese

logger = logging.getLogger(__name__)

FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")

# Traditional Chinese families first; Simplified ones still draw Traditional
# characters, only with mainland glyph shapes, so they are the last resort.
CHINESE_FAMILIES = (
    "Noto Sans CJK TC",
    "Noto Sans TC",
    "Source Han Sans TC",
    "Source Han Sans TW",
    "Noto Sans CJK HK",
    "Microsoft JhengHei",
    "PingFang TC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "PingFang SC",
)
# Noto Sans CJK carries good Latin letters too, so it follows the Latin
# families for machines that have nothing better.
LATIN_FAMILIES = (
    "Noto Sans",
    "DejaVu Sans",
    "Liberation Sans",
    "Segoe UI",
    "Arial",
    "Helvetica Neue",
    "Helvetica",
    *CHINESE_FAMILIES,
)

_WINDOWS_FONTS = (
    "msjh.ttc",
    "msjhbd.ttc",
    "msyh.ttc",
    "msyhbd.ttc",
    "segoeui.ttf",
    "segoeuib.ttf",
    "arial.ttf",
    "arialbd.ttf",
)
_MACOS_FONTS = (
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/Hiragino Sans GB.ttc",
    "/System/Library/Fonts/Helvetica.ttc",
    "/System/Library/Fonts/Supplemental/Arial.ttf",
    "/Library/Fonts/Arial.ttf",
)
_REGULAR_STYLES = ("regular", "book", "normal", "roman", "")
# A code point no font maps: drawing it shows the font's .notdef glyph.
_UNMAPPED = "\U0010fffd"
_PROBE_SIZE = 32
_FC_TIMEOUT = 10.0  # seconds


@dataclass(frozen=True)
class FontChoice:
    """A font file and the family name libass and fontconfig know it by.

    ``index`` picks the face inside a collection (.ttc) for Pillow.
    """

    path: Path
    family: str
    index: int = 0


@dataclass(frozen=True)
class _Need:
    families: tuple[str, ...]
    probe: str
    fc_lang: str


_CHINESE = _Need(CHINESE_FAMILIES, "夜市臺灣", "zh-tw")
_LATIN = _Need(LATIN_FAMILIES, "Reelwright", "en")


@dataclass(frozen=True)
class _Face:
    choice: FontChoice
    style: str


def bundled_fonts_dir() -> Path:
    """The folder of fonts the app carries with it."""
    return resources_dir() / "fonts"


@functools.cache
def font_for(language: str, *, bold: bool = False) -> FontChoice:
    """Find a font for text in ``language``, bold when asked and available.

    Raises :class:`PermanentError` with install advice when none is found.
    """
    need = _CHINESE if is_chinese(language) else _LATIN
    choice = (
        font_in_folder(bundled_fonts_dir(), language, bold=bold)
        or _fontconfig_font(need, bold)
        or _best_face(_well_known_files(), need, bold)
    )
    if choice is None:
        raise PermanentError(_missing_message(need))
    logger.debug(
        "Chose font %s (%s) for %s text.", choice.family, choice.path, language
    )
    return choice


def font_in_folder(
    folder: Path, language: str, *, bold: bool = False
) -> FontChoice | None:
    """Pick the best font for ``language`` among the font files in ``folder``."""
    if not folder.is_dir():
        return None
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in FONT_SUFFIXES)
    need = _CHINESE if is_chinese(language) else _LATIN
    return _best_face(files, need, bold)


def covers(choice: FontChoice, text: str) -> bool:
    """Tell whether the font has a real glyph for every visible character."""
    return all(has_glyph(choice, char) for char in text if not char.isspace())


@functools.cache
def has_glyph(choice: FontChoice, char: str) -> bool:
    """Tell whether the font draws ``char`` as itself, not as an empty box."""
    font = _probe_font(choice)
    drawn = _draw(font, char)
    if drawn.count(0) == len(drawn):
        return False
    return drawn != _draw(font, _UNMAPPED)


@functools.cache
def fonts_dir_for(choice: FontChoice) -> Path:
    """Return a folder to hand libass as ``fontsdir`` so it finds ``choice``.

    libass reads every file of that folder into memory, so a system font is
    given its own small folder instead of, say, all of C:\\Windows\\Fonts.
    """
    bundled = bundled_fonts_dir().resolve()
    if choice.path.parent.resolve() == bundled:
        return bundled
    return _single_font_dir(choice.path)


def clear_font_cache() -> None:
    """Forget every lookup, so fonts installed since are found."""
    for cached in (font_for, has_glyph, fonts_dir_for, _faces, _fc_match, _probe_font):
        cached.cache_clear()


def _missing_message(need: _Need) -> str:
    if need is _CHINESE:
        script, install = "Chinese", "Noto Sans CJK"
        package = "fonts-noto-cjk"
    else:
        script, install, package = "Latin", "Noto Sans", "fonts-noto-core"
    return (
        f"No font that covers {script} was found. Install {install} "
        f"(Debian/Ubuntu: sudo apt-get install {package}) or put a "
        f"{'CJK ' if need is _CHINESE else ''}font in {bundled_fonts_dir()}."
    )


def _best_face(files: Iterable[Path], need: _Need, bold: bool) -> FontChoice | None:
    faces = [face for path in files for face in _faces(path)]
    faces.sort(key=lambda face: (_family_rank(face, need), _style_rank(face, bold)))
    for face in faces:
        if _style_rank(face, bold) < 2 and covers(face.choice, need.probe):
            return face.choice
    return None


def _family_rank(face: _Face, need: _Need) -> int:
    """The family's place in the preference list; unknown families last."""
    lowered = [name.lower() for name in need.families]
    family = face.choice.family.lower()
    return lowered.index(family) if family in lowered else len(lowered)


def _style_rank(face: _Face, bold: bool) -> int:
    """0 for the style asked for, 1 for another upright one, 2 for italics."""
    style = face.style.lower()
    if "italic" in style or "oblique" in style:
        return 2
    if bold:
        return 0 if "bold" in style else 1
    return 0 if style in _REGULAR_STYLES else 1


@functools.cache
def _faces(path: Path) -> tuple[_Face, ...]:
    """Every face in a font file, or none when Pillow cannot open it."""
    faces: list[_Face] = []
    while True:
        try:
            font = ImageFont.truetype(str(path), _PROBE_SIZE, index=len(faces))
        except OSError:
            break
        family, style = font.getname()
        faces.append(
            _Face(FontChoice(path, family or path.stem, len(faces)), style or "")
        )
        if path.suffix.lower() not in (".ttc", ".otc"):
            break
    return tuple(faces)


def _fontconfig_font(need: _Need, bold: bool) -> FontChoice | None:
    weight = ":weight=bold" if bold else ""
    for family in need.families:
        choice = _fc_match(f"{family}:lang={need.fc_lang}{weight}")
        if choice and choice.family == family and covers(choice, need.probe):
            return choice
    # Any family fontconfig itself considers right for the language.
    choice = _fc_match(f"sans-serif:lang={need.fc_lang}{weight}")
    if choice and covers(choice, need.probe):
        return choice
    return None


@functools.cache
def _fc_match(pattern: str) -> FontChoice | None:
    """Ask fontconfig for its best match; None where there is no fontconfig."""
    command = ["fc-match", "-f", "%{file}\n%{family}\n%{index}", pattern]
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            timeout=_FC_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return _parse_fc_match(result.stdout, pattern)


def _parse_fc_match(output: str, pattern: str) -> FontChoice | None:
    parts = output.split("\n")
    if len(parts) != 3 or not parts[0] or not Path(parts[0]).is_file():
        logger.debug("fc-match gave no usable font for %r: %r", pattern, output)
        return None
    families = [name.replace("\\", "") for name in parts[1].split(",")]
    wanted = pattern.split(":", 1)[0]
    family = wanted if wanted in families else families[0]
    index = int(parts[2]) if parts[2].isdigit() else 0
    return FontChoice(Path(parts[0]), family, index)


def _well_known_files() -> list[Path]:
    windows = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
    candidates = [windows / name for name in _WINDOWS_FONTS]
    candidates += [Path(name) for name in _MACOS_FONTS]
    return [path for path in candidates if path.is_file()]


@functools.cache
def _probe_font(choice: FontChoice) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(
        str(choice.path),
        _PROBE_SIZE,
        index=choice.index,
        layout_engine=ImageFont.Layout.BASIC,
    )


def _draw(font: ImageFont.FreeTypeFont, char: str) -> bytes:
    canvas = Image.new("L", (_PROBE_SIZE * 3, _PROBE_SIZE * 3))
    ImageDraw.Draw(canvas).text((_PROBE_SIZE, _PROBE_SIZE), char, font=font, fill=255)
    return canvas.tobytes()


def _single_font_dir(path: Path) -> Path:
    stat = path.stat()
    key = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    folder = Path(tempfile.gettempdir()) / "reelwright-fonts" / digest
    target = folder / path.name
    if target.is_file() and target.stat().st_size == stat.st_size:
        return folder

    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{path.name}.{os.getpid()}.part"
    try:
        os.link(path, partial)
    except OSError:
        # Hard links fail across drives and on files owned by another user.
        shutil.copyfile(path, partial)
    os.replace(partial, target)
    return folder
