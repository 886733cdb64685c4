"""The offline image maker: generated art cards, and the creator's own images.

When no image service is configured (the default, since Reelwright works
offline), every scene gets an art card: a painted abstract background chosen
by the scene's prompt (see :mod:`core.providers.art_background`) with the
scene's key phrase set large on it (see :mod:`core.providers.art_text`).
The same request always gives the same bytes, so the content-addressed
cache can keep one card per scene. A creator's own image for a scene always
wins over any maker; :func:`user_image_card` fits it to the video's frame.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from core.errors import InputError
from core.fonts import FontChoice, font_for, has_glyph
from core.providers.art_background import (
    BACKGROUND_VERSION,
    Palette,
    paint_background,
    palette_for,
)
from core.providers.art_text import draw_text, layout_text, safe_area
from core.providers.base import ImageRequest
from core.text import CHINESE, collapse_spaces, is_cjk, normalize

logger = logging.getLogger(__name__)

# Bumped whenever the same request would give a different card.
ART_CARDS_VERSION = 1

_LARGEST_TEXT = 0.13  # font size as a share of the card's shorter side
_SMALLEST_TEXT = 0.045
# Grain barely compresses: level 1 takes a fifth of the time of the default
# level for files only 5% larger.
_PNG_COMPRESSION = 1
_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}
# Over transparent parts of a creator's image, the cards' own dark ground.
_MATTE = (16, 16, 20)
# Faces and horizons sit above the middle of most photos.
_CROP_CENTRE = (0.5, 0.4)


class ArtCardMaker:
    """Makes a generated art card for each scene, fully offline."""

    name = "art-cards"

    def __init__(self, *, jpeg_quality: int = 92) -> None:
        self.jpeg_quality = jpeg_quality

    def cache_identity(self) -> dict[str, object]:
        # Limitation: the font found on this machine is not part of the
        # identity, so cards cached before a better font was installed or
        # bundled keep the old font until ART_CARDS_VERSION changes.
        return {
            "maker": self.name,
            "version": ART_CARDS_VERSION,
            "background": BACKGROUND_VERSION,
            "jpeg_quality": self.jpeg_quality,
        }

    def make(self, request: ImageRequest, out: Path) -> None:
        """Write the card for ``request`` to ``out`` (.png or .jpg)."""
        _check_size(request.width, request.height)
        card = paint_background(
            request.prompt, request.seed, request.width, request.height
        )
        palette = palette_for(request.prompt, request.seed)
        card = _draw_key_phrase(card, request, palette)
        save_image(card, out, jpeg_quality=self.jpeg_quality)
        logger.debug("Made an art card of %dx%d at %s.", *card.size, out)


def user_image_card(
    src: Path, width: int, height: int, out: Path, *, jpeg_quality: int = 92
) -> None:
    """Fit the creator's image ``src`` to ``width`` x ``height`` and save it.

    The image is turned upright by its EXIF orientation and cropped to
    cover the whole frame, never letterboxed.
    """
    _check_size(width, height)
    image = _open_user_image(src, max(width, height))
    fitted = ImageOps.fit(
        image, (width, height), Image.Resampling.LANCZOS, centering=_CROP_CENTRE
    )
    save_image(fitted, out, jpeg_quality=jpeg_quality)


def save_image(image: Image.Image, out: Path, *, jpeg_quality: int = 92) -> None:
    """Save as PNG or JPEG by the name's suffix; the file appears only whole."""
    kind = _FORMATS.get(out.suffix.lower())
    if kind is None:
        raise InputError(f"Cannot write an image to {out}: use a .png or .jpg name.")
    options: dict[str, object] = (
        {"quality": jpeg_quality, "optimize": False}
        if kind == "JPEG"
        else {"compress_level": _PNG_COMPRESSION}
    )

    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.{os.getpid()}.part")
    try:
        image.convert("RGB").save(partial, format=kind, **options)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)


def card_font(phrase: str, language: str) -> FontChoice:
    """The bold font for a key phrase; any CJK in it asks for a CJK font."""
    if any(is_cjk(char) for char in phrase):
        language = CHINESE
    return font_for(language, bold=True)


def _draw_key_phrase(
    card: Image.Image, request: ImageRequest, palette: Palette
) -> Image.Image:
    phrase = collapse_spaces(normalize(request.key_phrase))
    if not phrase:
        return card
    choice = card_font(phrase, request.language)
    # Characters the font lacks (emoji, mostly) would show as empty boxes.
    phrase = collapse_spaces(
        "".join(c for c in phrase if c.isspace() or has_glyph(choice, c))
    )

    shorter = min(card.size)
    layout = layout_text(
        phrase,
        choice,
        safe_area(*card.size),
        max_size=max(8, round(shorter * _LARGEST_TEXT)),
        min_size=max(8, round(shorter * _SMALLEST_TEXT)),
    )
    if layout is None:
        return card
    return draw_text(
        card, layout, ink=_ink(palette), shade=_shade(palette), accent=_accent(palette)
    )


def _ink(palette: Palette) -> str:
    """Near-white with a hint of the palette, so text belongs to its card."""
    tint = 0.3 * palette.rgb("spark") + 0.7
    return _hex(tint)


def _accent(palette: Palette) -> str:
    """The brighter glow, so the rule under the text shows on the ground."""
    weights = np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)
    glows = [palette.rgb("glow"), palette.rgb("glow2")]
    return _hex(max(glows, key=lambda rgb: float(rgb @ weights)))


def _shade(palette: Palette) -> str:
    return _hex(palette.rgb("deep") * 0.45)


def _hex(rgb: np.ndarray) -> str:
    return "#" + "".join(f"{round(float(c) * 255):02x}" for c in rgb)


def _check_size(width: int, height: int) -> None:
    if width < 1 or height < 1:
        raise InputError(f"An image must be at least 1x1 pixels, not {width}x{height}.")


def _open_user_image(src: Path, longest: int) -> Image.Image:
    """Read any image Pillow knows, upright and in RGB; InputError if not."""
    try:
        with Image.open(src) as opened:
            # JPEGs can decode at a fraction of their size: much faster for
            # camera photos, and still at least as large as the frame.
            opened.draft("RGB", (longest, longest))
            upright = ImageOps.exif_transpose(opened)
            upright.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise InputError(
            f"The image {src} could not be read ({error}). "
            "Use a JPEG, PNG or WebP file, or remove it from the scene."
        ) from error
    return _as_rgb(upright)


def _as_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("I", "F") or image.mode.startswith("I;"):
        image = _eight_bit(image)
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        matte = Image.new("RGB", rgba.size, _MATTE)
        matte.paste(rgba, mask=rgba.getchannel("A"))
        return matte
    return image.convert("RGB")


def _eight_bit(image: Image.Image) -> Image.Image:
    """Scale 16-bit and floating-point greys to 8 bits; Pillow would clip them."""
    levels = np.asarray(image, dtype=np.float32)
    if image.mode == "F" and levels.max() <= 1.0:
        levels = levels * 255.0
    elif levels.max() > 255:
        levels = levels / 257.0  # 65535 -> 255
    return Image.fromarray(np.clip(levels + 0.5, 0, 255).astype(np.uint8))
