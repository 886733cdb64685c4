"""The machine's encoder slots, shared by real processes through lock files."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from core.errors import CancelledError
from core.render.encoders import EncoderSlots
from core.render.ffmpeg import CancelToken

pytestmark = pytest.mark.integration

PROJECT_ROOT = Path(__file__).resolve().parents[3]

HOLDER = """
import sys, time
from pathlib import Path
from core.render.encoders import EncoderSlots
with EncoderSlots(Path(sys.argv[1]), int(sys.argv[2])).hold() as slot:
    print(slot, flush=True)
    time.sleep(60)
"""


def _hold_in_another_process(folder: Path, count: int) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(folder), str(count)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=PROJECT_ROOT,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip().isdigit()  # it holds a slot now
    return process


def test_a_second_slot_is_free_while_another_process_holds_the_first(tmp_path):
    holder = _hold_in_another_process(tmp_path, 2)
    try:
        with EncoderSlots(tmp_path, 2).hold() as slot:
            assert slot == 1
    finally:
        holder.kill()
        holder.wait()


def test_the_last_slot_waits_and_says_so_until_the_holder_dies(tmp_path):
    holder = _hold_in_another_process(tmp_path, 1)
    waited: list[bool] = []
    got: list[float] = []

    def take() -> None:
        with EncoderSlots(tmp_path, 1).hold(CancelToken(), lambda: waited.append(True)):
            got.append(time.monotonic())

    taker = threading.Thread(target=take)
    taker.start()
    time.sleep(0.6)
    assert waited == [True] and not got  # waiting, and said so once
    killed_at = time.monotonic()
    holder.kill()  # a crashed worker: the kernel releases its lock
    holder.wait()
    taker.join(timeout=5)
    assert got and got[0] - killed_at < 1.0


def test_a_cancel_ends_the_wait(tmp_path):
    holder = _hold_in_another_process(tmp_path, 1)
    cancel = CancelToken()
    try:
        threading.Timer(0.3, cancel.cancel).start()
        started = time.monotonic()
        with pytest.raises(CancelledError), EncoderSlots(tmp_path, 1).hold(cancel):
            pytest.fail("got a slot that another process holds")
        assert time.monotonic() - started < 1.5
    finally:
        holder.kill()
        holder.wait()


def test_an_encoder_takes_the_cores_its_neighbours_leave(tmp_path):
    slots = EncoderSlots(tmp_path, 2, cores=4)
    with slots.hold():
        assert slots.threads_now() == 0  # alone: the whole machine
        holder = _hold_in_another_process(tmp_path, 2)
        try:
            assert slots.busy() == 2
            assert slots.threads_now() == 2  # four cores, two encoders
        finally:
            holder.kill()
            holder.wait()
        assert slots.busy() == 1
    assert slots.busy() == 0
    assert EncoderSlots(tmp_path, 1).threads_now() == 0  # the lean plan
