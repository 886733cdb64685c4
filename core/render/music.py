"""The default music bed: a soft synthesised pad, made once and cached.

Reelwright ships no recorded music, whose licences would follow every
video; a quiet chord pad synthesised by FFmpeg is free to use anywhere and
sits well under a voice. A creator's own track replaces it.
"""

from __future__ import annotations

from pathlib import Path

from core.render.ffmpeg import run_ffmpeg
from core.storage import atomic_output

BED_SECONDS = 32  # loops seamlessly: every partial is a whole number of cycles
BED_VERSION = 1

# Two chords (A minor 9, F major 7), four seconds each, softly swelling.
_CHORDS = ((110.0, 164.8125, 246.9375, 261.625), (87.3125, 130.8125, 220.0, 329.625))


def _partial(frequency: float, weight: float) -> str:
    # Snap each frequency so the loop point falls on a zero crossing.
    cycles = round(frequency * 8)
    return f"{weight}*sin(2*PI*{cycles / 8}*t)"


def _chord(notes: tuple[float, ...]) -> str:
    weights = (0.22, 0.16, 0.12, 0.10)
    return "+".join(_partial(f, w) for f, w in zip(notes, weights, strict=True))


def pad_expression() -> str:
    swell = "(0.55+0.45*sin(2*PI*t/8-PI/2))"  # one breath per chord
    first, second = (_chord(notes) for notes in _CHORDS)
    return f"{swell}*if(lt(mod(t\\,16)\\,8)\\,{first}\\,{second})"


def default_music_bed(cache_dir: Path) -> Path:
    """The bundled bed, synthesised into ``cache_dir`` the first time."""
    out = cache_dir / "music" / f"soft-pad-v{BED_VERSION}.wav"
    if out.is_file():
        return out
    expression = pad_expression()
    source = (
        f"aevalsrc=exprs={expression}|{expression}:s=48000:d={BED_SECONDS},"
        "lowpass=f=1800,aecho=0.8:0.6:90|170:0.25|0.15"
    )
    with atomic_output(out) as temporary:
        run_ffmpeg(
            ["-f", "lavfi", "-i", source, "-c:a", "pcm_s16le", str(temporary)],
            output=temporary,
        )
    return out
