import logging

from core.logs import MASK, RedactingFilter, redact


def test_keys_and_tokens_are_masked():
    text = (
        "key=AIzaSyA1234567890abcdefghijklmnop bearer abcdef1234567890xyz "
        "api_key: s3cr3t"
    )
    cleaned = redact(text)
    assert "AIzaSyA1234567890" not in cleaned
    assert "abcdef1234567890xyz" not in cleaned
    assert "s3cr3t" not in cleaned
    assert cleaned.count(MASK) == 3


def test_the_filter_rewrites_records_with_arguments():
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "using %s", ("AIza" + "B" * 30,), None
    )
    RedactingFilter().filter(record)
    assert record.getMessage() == f"using {MASK}"


def test_plain_messages_are_left_alone():
    assert (
        redact("Project 3: stage render succeeded.")
        == "Project 3: stage render succeeded."
    )
