"""Painted backgrounds for the offline art cards.

A background is a soft abstract picture derived only from the scene's prompt
and seed: the hash of both picks one of a set of harmonious palettes and
drives every random choice after it, so the same scene always gets the
same picture. Layers, bottom to top: a linear gradient, large glowing
blobs, a ribbon of light, a vignette, out-of-focus bokeh, and film grain.
Smooth layers are painted at a quarter of the size, bokeh at half, and
only the grain at full size, which keeps a 1920x1080 card well under a
second.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

# Bumped whenever the same prompt would paint a different picture.
BACKGROUND_VERSION = 1

_SMOOTH_SCALE = 4  # smooth layers are painted this many times smaller
_BOKEH_SCALE = 2  # bokeh is soft too, so it is painted at half size
_GRAIN = 0.014  # standard deviation of the grain, in 0..1 colour units
_SATURATION = 1.3
_MAX_MEAN_LUMA = 0.4


@dataclass(frozen=True)
class Palette:
    """Colours that go together: two for the ground, two glows, one spark.

    The ground colours are dark enough that near-white text reads on them.
    """

    name: str
    deep: str
    mid: str
    glow: str
    glow2: str
    spark: str

    def rgb(self, role: str) -> np.ndarray:
        value = getattr(self, role).lstrip("#")
        channels = [int(value[i : i + 2], 16) / 255.0 for i in (0, 2, 4)]
        return np.array(channels, dtype=np.float32)


PALETTES = (
    Palette("dusk", "#1b1a3a", "#3e2c5e", "#e0777d", "#f4b860", "#ffe3b3"),
    Palette("ocean", "#0b1d2e", "#12406b", "#1fa2a6", "#6cd4c5", "#d8f3ee"),
    Palette("forest", "#0f1f17", "#1e4633", "#6a9955", "#c9b458", "#f1e7b6"),
    Palette("ember", "#1a0e0e", "#4a1c1c", "#d1492e", "#f29e4c", "#ffe0a3"),
    Palette("lavender", "#1e1b2e", "#4b3f72", "#9a7fd1", "#e7a6c9", "#f6e3f3"),
    Palette("lagoon", "#102a2e", "#1d4e56", "#2a9d8f", "#e76f51", "#f4e1c1"),
    Palette("midnight", "#0d1321", "#1d2d44", "#3e5c76", "#c9a227", "#f0ebd8"),
    Palette("rose", "#2b1320", "#5c2a44", "#c75c7e", "#f2a490", "#fbe2d5"),
    Palette("nordic", "#1c2430", "#33475b", "#7fa7c9", "#b8d8d8", "#eef3f4"),
    Palette("jade", "#0e2522", "#1b4d3e", "#3fa37b", "#a7d7a0", "#eaf6e6"),
    Palette("harbour", "#14213d", "#3a3d72", "#fca311", "#e85d75", "#ffe8d1"),
    Palette("plum", "#231a2e", "#4a2545", "#3d8b8b", "#d4a373", "#faedcd"),
)


def palette_for(prompt: str, seed: int) -> Palette:
    """The palette a prompt and seed always get."""
    return PALETTES[_digest(prompt, seed)[0] % len(PALETTES)]


def paint_background(prompt: str, seed: int, width: int, height: int) -> Image.Image:
    """Paint the RGB background for a scene, the same every time."""
    digest = _digest(prompt, seed)
    palette = PALETTES[digest[0] % len(PALETTES)]
    rng = np.random.default_rng(int.from_bytes(digest[1:17], "big"))

    small = (max(1, width // _SMOOTH_SCALE), max(1, height // _SMOOTH_SCALE))
    canvas = _gradient(small, palette, rng)
    _add_blobs(canvas, palette, rng)
    _add_ribbons(canvas, palette, rng)
    _add_rays(canvas, palette, rng)
    _settle_tone(canvas)
    _darken_edges(canvas)

    half = (max(1, width // _BOKEH_SCALE), max(1, height // _BOKEH_SCALE))
    canvas = _upscale(canvas, *half)
    _add_bokeh(canvas, palette, rng)
    canvas = _upscale(canvas, width, height)
    canvas += rng.standard_normal((height, width, 1), dtype=np.float32) * _GRAIN
    pixels = np.clip(canvas * 255.0 + 0.5, 0, 255).astype(np.uint8)
    return Image.fromarray(pixels, "RGB")


def _digest(prompt: str, seed: int) -> bytes:
    key = f"{BACKGROUND_VERSION}\0{seed}\0{prompt}".encode()
    return hashlib.sha256(key).digest()


def _grid(shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray, float]:
    """Pixel coordinates scaled so that the longer side runs from 0 to 1."""
    width, height = shape
    scale = float(max(width, height))
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    return xs / scale, ys / scale, scale


def _gradient(shape: tuple[int, int], palette: Palette, rng: np.random.Generator):
    xs, ys, _ = _grid(shape)
    angle = rng.uniform(0, 2 * np.pi)
    along = xs * np.cos(angle) + ys * np.sin(angle)
    spread = float(along.max() - along.min()) or 1.0
    t = (along - along.min()) / spread
    t = t * t * (3 - 2 * t)  # smoothstep: no hard start or end to the ramp
    deep, mid = palette.rgb("deep"), palette.rgb("mid")
    return (deep + (mid - deep) * t[..., None]).astype(np.float32)


def _blend(canvas: np.ndarray, colour: np.ndarray, alpha: np.ndarray) -> None:
    """Mix ``colour`` into the canvas in place, by a per-pixel alpha."""
    canvas += (colour - canvas) * alpha[..., None]


def _screen(canvas: np.ndarray, colour: np.ndarray, alpha: np.ndarray) -> None:
    """Add light the way overlapping projectors do: bright, never clipped."""
    canvas[...] = 1.0 - (1.0 - canvas) * (1.0 - colour * alpha[..., None])


def _add_blobs(canvas: np.ndarray, palette: Palette, rng: np.random.Generator):
    height, width = canvas.shape[:2]
    xs, ys, scale = _grid((width, height))
    roles = ("glow", "glow2", "glow", "mid")
    for role in roles[: rng.integers(2, 5)]:
        cx = rng.uniform(-0.1, 1.1) * width / scale
        cy = rng.uniform(-0.1, 1.1) * height / scale
        radius = rng.uniform(0.14, 0.34)
        strength = rng.uniform(0.35, 0.75)
        falloff = np.exp(-((xs - cx) ** 2 + (ys - cy) ** 2) / (2 * radius**2))
        _screen(canvas, palette.rgb(role), falloff * strength)


def _add_ribbons(canvas: np.ndarray, palette: Palette, rng: np.random.Generator):
    """Soft bands of light along a wave, like an aurora or a silk scarf."""
    height, width = canvas.shape[:2]
    xs, ys, scale = _grid((width, height))
    for _ in range(rng.integers(0, 3)):
        centre = rng.uniform(0.2, 0.8) * height / scale
        amplitude = rng.uniform(0.03, 0.12)
        frequency = rng.uniform(2.0, 6.0)
        phase = rng.uniform(0, 2 * np.pi)
        thickness = rng.uniform(0.03, 0.08)
        wave = centre + amplitude * np.sin(frequency * xs + phase)
        band = np.exp(-(((ys - wave) / thickness) ** 2))
        _screen(canvas, palette.rgb("spark"), band * rng.uniform(0.15, 0.32))


def _add_rays(canvas: np.ndarray, palette: Palette, rng: np.random.Generator):
    """Shafts of light fanning out from a point above the frame."""
    if rng.uniform() < 0.55:
        return
    height, width = canvas.shape[:2]
    xs, ys, scale = _grid((width, height))
    ox = rng.uniform(0.0, 1.0) * width / scale
    oy = -rng.uniform(0.05, 0.3)
    angle = np.arctan2(ys - oy, xs - ox)
    shafts = (0.5 + 0.5 * np.sin(angle * rng.uniform(9, 16) + rng.uniform(0, 6))) ** 3
    fade = np.exp(-np.hypot(xs - ox, ys - oy) / rng.uniform(0.35, 0.6))
    _screen(canvas, palette.rgb("spark"), shafts * fade * rng.uniform(0.12, 0.22))


def _settle_tone(canvas: np.ndarray) -> None:
    """Richer colour, and never so bright overall that white text fades."""
    luma = canvas @ np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)
    canvas[...] = luma[..., None] + (canvas - luma[..., None]) * _SATURATION
    mean = float(luma.mean())
    if mean > _MAX_MEAN_LUMA:
        canvas *= _MAX_MEAN_LUMA / mean
    np.clip(canvas, 0.0, 1.0, out=canvas)


def _darken_edges(canvas: np.ndarray) -> None:
    height, width = canvas.shape[:2]
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    dx = (xs / max(width - 1, 1)) * 2 - 1
    dy = (ys / max(height - 1, 1)) * 2 - 1
    distance = np.sqrt(dx * dx + dy * dy) / np.sqrt(2)
    ramp = np.clip((distance - 0.35) / 0.65, 0, 1)
    canvas *= (1.0 - 0.55 * ramp * ramp)[..., None]


def _upscale(canvas: np.ndarray, width: int, height: int) -> np.ndarray:
    """Scale up in floating point, so gradients keep their fine steps."""
    channels = [
        np.asarray(
            Image.fromarray(np.ascontiguousarray(canvas[..., c], np.float32)).resize(
                (width, height), Image.Resampling.BICUBIC
            )
        )
        for c in range(3)
    ]
    return np.stack(channels, axis=-1)


def _add_bokeh(canvas: np.ndarray, palette: Palette, rng: np.random.Generator):
    """Out-of-focus discs of light: large dim ones far away, small bright near."""
    height, width = canvas.shape[:2]
    size = (width, height)
    longest = max(size)
    layers = (
        ("glow2", int(rng.integers(0, 10)), (0.03, 0.075), (20, 55), longest / 160),
        ("spark", int(rng.integers(0, 18)), (0.008, 0.03), (35, 100), longest / 700),
    )
    for role, count, radii, levels, blur in layers:
        if count == 0:
            continue
        layer = Image.new("L", size)
        draw = ImageDraw.Draw(layer)
        for _ in range(count):
            x, y = rng.uniform(0, size[0]), rng.uniform(0, size[1])
            radius = longest * rng.uniform(*radii)
            level = int(rng.integers(*levels))
            # Real bokeh is brightest at its rim.
            rim = max(1, round(radius * 0.08))
            box = (x - radius, y - radius, x + radius, y + radius)
            draw.ellipse(box, fill=level, outline=min(255, level + 35), width=rim)
        layer = layer.filter(ImageFilter.GaussianBlur(max(0.8, blur)))
        alpha = np.asarray(layer, dtype=np.float32) / 255.0
        _screen(canvas, palette.rgb(role), alpha)
