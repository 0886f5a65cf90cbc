"""The e-mails there are: each one's key, name and the variables its templates may use.

The rooms that send an e-mail register it from their ``AppConfig.ready`` with a function that
builds the context of plain values from the reseller's latest real data, for the preview.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class EmailKind:
    key: str
    title: str
    #: name -> what it holds; the templates read nothing else.
    variables: dict[str, str]
    #: reseller -> the context of its latest fitting record, or None when it has none yet.
    preview: Callable = field(compare=False, default=lambda reseller: None)


_KINDS: dict[str, EmailKind] = {}


def register(kind: EmailKind) -> None:
    _KINDS[kind.key] = kind


def kind_of(key: str) -> EmailKind:
    return _KINDS[key]


def kinds() -> list[EmailKind]:
    return sorted(_KINDS.values(), key=lambda kind: str(kind.title))
