"""Large buffers handed back to the system as soon as they are freed.

A columnar import passes megabytes at a time through Python and the database driver: a COPY's
text a slice at a time, a statement's arrays. After freeing one such buffer, glibc's allocator
serves buffers of up to its size from its heap instead of a mapping of their own (its mmap
threshold follows the largest buffer freed), and that heap, with small objects kept between the
freed buffers, holds on to tens of megabytes it no longer uses: a million-row visits file peaked
about 30 MB higher for it. A fixed threshold keeps every buffer above it in its own mapping,
returned to the system when it is freed.
"""

from __future__ import annotations

import ctypes
import functools

M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter (malloc.h)
LARGE_BUFFER = 256 * 1024  # bytes: larger buffers get a mapping of their own


@functools.cache
def return_large_buffers() -> bool:
    """Fix the allocator's mmap threshold, once per process; False where the C library has no `mallopt` (not glibc)."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, LARGE_BUFFER))
