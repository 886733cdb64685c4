"""The Reelwright desktop app: PySide6 on a qasync event loop.

Views are thin: state lives in core and worker, widgets render it and send
commands. Database and file work runs off the GUI thread through
``Backend.run``; progress arrives from Redis pub/sub on the event loop.
"""
