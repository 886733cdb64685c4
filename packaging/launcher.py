"""Entry point of the frozen app: the window, or a command when given one.

``Reelwright`` alone opens the app; ``Reelwright worker ...`` (how the pool
starts workers) and every other ``reelwright`` command run the command line.
"""

import sys


def main() -> int:
    if len(sys.argv) > 1:
        from worker.cli import main as cli_main

        cli_main()
        return 0
    from desktop.app import main as app_main

    return app_main()


if __name__ == "__main__":
    raise SystemExit(main())
