"""Importing a salon's records from CSV and Excel files (DESIGN §5.1, §5.2)."""

import os

# polars allocates through jemalloc, which by default keeps freed memory for a while before giving
# it back: an import's many short-lived columns then add up to twice the memory they need at once.
# Returned at once, a million-row visits file stays within its memory budget. Read by jemalloc
# when polars is first imported, which this package does before anything else of the import.
os.environ.setdefault("_RJEM_MALLOC_CONF", "dirty_decay_ms:0,muzzy_decay_ms:0")
