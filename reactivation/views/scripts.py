"""The script library at /scripts/: everyone signed in reads it, the store's manager (or head office) edits it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from customers.access import Capability, may, requires, store_for, store_query, visible_stores
from customers.buckets import Bucket
from customers.http import StaffRequest
from customers.models import Store

from ..models import Script, ScriptVersion
from ..reasons import Reason
from ..selectors.scripts import script_for_store, script_language, store_scripts

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def editable_store(request: StaffRequest) -> Store:
    return store_for(request, Capability.EDIT_SCRIPTS)


def back_to_library(store: Store, request: StaffRequest, anchor: str = ""):
    response = redirect("reactivation:scripts")
    response["Location"] += store_query(request.user, store) + (f"#{anchor}" if anchor else "")
    return response


@requires(Capability.READ_SCRIPTS)
def script_library(request: StaffRequest) -> HttpResponse:
    store = store_for(request, Capability.READ_SCRIPTS)
    can_edit = may(request.user, Capability.EDIT_SCRIPTS, store)
    language = script_language(request.GET.get("lang"))
    scripts = store_scripts(store=store, language=language, include_inactive=can_edit)
    chosen = {name: request.GET.get(name, "") for name in ("situation", "reason", "bucket", "q")}
    scripts = [s for s in scripts if _matches(s, chosen)]
    context = {
        "store": store,
        "stores": visible_stores(request.user).order_by("code") if request.user.is_head_office else [],
        "can_edit": can_edit,
        "language": language,
        "groups": _by_situation(scripts),
        "chosen": chosen,
        "situations": Script.Situation.choices,
        "reasons": Reason.choices,
        "buckets": [(b, label) for b, label in Bucket.choices if b != Bucket.ACTIVE],
        "languages": Script.Language.choices,
        "count": len(scripts),
        "store_query": store_query(request.user, store),
    }
    return render(request, "reactivation/scripts.html", context)


def _matches(script: Script, chosen: dict[str, str]) -> bool:
    text = chosen["q"].strip().lower()
    return (
        (not chosen["situation"] or script.situation == chosen["situation"])
        and (not chosen["reason"] or script.reason == chosen["reason"])
        and (not chosen["bucket"] or script.bucket == chosen["bucket"])
        and (not text or text in f"{script.title}\n{script.when_to_use}\n{script.body}".lower())
    )


def _by_situation(scripts: list[Script]) -> list[tuple[str, StrOrPromise, list[Script]]]:
    groups: dict[str, list[Script]] = {}
    for script in scripts:  # already in library order
        groups.setdefault(script.situation, []).append(script)
    labels = dict(Script.Situation.choices)
    return [(code, labels.get(code, code), items) for code, items in groups.items()]


@requires(Capability.EDIT_SCRIPTS)
def script_history(request: StaffRequest, script_id: int) -> HttpResponse:
    store = editable_store(request)
    script = script_for_store(store=store, script_id=script_id)
    versions = ScriptVersion.objects.filter(script=script).select_related("edited_by")
    context = {"store": store, "script": script, "versions": versions, "store_query": store_query(request.user, store)}
    return render(request, "reactivation/script_history.html", context)


def get_version(script: Script, version_id: int) -> ScriptVersion:
    return get_object_or_404(ScriptVersion, pk=version_id, script=script)
