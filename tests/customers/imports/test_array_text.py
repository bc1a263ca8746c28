"""A batch's column sent as one PostgreSQL array literal: the same text from a polars column as from a list."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from customers.imports.bulk import array_text


@pytest.mark.parametrize(
    "values, dtype, text",
    [
        ([7, None, 12345678901], pl.Int64, "{7,NULL,12345678901}"),
        ([dt.date(2026, 3, 5), None], pl.Date, "{2026-03-05,NULL}"),
        (["王丽", 'say "hi"', None], pl.String, '{"王丽","say \\"hi\\"",NULL}'),
        ([], pl.Int64, "{}"),
    ],
)
def test_a_column_is_spelled_as_its_values_are(values, dtype, text):
    assert array_text(values) == text
    assert array_text(pl.Series(values, dtype=dtype)) == text
