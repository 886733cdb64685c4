"""Progress bars on a terminal, one per stage, drawn on stderr with rich."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from core.progress import ProgressEvent

STAGE_LABELS = {
    "script": "Script",
    "audio": "Voice",
    "images": "Images",
    "render": "Render",
}


class TerminalProgress:
    """A ProgressSink that draws bars; silent when ``enabled`` is false."""

    def __init__(self, enabled: bool = True) -> None:
        self._console = Console(stderr=True)
        self._progress = Progress(
            TextColumn("{task.description:<8}"),
            BarColumn(),
            TextColumn("{task.percentage:>5.1f}%"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            TextColumn("{task.fields[message]}"),
            console=self._console,
            disable=not enabled,
        )
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> TerminalProgress:
        self._progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._progress.stop()

    def emit(self, event: ProgressEvent) -> None:
        if event.scene is not None and event.stage != "images":
            return
        self.update(event.stage, event.fraction, event.message)

    def update(self, stage: str, fraction: float, message: str) -> None:
        if stage not in self._tasks:
            label = STAGE_LABELS.get(stage, stage.title())
            self._tasks[stage] = self._progress.add_task(label, total=1.0, message="")
        self._progress.update(self._tasks[stage], completed=fraction, message=message)

    def callback(self, stage: str) -> Callable[[float, str], None]:
        return lambda fraction, message: self.update(stage, fraction, message)
