"""YouTube chapters and the video description that carries them.

YouTube turns timestamp lines in a description into chapters only when the
first is at 00:00, there are at least three, and each lasts at least ten
seconds. The script writer describes the video from estimated scene lengths;
the pipeline describes it again once the voice has fixed the real start
times, so everything here is a pure function of its arguments.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.script.model import SceneDraft
from core.text import collapse_spaces

MIN_CHAPTERS = 3
MIN_CHAPTER_SECONDS = 10.0
MAX_DESCRIPTION_BYTES = 5000  # YouTube counts UTF-8 bytes, not characters
MAX_CHAPTER_TITLE_CHARS = 80
MIN_SUMMARY_BYTES = 200  # below this, drop chapters rather than the summary
MAX_HASHTAGS = 3  # YouTube shows the first three above the title

Section = tuple[str, float]  # (heading, start in seconds)


def chapters(sections: Sequence[Section], *, end: float | None = None) -> list[str]:
    """Return chapter lines such as ``01:05 Heading``, or [] if none qualify.

    ``sections`` are (heading, start seconds) in playing order. Chapters too
    short for YouTube are merged into a neighbour; the first one always
    starts at 00:00. ``end``, the video's length, lets the last chapter's
    length be checked too.
    """
    kept = _merge_short(_cleaned(sections), end)
    if len(kept) < MIN_CHAPTERS:
        return []
    return [f"{timestamp(start)} {heading}" for heading, start in kept]


def describe(
    summary: str,
    sections: Sequence[Section],
    tags: Sequence[str] = (),
    *,
    end: float | None = None,
) -> str:
    """Build a video description: summary, chapter lines, then hashtags.

    The result stays within YouTube's 5,000 bytes: the summary is
    shortened first, and chapters are left out only if they alone are too
    long. Angle brackets, which YouTube refuses, become look-alike marks.
    """
    summary = _youtube_safe(summary.strip())
    body = "\n".join(chapters(sections, end=end))
    hashtags = " ".join([_hashtag(t) for t in tags if _hashtag(t)][:MAX_HASHTAGS])

    room = _room_for_summary([body, hashtags])
    if _size(summary) > room and room < MIN_SUMMARY_BYTES:
        body = ""  # chapters alone overflow; the summary matters more
        room = _room_for_summary([body, hashtags])
    return _joined([_within_bytes(summary, room), body, hashtags])


def _room_for_summary(rest: Sequence[str]) -> int:
    used = _size(_joined(rest))
    return MAX_DESCRIPTION_BYTES - used - (2 if used else 0)


def sections_from_scenes(
    scenes: Sequence[SceneDraft], starts: Sequence[float]
) -> list[Section]:
    """Pair each scene that opens a section with the time it starts."""
    return [
        (scene.section, start)
        for scene, start in zip(scenes, starts, strict=True)
        if scene.section
    ]


def timestamp(seconds: float) -> str:
    """Write a start time as YouTube reads it: MM:SS, or H:MM:SS past an hour."""
    # Rounding down keeps a chapter from starting after its first words.
    whole = max(int(seconds), 0)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"


def _cleaned(sections: Sequence[Section]) -> list[Section]:
    cleaned = []
    for heading, start in sorted(sections, key=lambda section: section[1]):
        title = _youtube_safe(collapse_spaces(heading))
        if title:
            cleaned.append((_shortened(title, MAX_CHAPTER_TITLE_CHARS), start))
    if cleaned:
        # Whatever comes before the first heading belongs to its chapter.
        cleaned[0] = (cleaned[0][0], 0.0)
    return cleaned


def _merge_short(kept: list[Section], end: float | None) -> list[Section]:
    """Merge the shortest too-short chapter into a neighbour until none is left."""
    while len(kept) >= MIN_CHAPTERS:
        lengths = _lengths(kept, end)
        shortest = min(range(len(kept)), key=lengths.__getitem__)
        if lengths[shortest] >= MIN_CHAPTER_SECONDS:
            break
        # The first chapter must stay at 00:00, so it swallows the next one;
        # any other short chapter joins the one before it.
        del kept[1 if shortest == 0 else shortest]
    return kept


def _lengths(kept: list[Section], end: float | None) -> list[float]:
    starts = [int(start) for _, start in kept]
    last = float("inf") if end is None else end
    return [b - a for a, b in zip(starts, [*starts[1:], last], strict=True)]


def _hashtag(tag: str) -> str:
    word = "".join(c for c in tag if c.isalnum() or c == "_")
    return f"#{word}" if word else ""


def _youtube_safe(text: str) -> str:
    return text.replace("<", "‹").replace(">", "›")


def _shortened(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    if limit <= 1:
        return ""
    return text[: limit - 1].rstrip() + "…"


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _within_bytes(text: str, limit: int) -> str:
    if _size(text) <= limit:
        return text
    ellipsis = "…"
    cut = text.encode("utf-8")[: max(limit - _size(ellipsis), 0)]
    kept = cut.decode("utf-8", errors="ignore").rstrip()
    return kept + ellipsis if kept else ""


def _joined(parts: Sequence[str]) -> str:
    return "\n\n".join(part for part in parts if part)
