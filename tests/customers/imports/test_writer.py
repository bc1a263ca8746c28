"""The batch writer: runs jobs in the import's own transaction, and hands their errors back."""

import pytest
from django.db import DatabaseError, connection, transaction

from customers.imports.writer import BatchWriter
from customers.models import Store


def test_a_job_sees_and_writes_the_callers_transaction(db):
    with transaction.atomic():
        store = Store.objects.create(code="TX", name="事务")
        writer = BatchWriter()
        try:

            def rename(cursor):
                cursor.execute(f"UPDATE {Store._meta.db_table} SET name = %s WHERE id = %s", ["改名", store.pk])
                return cursor.rowcount

            assert writer.submit(rename).result() == 1
        finally:
            writer.close()
        store.refresh_from_db()
        assert store.name == "改名"


def test_a_failing_job_raises_a_django_database_error_in_the_caller(db):
    writer = BatchWriter()
    try:
        with pytest.raises(DatabaseError), transaction.atomic():
            writer.submit(lambda cursor: cursor.execute("SELECT * FROM no_such_table")).result()
    finally:
        writer.close()
    assert connection.is_usable()
