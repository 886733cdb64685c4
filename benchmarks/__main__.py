"""``python -m benchmarks``: run the benchmarks, print a table, save JSON.

``REELWRIGHT_HOME`` is pointed at a temporary folder before anything from
``core`` is imported, so no benchmark reads or writes the user's data; the
folder and everything rendered in it is deleted at the end. The exit
status is non-zero only when a benchmark crashed: missed targets are
reported, not raised.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import json
import logging
import os
import platform
import sys
import tempfile
import traceback
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent / "results"

# name: (module with run(work, quick=, rounds=), module.function that formats)
BENCHMARKS = {
    "render": ("benchmarks.render_bench", "benchmarks.render_report.format_render"),
    "worker": ("benchmarks.worker_bench", "benchmarks.worker_bench.format_worker"),
    "gui": (
        "benchmarks.gui_responsiveness",
        "benchmarks.gui_responsiveness.format_gui",
    ),
}

log = logging.getLogger("benchmarks")


def main(argv: list[str] | None = None) -> int:
    options = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    names = [options.only] if options.only else list(BENCHMARKS)
    results_file = options.results or RESULTS_DIR / (
        "quick.json" if options.quick else "latest.json"
    )

    with tempfile.TemporaryDirectory(prefix="reelwright-bench-") as temporary:
        os.environ["REELWRIGHT_HOME"] = str(Path(temporary) / "home")
        report = {"machine": _machine(), "quick": options.quick, "results": {}}
        for name in names:
            try:
                report["results"][name] = _run(name, Path(temporary) / name, options)
            except Exception:  # the entry boundary: report, then fail
                traceback.print_exc()
                log.error("The %s benchmark crashed.", name)
                return 1

    results_file.parent.mkdir(parents=True, exist_ok=True)
    results_file.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nResults written to {results_file}")
    return 0


def _run(name: str, work: Path, options: argparse.Namespace) -> dict:
    module_name, formatter_path = BENCHMARKS[name]
    work.mkdir(parents=True)
    module = importlib.import_module(module_name)
    if name == "gui":  # it builds its own stack and window
        results = module.run(quick=options.quick)
    else:
        results = module.run(work, quick=options.quick, rounds=options.rounds)
    formatter_module, _, formatter_name = formatter_path.rpartition(".")
    formatter = getattr(importlib.import_module(formatter_module), formatter_name)
    print(f"\n== {name} ==\n{formatter(results)}", flush=True)
    return results


def _machine() -> dict[str, object]:
    # Imported here: core must not load before REELWRIGHT_HOME is set.
    from core.render.ffmpeg import ffmpeg_binary

    return {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_at_start": _load_average(),
        "ffmpeg": Path(ffmpeg_binary()).name,
    }


def _load_average() -> list[float] | None:
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument(
        "--quick", action="store_true",
        help="a seconds-long smoke run (small frames, few scenes)",
    )  # fmt: skip
    parser.add_argument("--only", choices=sorted(BENCHMARKS), help="run one benchmark")
    parser.add_argument(
        "--rounds", type=int, default=None,
        help="render, re-encode and decode each case this many times "
        "(default: twice for the 60 s case, once for the others)",
    )  # fmt: skip
    parser.add_argument(
        "--results", type=Path, default=None,
        help="where to write the JSON (default: benchmarks/results/latest.json, "
        "or quick.json with --quick)",
    )  # fmt: skip
    return parser


if __name__ == "__main__":
    sys.exit(main())
