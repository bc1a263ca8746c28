"""An import's large buffers go back to the system when freed, not into a heap that keeps them (glibc)."""

import ctypes

import pytest

from customers.imports.memory import LARGE_BUFFER, return_large_buffers


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            *("arena", "ordblks", "smblks", "hblks", "hblkhd"),
            *("usmblks", "fsmblks", "uordblks", "fordblks", "keepcost"),
        )
    ]


def _mapped_bytes() -> int:
    """Bytes glibc holds in mappings of their own (each freed with its buffer)."""
    mallinfo2 = ctypes.CDLL(None).mallinfo2
    mallinfo2.restype = _MallInfo2
    return mallinfo2().hblkhd


@pytest.fixture
def glibc():
    try:
        ctypes.CDLL(None).mallinfo2  # noqa: B018 (glibc 2.33 and later)
    except AttributeError:
        pytest.skip("not glibc")


def test_a_buffer_the_size_of_one_freed_before_still_gets_a_mapping_of_its_own(glibc):
    assert return_large_buffers()
    # Freed, an 8 MB buffer would have raised glibc's own threshold to 8 MB: a 4 MB one would then come
    # from the heap, which keeps what it is given back.
    freed = ctypes.create_string_buffer(8 << 20)
    del freed
    before = _mapped_bytes()
    buffer = ctypes.create_string_buffer(4 << 20)
    assert _mapped_bytes() - before >= 4 << 20
    del buffer
    assert _mapped_bytes() == before  # and handed back when freed


def test_small_objects_stay_on_the_heap(glibc):
    return_large_buffers()
    before = _mapped_bytes()
    kept = [ctypes.create_string_buffer(LARGE_BUFFER // 4) for _ in range(8)]
    assert _mapped_bytes() == before
    del kept
