"""The ``reelwright`` command: make a video, render a timeline, run the app.

One catch point for the command line: a ``ReelwrightError`` about the
creator's input prints one line on stderr and exits 2; any other failure
exits 1 with its message (the traceback goes to the log file, not the
terminal). Progress bars are drawn on stderr so ``--json`` output on stdout
stays machine-readable.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from core.errors import InputError, PermanentError, ReelwrightError

log = logging.getLogger(__name__)

EXIT_FAILED, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 1, 2, 130


def friendly_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn errors into one line on stderr and the right exit code."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (InputError, PermanentError) as error:
            log.info("Stopped on bad input: %s", error.message)
            _fail(error.message, EXIT_BAD_INPUT)
        except ReelwrightError as error:
            log.warning("Failed: %s", error.message)
            _fail(error.message, EXIT_FAILED)
        except KeyboardInterrupt:
            _fail("Interrupted.", EXIT_INTERRUPTED)
        except Exception as error:  # the command line's one catch-all
            log.exception("Unexpected failure")
            _fail(f"Unexpected error: {error} (details in the log file)", EXIT_FAILED)

    return wrapper


def _fail(message: str, code: int) -> None:
    click.echo(f"reelwright: {message}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log debugging detail.")
@click.version_option(package_name="reelwright")
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    """Turn written content into a narrated, illustrated video."""
    from core.logs import setup_logging
    from core.settings import Settings

    settings = Settings.from_env()
    settings.paths.ensure()
    setup_logging(settings.paths.logs, verbose=verbose)
    ctx.obj = settings


@cli.command()
@click.argument("content", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the video (.mp4); .srt and .jpg go next to it.",
)
@click.option(
    "--format",
    "video_format",
    type=click.Choice(["landscape", "shorts", "preview"]),
    default="landscape",
    show_default=True,
)
@click.option(
    "--providers",
    type=click.Choice(["local", "cloud"]),
    default="local",
    show_default=True,
    help="Offline providers, or the cloud services.",
)
@click.option(
    "--script-provider",
    type=click.Choice(["local", "gemini"]),
    help="Override the script writer.",
)
@click.option(
    "--voice-provider",
    type=click.Choice(["local", "google"]),
    help="Override the voice.",
)
@click.option(
    "--images-provider",
    type=click.Choice(["local", "stability"]),
    help="Override the image maker.",
)
@click.option("--voice", "voice_name", help="A cloud voice by name (cmn-TW-Wavenet-A).")
@click.option("--speaking-rate", type=float, help="Cloud voice speed (0.25 to 4).")
@click.option("--pitch", type=float, help="Cloud voice pitch in semitones (-20 to 20).")
@click.option(
    "--music",
    default="default",
    show_default=True,
    help="A music file for the bed, 'default', or 'none'.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the result as one JSON object on the last line.",
)
@click.pass_obj
@friendly_errors
def make(
    settings,
    content,
    output,
    video_format,
    providers,
    script_provider,
    voice_provider,
    images_provider,
    voice_name,
    speaking_rate,
    pitch,
    music,
    as_json,
) -> None:  # type: ignore[no-untyped-def]
    """Make a video from CONTENT files (txt, md, docx, pdf, html, srt)."""
    from worker.make import make_video

    if output is not None and output.suffix.lower() != ".mp4":
        raise InputError(f"The output must be an .mp4 file, not {output.name!r}.")
    result = make_video(
        settings,
        list(content),
        output=output,
        video_format=video_format,
        providers=provider_choice(
            providers,
            script=script_provider,
            voice=voice_provider,
            images=images_provider,
            **{
                "voice.name": voice_name,
                "voice.rate": None if speaking_rate is None else str(speaking_rate),
                "voice.pitch": None if pitch is None else str(pitch),
            },
        ),
        music=music,
        show_progress=not as_json,
    )
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
    else:
        click.echo(f"Video: {result['video']}")


@cli.command(name="render")
@click.argument("timeline", type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path)
)
@click.pass_obj
@friendly_errors
def render_command(settings, timeline: Path, output: Path) -> None:  # type: ignore[no-untyped-def]
    """Render a TIMELINE.json file to a video."""
    from core.render.encoders import plan_encoders
    from core.render.engine import render
    from core.render.video import EncoderSettings
    from core.timeline import Timeline
    from worker.terminal import TerminalProgress

    if output.suffix.lower() != ".mp4":
        raise InputError(f"The output must be an .mp4 file, not {output.name!r}.")
    plan = Timeline.load(timeline)
    with TerminalProgress() as bars:
        render(
            plan,
            output.resolve(),
            encoder=EncoderSettings(preset=settings.x264_preset),
            encoders=plan_encoders(
                plan.width, plan.height, wanted=settings.render_encoders
            ),
            progress=bars.callback("render"),
        )
    click.echo(f"Video: {output.resolve()}")


@cli.command()
@click.option(
    "--broker", envvar="REELWRIGHT_BROKER_URL", help="Redis URL of the broker."
)
@click.option("--database", envvar="REELWRIGHT_DATABASE_URL", help="Database URL.")
@click.option(
    "--storage",
    envvar="REELWRIGHT_STORAGE_DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="The storage folder every machine mounts.",
)
@click.option("--threads", default=2, show_default=True, help="Worker threads.")
@click.option(
    "--nice",
    default=0,
    show_default=True,
    envvar="REELWRIGHT_WORKER_NICE",
    type=click.IntRange(0, 19),
    help="Run below normal CPU priority (0 normal, 19 lowest).",
)
@click.option(
    "--processes",
    default=1,
    show_default=True,
    help="Worker processes (more than one starts a supervised pool).",
)
@click.pass_obj
@friendly_errors
def worker(settings, broker, database, storage, threads, nice, processes) -> None:  # type: ignore[no-untyped-def]
    """Serve pipeline work from the broker (on this or another machine)."""
    import os

    from core.settings import Settings
    from worker.redis_server import broker_url

    for name, value in (
        ("REELWRIGHT_DATABASE_URL", database),
        ("REELWRIGHT_STORAGE_DIR", storage),
    ):
        if value:
            os.environ[name] = str(value)
    settings = Settings.from_env()
    settings.paths.ensure()
    url, embedded = (broker, None) if broker else broker_url(settings)
    try:
        if processes > 1:
            _run_pool(processes, url, threads, nice)
        else:
            from worker.process import run_worker

            run_worker(settings, url, threads=threads, nice=nice)
    finally:
        if embedded is not None:
            embedded.release()


def _run_pool(processes: int, url: str, threads: int, nice: int) -> None:
    import signal
    import threading

    from worker.pool import WorkerPool

    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    with WorkerPool(processes, broker_url=url, threads=threads, nice=nice):
        stop.wait()


@cli.command()
@click.option(
    "--broker", envvar="REELWRIGHT_BROKER_URL", help="Redis URL of the broker."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
@click.pass_obj
@friendly_errors
def status(settings, broker, as_json) -> None:  # type: ignore[no-untyped-def]
    """Show queues, live workers and tasks (running, retrying, failed, done)."""
    import dataclasses

    import redis as redis_client

    from core.db import Database
    from worker.monitor import snapshot
    from worker.redis_server import broker_url
    from worker.terminal import print_snapshot

    url, embedded = (broker, None) if broker else broker_url(settings)
    try:
        db = Database(settings.database_url).migrate()
        result = snapshot(redis_client.Redis.from_url(url), db)
    finally:
        if embedded is not None:
            embedded.release()
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(result), default=str))
    else:
        print_snapshot(result)


@cli.command(name="cut-fonts", hidden=True)
@click.argument("args", nargs=3)
def cut_fonts_command(args: tuple[str, str, str]) -> None:
    """Cut the subtitle fonts down (the frozen app's stand-in for
    ``python -m core.render.subtitle_fonts``)."""
    from core.render.subtitle_fonts import main as cut_fonts_main

    cut_fonts_main(list(args))


CLOUD_CHOICE = {"script": "gemini", "voice": "google", "images": "stability"}


def provider_choice(preset: str, **overrides: str | None) -> dict[str, str]:
    """``local`` or ``cloud`` for every stage, then per-stage overrides."""
    base = (
        dict(CLOUD_CHOICE)
        if preset == "cloud"
        else {stage: "local" for stage in CLOUD_CHOICE}
    )
    choice = {**base, **{stage: name for stage, name in overrides.items() if name}}
    if choice["voice"] == "local" and any(key.startswith("voice.") for key in choice):
        raise InputError(
            "--voice, --speaking-rate and --pitch set the cloud voice; add "
            "--voice-provider google or --providers cloud."
        )
    return choice


@cli.group()
def keys() -> None:
    """Store API keys in the system keyring (never in files or the database)."""


@keys.command("set")
@click.argument("name", type=click.Choice(["gemini", "tts", "stability"]))
@friendly_errors
def keys_set(name: str) -> None:
    """Ask for the key NAME and keep it in the keyring."""
    from core.secrets import KeyringUnavailable, set_secret

    value = click.prompt(f"{name} key", hide_input=True).strip()
    try:
        set_secret(name, value)
    except KeyringUnavailable as error:
        raise PermanentError(str(error)) from None
    click.echo(f"Saved the {name} key in the keyring.")


@keys.command("delete")
@click.argument("name", type=click.Choice(["gemini", "tts", "stability", "youtube"]))
@friendly_errors
def keys_delete(name: str) -> None:
    """Remove the key NAME from the keyring."""
    from core.secrets import KeyringUnavailable, delete_secret

    try:
        delete_secret(name)
    except KeyringUnavailable as error:
        raise PermanentError(str(error)) from None
    click.echo(f"Removed the {name} key.")


@keys.command("status")
def keys_status() -> None:
    """Which keys are set (never their values), and where keys are kept."""
    from core.secrets import SECRETS, get_secret, keyring_status

    click.echo(keyring_status())
    for name, spec in SECRETS.items():
        click.echo(
            f"{name:10} {'set' if get_secret(name) else 'not set':8} {spec.label}"
        )


def main() -> None:
    cli(prog_name="reelwright")


if __name__ == "__main__":
    main()
