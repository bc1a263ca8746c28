"""/exports/call-lists/: the call lists of DESIGN §5.3 from the browser, managers only, audited."""

from __future__ import annotations

import io

import openpyxl
from dateutil.relativedelta import relativedelta

from customers.models import AuditEvent
from reactivation.services.segment import segment_store
from tests.factories import CustomerFactory


def test_the_manager_downloads_the_call_lists_audited_with_formulas_neutralised(client, store, manager, beautician_a):
    today = store.today()
    CustomerFactory(
        store=store,
        name="=cmd|' /C calc'!A0",
        phone="13812345678",
        last_visit_on=today - relativedelta(months=1, days=2),
    )
    segment_store(store=store, today=today)
    client.force_login(manager)
    body = client.get("/exports/call-lists/?format=csv").content.decode("utf-8-sig")
    header, row = body.splitlines()
    assert header.split(",")[:3] == ["store", "phone", "name"]
    assert "13812345678" in row and "'=cmd" in row and "beautician_a" in row
    response = client.get("/exports/call-lists/?format=xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[1][2].startswith("'=") and rows[1][1] == "13812345678"
    assert AuditEvent.objects.filter(action="export", detail__what="call_lists", actor=manager).count() == 2


def test_nobody_else_exports(client, store, beautician_a, owner):
    for person in (beautician_a, owner):
        client.force_login(person)
        assert client.get("/exports/call-lists/?format=csv").status_code == 403
    assert not AuditEvent.objects.exists()
