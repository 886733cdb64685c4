"""``python -m desktop`` opens the app."""

from desktop.app import main

raise SystemExit(main())
