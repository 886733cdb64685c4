"""The offline art cards and the fitting of a creator's own images."""

from __future__ import annotations

import subprocess

import numpy as np
import pytest
from PIL import Image

from core.errors import InputError
from core.providers.art_cards import ArtCardMaker, card_font, user_image_card
from core.providers.art_text import safe_area
from core.providers.base import ImageMaker, ImageRequest


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

LANDSCAPE = (1920, 1080)
SHORTS = (1080, 1920)


def _request(
    key_phrase: str = "How bees make honey",
    *,
    prompt: str = "a beehive glowing in warm evening light",
    size: tuple[int, int] = (640, 360),
    language: str = "en",
    seed: int = 0,
) -> ImageRequest:
    return ImageRequest(
        prompt=prompt,
        key_phrase=key_phrase,
        width=size[0],
        height=size[1],
        language=language,
        seed=seed,
    )


def _card(tmp_path, request: ImageRequest, name: str = "card.png") -> np.ndarray:
    out = tmp_path / name
    ArtCardMaker().make(request, out)
    with Image.open(out) as image:
        return np.asarray(image.convert("RGB"), dtype=np.int16)


def _brightened(with_text: np.ndarray, without: np.ndarray) -> np.ndarray:
    """Where the text's near-white ink lit up the background."""
    return (with_text - without).sum(axis=2) > 150


def test_art_card_maker_is_an_image_maker_with_a_versioned_identity():
    maker: ImageMaker = ArtCardMaker()

    assert maker.name == "art-cards"
    assert isinstance(maker.cache_identity()["version"], int)


def test_landscape_png_card_is_exactly_the_requested_size(tmp_path):
    out = tmp_path / "scene-1.png"

    ArtCardMaker().make(_request(size=LANDSCAPE), out)

    with Image.open(out) as image:
        assert image.format == "PNG"
        assert image.size == LANDSCAPE
        assert image.mode == "RGB"


def test_shorts_jpeg_card_is_exactly_the_requested_size(tmp_path):
    out = tmp_path / "scene-1.jpg"

    ArtCardMaker().make(_request(size=SHORTS), out)

    with Image.open(out) as image:
        assert image.format == "JPEG"
        assert image.size == SHORTS


def test_the_same_request_gives_identical_bytes(tmp_path):
    first, second = tmp_path / "a.png", tmp_path / "b.png"
    maker = ArtCardMaker()

    maker.make(_request(), first)
    maker.make(_request(), second)

    assert first.read_bytes() == second.read_bytes()


def test_different_prompts_paint_different_backgrounds(tmp_path):
    market = _card(tmp_path, _request("", prompt="a night market"), "a.png")
    bees = _card(tmp_path, _request("", prompt="bees on lavender"), "b.png")

    assert np.abs(market - bees).mean() > 8


def test_a_new_seed_paints_a_new_background_for_the_same_prompt(tmp_path):
    first = _card(tmp_path, _request("", seed=1), "a.png")
    second = _card(tmp_path, _request("", seed=2), "b.png")

    assert np.abs(first - second).mean() > 4


@needs_chinese_font
def test_chinese_key_phrase_is_drawn_inside_the_safe_area(tmp_path):
    size = (960, 540)
    with_text = _card(tmp_path, _request("台灣夜市", size=size, language="zh-Hant"))
    without = _card(tmp_path, _request("", size=size, language="zh-Hant"), "e.png")

    ink = _brightened(with_text, without)
    rows, columns = np.nonzero(ink)
    area = safe_area(*size)

    assert ink.sum() > 1500
    assert area.left <= columns.min() and columns.max() < area.right
    assert area.top <= rows.min() and rows.max() < area.bottom


@needs_chinese_font
def test_a_chinese_phrase_in_an_english_video_still_gets_a_chinese_font():
    assert card_font("夜市 night market", "en").family.startswith("Noto Sans CJK")


def test_english_key_phrase_leaves_the_subtitle_band_untouched(tmp_path):
    size = (540, 960)
    with_text = _card(tmp_path, _request("Honey, step by step", size=size))
    without = _card(tmp_path, _request("", size=size), "e.png")

    band_top = round(size[1] * 0.78)
    assert _brightened(with_text, without).sum() > 1500
    assert np.array_equal(with_text[band_top:], without[band_top:])


def test_hostile_text_is_drawn_literally_without_crashing(tmp_path):
    hostile = "{\\an8} %{pts} \"quoted\" 'single' back\\slash 🐝 $(rm -rf) <b>"

    with_text = _card(tmp_path, _request(hostile))
    without = _card(tmp_path, _request(""), "e.png")

    assert _brightened(with_text, without).sum() > 500


def test_a_phrase_the_font_cannot_draw_at_all_leaves_a_clean_card(tmp_path):
    emoji_only = _card(tmp_path, _request("🐝🍯"))
    empty = _card(tmp_path, _request(""), "e.png")

    assert np.array_equal(emoji_only, empty)


def test_an_unknown_image_type_is_refused(tmp_path):
    with pytest.raises(InputError, match="card.gif"):
        ArtCardMaker().make(_request(), tmp_path / "card.gif")


def _two_tone(size: tuple[int, int], split: str) -> Image.Image:
    """White on one half, black on the other: left|right or top|bottom."""
    image = Image.new("RGB", size, "black")
    half = (0, 0, size[0] // 2, size[1]) if split == "left" else (0, 0, *size)
    if split == "top":
        half = (0, 0, size[0], size[1] // 2)
    image.paste((255, 255, 255), half)
    return image


def _fit(tmp_path, source: Image.Image, size, **save_options) -> np.ndarray:
    src = tmp_path / "photo.jpg"
    source.save(src, quality=95, **save_options)
    out = tmp_path / "fitted.png"
    user_image_card(src, size[0], size[1], out)
    with Image.open(out) as image:
        assert image.size == size
        return np.asarray(image.convert("L"), dtype=np.int16)


def test_a_portrait_photo_covers_a_landscape_frame_without_stretching(tmp_path):
    fitted = _fit(tmp_path, _two_tone((500, 1000), "left"), LANDSCAPE)

    # Full width is kept, so the halves stay halves; nothing is letterboxed.
    assert fitted[:, :900].mean() > 240
    assert fitted[:, 1020:].mean() < 15


def test_a_landscape_photo_covers_a_shorts_frame_by_cropping_its_sides(tmp_path):
    source = _two_tone((1000, 500), "top")
    # Marks on the far left and right must be cropped away.
    source.paste((255, 0, 0), (0, 0, 100, 500))
    source.paste((255, 0, 0), (900, 0, 1000, 500))
    src = tmp_path / "wide.png"
    source.save(src)

    out = tmp_path / "fitted.jpg"
    user_image_card(src, *SHORTS, out)

    with Image.open(out) as image:
        assert image.size == SHORTS
        pixels = np.asarray(image.convert("RGB"), dtype=np.int16)
    reddish = (pixels[..., 0] - pixels[..., 1]) > 100
    assert not reddish.any()
    assert pixels[:900].mean() > 240 and pixels[1020:].mean() < 15


def test_exif_rotation_is_respected(tmp_path):
    # Stored sideways: the camera says "rotate 90 degrees clockwise to view".
    exif = Image.Exif()
    exif[0x0112] = 6

    fitted = _fit(tmp_path, _two_tone((400, 200), "left"), (540, 960), exif=exif)

    # Upright, the white half is on top.
    assert fitted[:430].mean() > 240
    assert fitted[530:].mean() < 15


def test_transparent_parts_of_a_creators_image_become_a_dark_matte(tmp_path):
    source = Image.new("RGBA", (400, 400), (255, 255, 255, 0))
    source.paste((255, 255, 255, 255), (0, 0, 200, 400))
    src = tmp_path / "logo.png"
    source.save(src)

    out = tmp_path / "fitted.png"
    user_image_card(src, 400, 400, out)

    with Image.open(out) as image:
        assert image.mode == "RGB"
        pixels = np.asarray(image)
    assert pixels[:, :190].mean() > 240
    assert pixels[:, 210:].mean() < 30


def test_a_sixteen_bit_image_keeps_its_tones(tmp_path):
    levels = np.full((100, 100), 32768, dtype=np.uint16)
    src = tmp_path / "scan.png"
    Image.fromarray(levels).save(src)

    out = tmp_path / "fitted.png"
    user_image_card(src, 100, 100, out)

    with Image.open(out) as image:
        assert 110 < np.asarray(image).mean() < 150


@pytest.mark.parametrize("name", ["holiday.jpg", "missing.png"])
def test_an_unreadable_image_is_an_input_error_naming_the_file(tmp_path, name):
    src = tmp_path / name
    if name == "holiday.jpg":
        src.write_bytes(b"this is not a picture")

    with pytest.raises(InputError, match=name):
        user_image_card(src, 320, 180, tmp_path / "out.png")

    assert not (tmp_path / "out.png").exists()
