"""How many encoders at once, and how many threads each: pure arithmetic."""

from __future__ import annotations

import pytest

from core.render.encoders import EncoderPlan, encoder_megabytes, plan_encoders

FULL_HD = (1920, 1080)


def test_a_1080p_encoder_is_budgeted_at_what_one_was_measured_to_hold():
    assert 250 <= encoder_megabytes(*FULL_HD) <= 320
    assert encoder_megabytes(640, 360) < encoder_megabytes(*FULL_HD)


@pytest.mark.parametrize(
    ("cores", "free_mb", "expected"),
    [
        (2, 24_000, EncoderPlan(2, 1)),  # both cores, one x264 thread each
        (8, 32_000, EncoderPlan(4, 2)),  # at most four, the cores shared out
        (1, 32_000, EncoderPlan(1, 0)),  # alone: x264 picks its threads
        (8, 1_200, EncoderPlan(1, 0)),  # a quarter of 1.2 GB fits one
        (8, 2_400, EncoderPlan(2, 4)),  # ... of 2.4 GB, two
        (4, 0, EncoderPlan(1, 0)),  # never fewer than one
    ],
)
def test_the_machine_decides_when_the_user_does_not(cores, free_mb, expected):
    assert plan_encoders(*FULL_HD, cores=cores, available_mb=free_mb) == expected


def test_smaller_frames_fit_more_encoders_in_the_same_memory():
    small = plan_encoders(640, 360, cores=8, available_mb=1_200)
    large = plan_encoders(*FULL_HD, cores=8, available_mb=1_200)
    assert small.encoders > large.encoders


@pytest.mark.parametrize(
    ("wanted", "cores", "expected"),
    [
        (1, 8, EncoderPlan(1, 0)),  # the leanest render, whatever the machine
        (3, 2, EncoderPlan(2, 1)),  # never more than one per core
        (2, 8, EncoderPlan(2, 4)),
    ],
)
def test_the_users_choice_wins_over_memory(wanted, cores, expected):
    plan = plan_encoders(*FULL_HD, wanted=wanted, cores=cores, available_mb=100)
    assert plan == expected
