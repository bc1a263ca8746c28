"""The stream a COPY reads while the next slice of rows is still being written."""

from __future__ import annotations

from customers.imports.bulk import _Stream


def read_all(stream: _Stream, size: int) -> bytes:
    out = b""
    while chunk := stream.read(size):
        out += chunk
    return out


def test_every_byte_arrives_in_order_whatever_the_read_size():
    pieces = [b"1,a\n2,b\n", b"3,c\n", b"4,d\n5,e\n6,f\n"]
    for size in (1, 3, 7, 1 << 20, -1):
        assert read_all(_Stream(iter(pieces)), size) == b"".join(pieces)


def test_an_empty_piece_does_not_end_the_stream():
    assert read_all(_Stream(iter([b"1,a\n", b"", b"2,b\n"])), 1 << 20) == b"1,a\n2,b\n"
