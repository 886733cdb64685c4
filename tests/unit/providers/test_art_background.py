"""Painted backgrounds: chosen by the prompt, repeatable, and dark enough."""

from __future__ import annotations

import numpy as np

from core.providers.art_background import PALETTES, paint_background, palette_for

PROMPTS = [f"scene {number}: a walk through the old town" for number in range(24)]


def _luma(rgb: np.ndarray) -> np.ndarray:
    return rgb @ np.array([0.2126, 0.7152, 0.0722])


def test_a_prompt_always_gets_the_same_palette_and_picture():
    first = paint_background("lanterns over a market", 7, 320, 180)
    second = paint_background("lanterns over a market", 7, 320, 180)

    assert palette_for("lanterns over a market", 7) == palette_for(
        "lanterns over a market", 7
    )
    assert first.tobytes() == second.tobytes()


def test_prompts_spread_over_many_palettes():
    used = {palette_for(prompt, 0).name for prompt in PROMPTS}

    assert len(used) >= len(PALETTES) // 2


def test_every_palette_has_a_ground_dark_enough_for_white_text():
    for palette in PALETTES:
        assert _luma(palette.rgb("deep")) < 0.15, palette.name
        assert _luma(palette.rgb("mid")) < 0.35, palette.name


def test_painted_backgrounds_stay_dark_enough_overall_for_white_text():
    for prompt in PROMPTS:
        picture = np.asarray(paint_background(prompt, 0, 192, 108)) / 255.0

        assert _luma(picture).mean() < 0.45, prompt


def test_backgrounds_of_odd_and_tiny_sizes_are_painted_to_size():
    for size in [(1, 1), (7, 3), (333, 999)]:
        assert paint_background("tiny", 0, *size).size == size
