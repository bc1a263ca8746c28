"""One form field in Bootstrap 5's markup (as crispy-forms writes it), built in Python.

The customer card renders the follow-up and profile forms on every view and every saved contact. Through
the template language (a field template including Django's widget templates, which include `attrs.html`
per option) they cost more than the rest of the card; the same bytes written here cost a tenth of it.
Every value goes through `conditional_escape`, as `{{ }}` would. Widgets this module does not know (a
custom template) are rendered by Django as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("input", "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time")
)
_INPUT_TEMPLATES |= {"django/forms/widgets/checkbox.html"}
_SELECT = "django/forms/widgets/select.html"
_OPTION = "django/forms/widgets/select_option.html"
_TEXTAREA = "django/forms/widgets/textarea.html"


def field_html(field: forms.BoundField) -> SafeString:
    """The field's label, widget, errors and help text in a `div.mb-3`; a fieldset of checks for radio buttons
    and several checkboxes."""
    kind = field.widget_type
    auto_id = conditional_escape(field.auto_id)
    parts = [f'\n<div id="div_{auto_id}" class="mb-3{" form-check" if kind == "checkbox" else ""}">\n']
    if kind in ("radioselect", "checkboxselectmultiple"):
        parts.append(_fieldset(field, kind, auto_id))
    elif kind == "checkbox":
        label = f'<label for="{_e(field.id_for_label)}" class="form-check-label">{_e(field.label)}</label>'
        parts.append(f"\n  {widget_html(field)}{label}\n  {_errors(field, auto_id, '')}\n")
    else:
        required = field.field.required
        label = (
            f'<label for="{_e(field.id_for_label)}" class="form-label{" requiredField" if required else ""}">'
            f"{_e(field.label)}{_ASTERISK if required else ''}</label>"
        )
        parts.append(f"\n  {label}\n  {widget_html(field)}\n  {_errors(field, auto_id, '')}\n")
    parts.append("\n")
    if field.help_text:
        parts.append(f'<div id="{auto_id}_helptext" class="form-text">{_e(field.help_text)}</div>')
    parts.append("\n</div>\n")
    return mark_safe("".join(parts))  # every value above is escaped


_ASTERISK = '<span class="asteriskField">*</span>'


def _fieldset(field: forms.BoundField, kind: str, auto_id: str) -> str:
    required = field.field.required
    legend = (
        f'<legend class="form-label fs-6{" requiredField" if required else ""}">{_e(field.label)}'
        f"{_ASTERISK if required else ''}</legend>"
    )
    kind_type = "radio" if kind.startswith("radio") else "checkbox"
    options = "".join(_check_option(choice.data, kind_type) for choice in field)
    errors = _errors(field, auto_id, " d-block")
    return f"\n  <fieldset>\n    {legend}\n    \n    <div>{options}</div>\n    {errors}\n  </fieldset>\n"


def _check_option(option: dict[str, Any], kind_type: str) -> str:
    attrs = option["attrs"]
    option_id = _e(attrs.get("id"))
    return (
        f'<div class="form-check"><input type="{kind_type}" name="{_e(option["name"])}" value="{_e(option["value"])}"'
        f' class="{_e(attrs.get("class", ""))}" id="{option_id}"{" required" if attrs.get("required") else ""}'
        f'{" checked" if option["selected"] else ""}><label for="{option_id}" class="form-check-label">'
        f"{_e(option['label'])}</label></div>"
    )


def _errors(field: forms.BoundField, auto_id: str, extra_class: str) -> str:
    if not field.errors:
        return ""
    errors = "".join(f"<p><strong>{_e(error)}</strong></p>" for error in field.errors)
    return f'<div id="{auto_id}_error" class="invalid-feedback{extra_class}">{errors}</div>'


def widget_html(field: forms.BoundField) -> str:
    """What `{{ field }}` renders (`BoundField.as_widget`), for the input, select and textarea widgets."""
    widget = field.field.widget
    template = widget.template_name
    if field.field.show_hidden_initial or not _known(widget):
        return str(field)
    if field.field.localize:
        widget.is_localized = True
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    name = _e(context["name"])
    if template == _SELECT:
        return f'<select name="{name}"{_attrs(context["attrs"])}>{_optgroups(context["optgroups"])}\n</select>'
    if template == _TEXTAREA:
        value = context["value"]
        return f'<textarea name="{name}"{_attrs(context["attrs"])}>\n{_e(value) if value else ""}</textarea>'
    value = context["value"]
    shown = f' value="{_e(_s(value))}"' if value is not None else ""
    return f'<input type="{_e(context["type"])}" name="{name}"{shown}{_attrs(context["attrs"])}>'


def _known(widget: forms.Widget) -> bool:
    template = widget.template_name
    if template == _SELECT:
        return getattr(widget, "option_template_name", None) == _OPTION
    return template in _INPUT_TEMPLATES or template == _TEXTAREA


def _optgroups(groups: Iterable[tuple[Any, list[dict[str, Any]], int]]) -> str:
    parts = []
    for group_name, options, _index in groups:
        if group_name:
            parts.append(f'\n  <optgroup label="{_e(group_name)}">')
        for option in options:
            value, label = _e(_s(option["value"])), _e(option["label"])
            parts.append(f'\n  <option value="{value}"{_attrs(option["attrs"])}>{label}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    return "".join(parts)


def _attrs(attrs: dict[str, Any]) -> str:
    """`django/forms/widgets/attrs.html`: False leaves the attribute out, True writes its bare name."""
    return "".join(
        f" {_e(name)}" if value is True else f' {_e(name)}="{_e(_s(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def _s(value: object) -> str:
    """The `stringformat:'s'` filter."""
    return str(value) if isinstance(value, tuple) else "%s" % (value,)  # noqa: UP031 - the filter's own formatting


def _e(value: Any) -> str:
    return conditional_escape(value)
