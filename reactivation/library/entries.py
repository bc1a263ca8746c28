"""The shape of one default script: a key, where it applies, and its text in each language."""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("zh-hans", "en")


@dataclass(frozen=True)
class Text:
    title: str
    when_to_use: str
    body: str


def text(title: str, when_to_use: str, *paragraphs: str) -> Text:
    """One language's version; paragraphs become the lines a staff member reads or sends."""
    return Text(title=title, when_to_use=when_to_use, body="\n".join(paragraphs))


@dataclass(frozen=True)
class LibraryScript:
    """A script of the default library. `situation`, `channel`, `bucket` and `reason` are model choice codes."""

    key: str
    situation: str
    zh: Text
    en: Text
    channel: str = "call"
    bucket: str = ""
    reason: str = ""

    def texts(self) -> dict[str, Text]:
        return {"zh-hans": self.zh, "en": self.en}
