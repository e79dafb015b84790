"""The `ipcredit` command line: `base` builds the app and shared options; each command module adds its commands.

Importing the command modules here registers them on `base.app` (the `ipcredit` entry point).
"""

from api.cli import (
    agencies,
    commitments,
    credit,
    db,
    exchange,
    load,
    measures,
    publication,
    query,
    serve,
    supervision,
    synth,
)
from api.cli.base import app

__all__ = [
    "agencies",
    "app",
    "commitments",
    "credit",
    "db",
    "exchange",
    "load",
    "measures",
    "publication",
    "query",
    "serve",
    "supervision",
    "synth",
]
