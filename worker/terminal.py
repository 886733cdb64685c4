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


def print_snapshot(snapshot) -> None:  # type: ignore[no-untyped-def]
    """The task monitor as tables on stdout."""
    from rich.table import Table

    from worker.monitor import describe_task

    console = Console()
    queues = ", ".join(f"{name} {count}" for name, count in snapshot.queues.items())
    console.print(f"[bold]Queues[/bold]: {queues}")
    workers = Table("Worker", "Host", "PID", "Doing", title="Live workers")
    for record in snapshot.workers:
        workers.add_row(
            record["id"],
            record["host"],
            str(record["pid"]),
            "; ".join(map(describe_task, record["tasks"])) or "idle",
        )
    console.print(workers)
    for title in ("running", "retrying", "failed", "finished"):
        rows = getattr(snapshot, title)
        table = Table(
            "Project",
            "Stage",
            "Part",
            "Attempt",
            "Progress",
            "Message",
            title=f"{title.title()} ({len(rows)})",
        )
        for row in rows:
            table.add_row(
                f"{row.project_id} {row.project}",
                row.stage,
                "" if row.part < 0 else str(row.part + 1),
                str(row.attempt),
                f"{row.progress:.0%}",
                row.error or row.message,
            )
        console.print(table)
