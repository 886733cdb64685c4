"""The render plan: what is shown and heard, when, as a JSON file on disk.

A ``Timeline`` is everything the render engine needs and nothing more:
frame size and rate, the narration, an optional music bed, the subtitle
file, and the scenes with their stills, times, camera motion and
transitions. Paths inside the file are relative to the file's own folder
(absolute paths also work), so a workspace can be moved or rendered on
another machine. docs/timeline.md documents every field.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from core.errors import InputError
from core.storage import write_text_atomic

MOTIONS = ("zoom-in", "zoom-out", "pan-left", "pan-right", "pan-up", "pan-down")
TRANSITIONS = ("fade", "dissolve", "slideleft", "slideright", "smoothleft", "wipeleft")
# "preview" is a quick low-resolution draft of a landscape video.
FORMATS = {"landscape": (1920, 1080), "shorts": (1080, 1920), "preview": (640, 360)}


@dataclass
class TimelineScene:
    """One still on screen from ``start`` for ``duration`` seconds."""

    image: str
    start: float
    duration: float
    motion: str = "zoom-in"
    transition: str = "fade"  # into the next scene
    transition_duration: float = 0.5  # seconds; 0 for a cut

    @property
    def end(self) -> float:
        return self.start + self.duration


@dataclass
class Timeline:
    width: int
    height: int
    fps: int
    narration: str
    scenes: list[TimelineScene]
    subtitles: str | None = None
    music: str | None = None
    music_volume_db: float = -20.0  # the bed's level before ducking
    loudness_lufs: float = -14.0
    true_peak_db: float = -1.0
    fonts_dir: str | None = None  # extra fonts for the subtitles
    title: str = ""
    base_dir: Path = field(default=Path("."), repr=False, compare=False)

    @property
    def duration(self) -> float:
        return self.scenes[-1].end if self.scenes else 0.0

    def resolve(self, relative: str) -> Path:
        """A path from the file, made absolute against the timeline's folder."""
        path = Path(relative)
        return path if path.is_absolute() else self.base_dir / path

    def to_json(self) -> str:
        data = asdict(self)
        data.pop("base_dir")
        data["duration"] = round(self.duration, 6)
        return json.dumps(data, indent=2, ensure_ascii=False)

    def save(self, path: Path) -> None:
        write_text_atomic(path, self.to_json() + "\n")

    @classmethod
    def load(cls, path: Path) -> Timeline:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError as error:
            raise InputError(f"Timeline file {path} does not exist.") from error
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise InputError(
                f"Timeline file {path} is not valid JSON: {error}"
            ) from error
        return cls.from_dict(data, base_dir=Path(path).resolve().parent)

    @classmethod
    def from_dict(cls, data: Any, base_dir: Path) -> Timeline:
        if not isinstance(data, dict):
            raise InputError("A timeline must be a JSON object.")
        missing = [name for name in REQUIRED if name not in data]
        if missing:
            raise InputError(f"The timeline lacks {', '.join(missing)}.")
        if not isinstance(data["scenes"], list):
            raise InputError("The timeline's scenes must be a list.")
        known = {f.name for f in fields(cls)} - {"scenes", "base_dir"}
        options = {k: v for k, v in data.items() if k in known}
        for name in ("width", "height", "fps"):
            options[name] = _whole_number(name, options[name])
        scenes = [_scene(index, item) for index, item in enumerate(data["scenes"], 1)]
        timeline = cls(scenes=scenes, base_dir=base_dir, **options)
        timeline.validate()
        return timeline

    def validate(self) -> None:
        """Raise ``InputError`` for a plan FFmpeg could not render sensibly."""
        if not self.scenes:
            raise InputError("The timeline has no scenes.")
        if not (16 <= self.width <= 7680 and 16 <= self.height <= 7680):
            raise InputError(f"Frame size {self.width}x{self.height} is out of range.")
        if self.width % 2 or self.height % 2:
            raise InputError("Frame width and height must be even numbers.")
        if not 1 <= self.fps <= 120:
            raise InputError(f"Frame rate {self.fps} is out of range (1 to 120).")
        for index, scene in enumerate(self.scenes, start=1):
            _validate_scene(index, scene)
        _validate_order(self.scenes)


REQUIRED = ("width", "height", "fps", "narration", "scenes")


def _whole_number(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"The timeline's {name} must be a number, not {value!r}.")
    if value != int(value):
        raise InputError(f"The timeline's {name} must be a whole number, not {value}.")
    return int(value)


def _scene(index: int, item: Any) -> TimelineScene:
    if not isinstance(item, dict) or "image" not in item:
        raise InputError(f"Scene {index} of the timeline needs an image.")
    known = {f.name for f in fields(TimelineScene)}
    values = {k: v for k, v in item.items() if k in known}
    try:
        for name in ("start", "duration", "transition_duration"):
            if name in values:
                values[name] = float(values[name])
        return TimelineScene(**values)
    except (TypeError, ValueError) as error:
        raise InputError(
            f"Scene {index} of the timeline has a bad field: {error}"
        ) from None


def _validate_scene(index: int, scene: TimelineScene) -> None:
    if scene.duration <= 0:
        raise InputError(f"Scene {index} has a duration of {scene.duration} s.")
    if scene.motion not in MOTIONS:
        raise InputError(f"Scene {index} has an unknown motion {scene.motion!r}.")
    if scene.transition not in TRANSITIONS:
        raise InputError(
            f"Scene {index} has an unknown transition {scene.transition!r}."
        )
    if scene.transition_duration < 0:
        raise InputError(f"Scene {index} has a negative transition duration.")


def _validate_order(scenes: list[TimelineScene]) -> None:
    for before, after in zip(scenes, scenes[1:], strict=False):
        if abs(after.start - before.end) > 0.002:
            raise InputError(
                f"Scenes must follow one another without gaps: one ends at "
                f"{before.end:.3f} s and the next starts at {after.start:.3f} s."
            )
        if before.transition_duration > min(before.duration, after.duration):
            raise InputError("A transition is longer than one of the scenes it joins.")
