"""Advisory file locks that the operating system drops with their process.

A lock held by a process that crashes is released by the kernel, so no
stale lock file ever needs cleaning up: the embedded Redis's start-up lock
and the machine's encoder slots rely on that.
"""

from __future__ import annotations

import os
import sys

if sys.platform == "win32":
    import msvcrt

    def try_lock_file(fd: int) -> bool:
        """Take an exclusive lock on the open file ``fd`` if it is free."""
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def unlock_file(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def try_lock_file(fd: int) -> bool:
        """Take an exclusive lock on the open file ``fd`` if it is free."""
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def unlock_file(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
