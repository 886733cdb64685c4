"""SSML for the cloud voice: marked phrases, packed into requests that fit.

Google Cloud Text-to-Speech takes at most 5,000 bytes of input per request
and reports, for each ``<mark>`` in the SSML, the moment it was reached. We
put a mark before every phrase (see :func:`core.text.split_phrases`) so each
phrase's start comes back from the service, and pack whole sentences into as
few requests as fit. Only a sentence too long for one request is broken, and
then at its phrase boundaries, which are clause or word breaks.

Everything here is pure text work; :mod:`core.providers.google_tts` does the
talking.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from core.errors import InputError
from core.text import normalize, speech_weight, split_phrases, split_sentences

# The service's documented input limit, tags included.
MAX_INPUT_BYTES = 5000

_OPEN = "<speak>"
_CLOSE = "</speak>"
_ENTITIES = {'"': "&quot;", "'": "&apos;"}
# Characters XML 1.0 cannot carry at all, even escaped; a strict SSML parser
# rejects the whole request over one of them.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Chunk:
    """One request's worth of narration: phrases ``first`` to ``first+len``."""

    first: int  # index of the first phrase in the whole narration
    phrases: tuple[str, ...]

    @property
    def indices(self) -> range:
        return range(self.first, self.first + len(self.phrases))

    def ssml(self) -> str:
        return _OPEN + "".join(_piece(i, p) for i, p in self._numbered()) + _CLOSE

    def _numbered(self) -> zip[tuple[int, str]]:
        return zip(self.indices, self.phrases, strict=True)


def mark_name(index: int) -> str:
    """The name of the mark before phrase ``index`` of a narration."""
    return f"p{index}"


def escape_text(text: str) -> str:
    """Make creator text safe inside SSML: it is spoken, never parsed."""
    return escape(_NOT_XML.sub("", normalize(text)), _ENTITIES)


def plan_chunks(text: str, max_bytes: int = MAX_INPUT_BYTES) -> list[Chunk]:
    """Split ``text`` into phrases and pack them into requests of ``max_bytes``.

    The phrases, in order across all chunks, are exactly
    ``split_phrases(text)``. A chunk ends at a sentence end unless one
    sentence alone is over the limit.
    """
    budget = max_bytes - len((_OPEN + _CLOSE).encode())
    sentences = [split_phrases(sentence) for sentence in split_sentences(text)]
    if not any(sentences):
        raise InputError("There is no text to narrate.")

    chunks: list[Chunk] = []
    current: list[str] = []
    used = 0
    index = 0
    for phrases in sentences:
        sizes = [_size(index + k, p) for k, p in enumerate(phrases)]
        if used + sum(sizes) > budget and current:
            chunks.append(Chunk(index - len(current), tuple(current)))
            current, used = [], 0
        for phrase, size in zip(phrases, sizes, strict=True):
            # Only a sentence too long for a request of its own gets here
            # with a full chunk: it is broken between its phrases.
            if used + size > budget and current:
                chunks.append(Chunk(index - len(current), tuple(current)))
                current, used = [], 0
            if size > budget:
                raise InputError(
                    f"A run of {len(phrase)} characters without a break is too "
                    f"long to narrate: {phrase[:40]!r}..."
                )
            current.append(phrase)
            used += size
            index += 1
    chunks.append(Chunk(index - len(current), tuple(current)))
    return chunks


def phrase_starts(
    chunk: Chunk, marks: dict[str, float], duration: float
) -> list[float]:
    """Each phrase's start in seconds within the chunk's audio.

    ``marks`` maps mark names to the times the service reported. A mark it
    left out (services drop marks at the very end or in odd places) is
    placed between its known neighbours in proportion to how long the
    phrases around it take to say.
    """
    known = [marks.get(mark_name(i)) for i in chunk.indices]
    weights = [speech_weight(p) for p in chunk.phrases]
    starts = _fill_gaps(known, weights, duration)
    # Times are clamped and kept in order so no phrase ends before it starts.
    ordered: list[float] = []
    for start in starts:
        start = min(max(start, 0.0), duration)
        ordered.append(max(start, ordered[-1]) if ordered else start)
    return ordered


def _fill_gaps(
    known: Sequence[float | None], weights: Sequence[float], duration: float
) -> list[float]:
    starts = list(known)
    for first, end in _missing_runs(starts):
        before = starts[first - 1] if first else 0.0
        after = starts[end] if end < len(starts) else duration
        # The time from the last known start to the next one is shared by
        # the phrase before the gap (if any) and the phrases in it.
        owners = range(max(first - 1, 0), end)
        total = sum(weights[i] for i in owners)
        elapsed = before or 0.0
        for i in owners:
            if i >= first:
                starts[i] = elapsed
            elapsed += ((after or 0.0) - (before or 0.0)) * weights[i] / total
    return [start or 0.0 for start in starts]


def _missing_runs(starts: Sequence[float | None]) -> list[tuple[int, int]]:
    """The (first, end) index ranges of consecutive missing starts."""
    runs: list[tuple[int, int]] = []
    for i, start in enumerate(starts):
        if start is not None:
            continue
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs


def _piece(index: int, phrase: str) -> str:
    return f'<mark name="{mark_name(index)}"/>{escape_text(phrase)} '


def _size(index: int, phrase: str) -> int:
    return len(_piece(index, phrase).encode())
