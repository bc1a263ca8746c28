"""The default script library (统一话术) shipped with the product, in Chinese and English.

The texts live here, in code, so that they are reviewed like code. Migrations
load them with `sync_default_scripts` (their step: `sync.sync_from_migration`).
To change a default text: edit it here, then add a migration that runs that step
again and carries `LIBRARY_FINGERPRINT = "<fingerprint()>"` at module level
(copy 0010_default_scripts_card_left). Store overrides are never touched. A test
fails while the latest such migration does not carry the current fingerprint, so
a text changed here cannot miss the databases.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json

from .calls import OPENINGS, REASON_SCRIPTS
from .entries import LANGUAGES, LibraryScript, Text
from .messages import MESSAGES
from .objections import APOLOGIES, OBJECTIONS

DEFAULT_SCRIPTS: tuple[LibraryScript, ...] = (*OPENINGS, *REASON_SCRIPTS, *OBJECTIONS, *APOLOGIES, *MESSAGES)


def fingerprint(scripts: tuple[LibraryScript, ...] = DEFAULT_SCRIPTS) -> str:
    """A short hash of every default text: it changes whenever any text, key or placement changes."""
    payload = json.dumps([dataclasses.asdict(s) for s in scripts], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


__all__ = ["DEFAULT_SCRIPTS", "LANGUAGES", "LibraryScript", "Text", "fingerprint"]
