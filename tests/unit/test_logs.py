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


def test_tracebacks_are_masked_in_the_file_and_left_out_of_the_console():
    import io

    from core.logs import ConsoleHandler

    console, file = io.StringIO(), io.StringIO()
    logger = logging.getLogger("reelwright.test.traceback")
    logger.propagate = False
    for handler in (ConsoleHandler(console), logging.StreamHandler(file)):
        handler.addFilter(RedactingFilter())
        logger.addHandler(handler)
    key = "AIza" + "C" * 30
    try:
        raise ValueError(f"refused key {key}")
    except ValueError:
        logger.exception("The stage failed.")

    assert console.getvalue() == "The stage failed.\n"
    assert "Traceback" in file.getvalue()
    assert key not in file.getvalue() and MASK in file.getvalue()
