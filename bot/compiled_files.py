"""Files the bot compiles from its sources so that it starts faster (the guide's search index,
the UI catalogs): written whole or not at all, and never required. A compiled file that is
missing, stale or damaged is made again from the sources; one that cannot be written (a
read-only folder) is made in memory at every start, and the log says so."""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)


def write_whole(path: Path, data: bytes, what: str) -> bool:
    """Replace the file at once (readers see the old one or the new one, never half of it)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".tmp-", delete=False) as out:
            out.write(data)
        try:
            os.chmod(out.name, 0o644)  # readable by the bot's user where the image builds it
            os.replace(out.name, path)
        except OSError:
            os.unlink(out.name)
            raise
    except OSError as exc:
        log.warning(
            "%s cannot be saved in %s (%s): it is made again at every start",
            what,
            path.parent,
            reason(exc),
        )
        return False
    return True


def reason(exc: Exception) -> str:
    """A short cause for the log (an OS error's text, not its path)."""
    if isinstance(exc, OSError):
        return exc.strerror or type(exc).__name__
    return str(exc)
