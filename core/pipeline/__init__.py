"""The stages that turn a project's content into a video.

Each stage is a plain function of a ``StageContext`` and a project id: it
reads what it needs from the database and storage, does its work without
holding a database session, and writes files and rows back. Dramatiq actors
in ``worker/`` and the command line call the same functions.
"""
