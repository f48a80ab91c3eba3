"""Read the forms of a page as a browser would submit them, so tests post what users post."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # (name, value) as submitted, repeats kept
    selects: dict[str, list[str]] = field(default_factory=dict)  # select name → every option value
    multiple: set[str] = field(default_factory=set)  # names of multi-selects
    kinds: dict[str, str] = field(default_factory=dict)  # name → input type / "select" / "textarea"

    def data(self) -> dict[str, list[str]]:
        values: dict[str, list[str]] = {}
        for name, value in self.fields:
            values.setdefault(name, []).append(value)
        for name in self.kinds:
            values.setdefault(name, [])
        return values


class _FormParser(HTMLParser):
    def __init__(self, page_path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        attrs = {key: value or "" for key, value in attrs}
        if tag == "form" and attrs.get("method", "get").lower() == "post":
            self._form = Form(action=attrs.get("action") or self.page_path)
            self.forms.append(self._form)
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            self._form.kinds[name] = kind
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._form.fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = name
            self._form.kinds[name] = "select"
            self._form.selects[name] = []
            if "multiple" in attrs:
                self._form.multiple.add(name)
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            self._form.selects[self._select].append(value)
            if "selected" in attrs:
                self._form.fields.append((self._select, value))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
            self._form.kinds[name] = "textarea"

    def handle_data(self, data) -> None:
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._form is not None and self._textarea:
            self._form.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None


def forms_of(html: str, page_path: str) -> list[Form]:
    parser = _FormParser(page_path)
    parser.feed(html)
    return parser.forms


def edit_form(client, path: str) -> dict[str, list[str]]:
    """The values of the page's form that posts back to the page itself (its edit form)."""
    response = client.get(path)
    assert response.status_code == 200, path
    for form in forms_of(response.get_data(as_text=True), path):
        if form.action.split("?")[0] == path:
            return form.data()
    raise AssertionError(f"no form posting to {path}")
