"""Logging for every Reelwright process: a rotating file and a redacting filter.

Log records go to ``<logs>/reelwright.log`` (rotated) and, for warnings and
worse, to stderr. A filter masks anything that looks like a secret (API keys,
bearer tokens, OAuth tokens) before any handler sees it.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

_SECRET_PATTERNS = [
    re.compile(r"AIza[0-9A-Za-z_\-]{20,}"),  # Google API keys
    re.compile(r"sk-[0-9A-Za-z]{20,}"),  # Stability keys
    re.compile(r"(?i)(bearer\s+)[0-9A-Za-z._\-]{12,}"),
    re.compile(r"ya29\.[0-9A-Za-z._\-]+"),  # Google OAuth access tokens
    re.compile(r"1//[0-9A-Za-z._\-]{20,}"),  # Google refresh tokens
    re.compile(
        r"(?i)((?:api[_-]?key|token|password|secret)[\"']?\s*[:=]\s*[\"']?)[^\s\"',&]+"
    ),
]
MASK = "[redacted]"


def redact(text: str) -> str:
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(lambda m: (m.group(1) if m.groups() else "") + MASK, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites each record's message and traceback with secrets masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            # Formatted once here, masked, and cached where every handler's
            # formatter looks for it first.
            record.exc_text = redact(_plain.formatException(record.exc_info))
        return True


_plain = logging.Formatter()


class ConsoleHandler(logging.StreamHandler):
    """One line per record on stderr: tracebacks belong in the log file."""

    def emit(self, record: logging.LogRecord) -> None:
        brief = logging.makeLogRecord(record.__dict__)
        brief.exc_info = brief.exc_text = brief.stack_info = None
        super().emit(brief)


def setup_logging(
    log_dir: Path, *, verbose: bool = False, name: str = "reelwright"
) -> Path:
    """Send logs to a rotating file (and warnings to stderr); return its path."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / f"{name}.log"
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    redactor = RedactingFilter()

    file_handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=5_000_000, backupCount=3, encoding="utf-8"
    )
    file_handler.setFormatter(
        logging.Formatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s")
    )
    console = ConsoleHandler()
    console.setLevel(logging.DEBUG if verbose else logging.WARNING)
    console.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    for handler in (file_handler, console):
        handler.addFilter(redactor)
        root.addHandler(handler)
    for noisy in ("PIL", "jieba", "alembic", "urllib3", "httpx"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return path
