"""Reading a JSON document (a file, or a request's body) field by field, with errors that name the
document and the field. The command line and the service read agreements and consents through it."""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from accord.errors import AccordError

E = TypeVar("E", bound=StrEnum)


class DocumentInvalid(AccordError, ValueError):
    """A document that cannot be read, or a field of it of the wrong form."""

_MISSING = object()


def load_object(path: Path) -> JsonFields:
    """The file's top-level JSON object."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DocumentInvalid(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise DocumentInvalid(f"{path}: cannot be read ({err.__class__.__name__})") from None
    except json.JSONDecodeError as err:
        raise DocumentInvalid(f"{path}: not valid JSON (line {err.lineno}, column {err.colno})") from None
    return JsonFields(str(path), data)


class JsonFields:
    """Typed access to one JSON object; every error names `<file>: field '<name>'`."""

    def __init__(self, where: str, data: Any) -> None:
        if not isinstance(data, dict):
            raise DocumentInvalid(f"{where}: expected a JSON object").coded("not_an_object")
        self.where, self.data = where, data

    def _bad(self, key: str, expected: str, code: str, **values: str) -> DocumentInvalid:
        """The field's error; `code` names the form expected (a page words it by that)."""
        return DocumentInvalid(f"{self.where}: field '{key}': expected {expected}").coded(code, field=key,
                                                                                          **values)

    def _get(self, key: str, default: Any) -> Any:
        value = self.data.get(key, _MISSING)
        if value is _MISSING or value is None:
            if default is _MISSING:
                raise DocumentInvalid(f"{self.where}: field '{key}' is required").coded("required", field=key)
            return default
        return value

    def text(self, key: str, default: Any = _MISSING) -> Any:
        value = self._get(key, default)
        if value is not default and not isinstance(value, str):
            raise self._bad(key, "a string", "not_text")
        return value

    def flag(self, key: str, default: bool = False) -> bool:
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise self._bad(key, "true or false", "not_true_or_false")
        return value

    def integer(self, key: str, default: Any = _MISSING) -> Any:
        value = self._get(key, default)
        if value is not default and (isinstance(value, bool) or not isinstance(value, int)):
            raise self._bad(key, "a whole number", "not_a_whole_number")
        return value

    def day(self, key: str, default: Any = _MISSING) -> Any:
        value = self._get(key, default)
        if value is default:
            return value
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            raise self._bad(key, "a date like 2026-09-01", "not_a_date") from None

    def strings(self, key: str, default: Any = _MISSING) -> list[str]:
        value = self._get(key, default if default is _MISSING else list(default))
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._bad(key, "a list of strings", "not_a_list")
        return value

    def enums(self, key: str, kind: type[E], default: Any = _MISSING) -> frozenset[E]:
        out = set()
        for v in self.strings(key, default):
            try:
                out.add(kind(v))
            except ValueError:
                allowed = ", ".join(k.value for k in kind)
                raise self._bad(key, f"values among: {allowed} (got {v!r})", "not_among", allowed=allowed
                                ) from None
        return frozenset(out)

    def enum(self, key: str, kind: type[E], default: Any = _MISSING) -> Any:
        value = self.text(key, default)
        if value is default:
            return value
        try:
            return kind(value)
        except ValueError:
            allowed = ", ".join(k.value for k in kind)
            raise self._bad(key, "one of: " + allowed, "not_among", allowed=allowed) from None

    def objects(self, key: str) -> list[JsonFields]:
        value = self._get(key, [])
        if not isinstance(value, list):
            raise self._bad(key, "a list of objects", "not_a_list")
        return [JsonFields(f"{self.where}: field '{key}'[{i}]", v) for i, v in enumerate(value)]

    def object(self, key: str) -> JsonFields | None:
        value = self._get(key, None)
        return None if value is None else JsonFields(f"{self.where}: field '{key}'", value)
