"""A backup is only as good as its restore: scripts/backup_restore_check.sh dumps, restores and compares."""

from __future__ import annotations

import subprocess

import pytest

from customers.services.cards import card_open
from tests.factories import CustomerFactory
from tests.processes import ROOT
from tests.processes import test_database_url as database_url

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_dump_restores_into_an_identical_database(store, beautician_a, tmp_path):
    customer = CustomerFactory(store=store, assignee=beautician_a, bucket="m1")
    card_open(customer=customer, name="储值卡", balance=800)
    dump = tmp_path / "salon.dump"
    run = subprocess.run(
        [str(ROOT / "scripts" / "backup_restore_check.sh"), database_url(), str(dump)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "restored copy matches" in run.stdout and dump.stat().st_size > 0
