"""The render benchmark's results as a table a person can read.

A table of times and one of memory, one row per round of each case, with
the targets met or missed beside the figures; then where the render's time
went, and a few lines saying exactly what each figure measures.
"""

from __future__ import annotations

from benchmarks.render_bench import GROWTH_TARGET, MEMORY_TARGET_MB, RATIO_TARGET

CASE_COLUMNS = (
    ("case", "{name}", 10),
    ("round", "{round}", 5),
)
TIME_COLUMNS = (
    *CASE_COLUMNS,
    ("scenes", "{scenes} ({distinct_stills})", 9),
    ("encoders", "{encoders}x{encoder_threads}", 8),
    ("video s", "{output_s:.1f}", 7),
    ("render s", "{render_s:.1f}", 8),
    ("reencode s", "{reencode_s:.1f}", 10),
    ("decode s", "{decode_s:.1f}", 8),
    ("floor s", "{floor_s:.1f}", 7),
    ("ratio", "{ratio:.3f} {ratio_mark}", 10),
    ("render cpu", "{render_cpu_s:.1f}", 10),
    ("floor cpu", "{floor_cpu_s:.1f}", 9),
    ("cpu ratio", "{cpu_ratio:.2f}", 9),
)
MEMORY_COLUMNS = (
    *CASE_COLUMNS,
    ("tree MB", "{peak_tree_pss_mb:.0f} {memory_mark}", 9),
    ("tree RSS MB", "{peak_tree_mb:.0f}", 11),
    ("1 proc MB", "{peak_single_mb:.0f}", 9),
    ("child MB", "{largest_child_mb:.0f}", 8),
    ("python MB", "{python_mb:.0f}", 9),
    ("x264 MB", "{reencode_peak_mb:.0f}", 7),
)

EXPLANATION = f"""\
scenes       scenes in the timeline (distinct stills, reused cyclically)
encoders     segments encoded at once x x264 threads each (0: x264's own
             choice); "lean" cases fix one encoder at a time, the others
             take what the machine's cores and free memory allow
render s     wall time around render(...), in a fresh process: every
             segment's FFmpeg run with the soundtrack mixed beside, the join
reencode s   the output's video re-encoded with the render's encoder settings,
             one encoder with x264's own threads: the whole machine
decode s     the output's video decoded alone (-f null)
floor s      reencode s - decode s: the encoder's own cost for these frames
ratio        render s / floor s (target <= {RATIO_TARGET:.2f}, on wall time)
tree MB      peak of the summed PSS of the render process and its FFmpeg
             children, sampled every 50 ms (target <= {MEMORY_TARGET_MB:.0f} MB):
             what the tree occupies, pages the processes share counted once
tree RSS MB  the same summing RSS, which counts the pages every FFmpeg maps
             (its 30 MB binary) once per process running at the time
1 proc MB    peak RSS of any single process of that tree, sampled
child MB     kernel high-water RSS of the largest FFmpeg child (ru_maxrss)
python MB    peak RSS of the render's Python process, sampled
render cpu   CPU seconds (user + system) of the render process and its
             FFmpeg children, Python's start-up included (under a second);
             floor cpu and cpu ratio likewise. Other work on the machine
             disturbs CPU time far less than wall time
x264 MB      peak RSS of the bare re-encode, for comparison
growth       longest case's tree MB over the shortest's, per mode
             (target <= {GROWTH_TARGET:.0%})
Runs are back to back (render, reencode, decode) so load from other work
affects all three alike; on a busy machine repeat and compare rounds."""


def format_render(results: dict) -> str:
    rounds = [
        (case, index, result)
        for case in results["cases"]
        for index, result in enumerate(case["rounds"], start=1)
    ]
    lines = [*_table(TIME_COLUMNS, rounds), "", *_table(MEMORY_COLUMNS, rounds), ""]
    lines += [*map(_growth_line, results["memory_growth"]), ""]
    lines += [_stages_line(*item) for item in rounds]
    lines += ["", EXPLANATION]
    return "\n".join(lines)


def _table(columns: tuple, rounds: list[tuple[dict, int, dict]]) -> list[str]:
    header = "  ".join(title.rjust(width) for title, _, width in columns)
    rows = [
        "  ".join(
            template.format(**_values(*item)).rjust(width)
            for _, template, width in columns
        )
        for item in rounds
    ]
    return [header, "-" * len(header), *rows]


def _values(case: dict, index: int, result: dict) -> dict:
    missing = float("nan")
    return {
        **case,
        **{key: missing if value is None else value for key, value in result.items()},
        "round": index,
        "ratio_mark": _mark(result["ratio"] <= RATIO_TARGET),
        "memory_mark": _mark(result["peak_tree_pss_mb"] <= MEMORY_TARGET_MB),
    }


def _growth_line(growth: dict | None) -> str:
    if growth is None:
        return "growth       n/a (one case only)"
    return (
        f"growth       {growth['to']} vs {growth['from']}: "
        f"{growth['growth']:+.1%} {_mark(growth['met'])}"
    )


def _stages_line(case: dict, index: int, result: dict) -> str:
    """Where the render's time went, from its progress messages."""
    starts = result["stage_starts_s"]
    order = [stage for stage in ("soundtrack", "segments", "join", "done")
             if stage in starts]  # fmt: skip
    spans = [
        f"{stage} {starts[after] - starts[stage]:.1f} s"
        for stage, after in zip(order, order[1:], strict=False)
    ]
    return f"stages       {case['name']} round {index}: " + ", ".join(spans)


def _mark(met: bool) -> str:
    return "ok" if met else "MISS"
