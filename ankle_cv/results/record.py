"""Frozen dataclasses <-> JSON objects, checked field by field: the machinery under the result contract.

A record's fields are its JSON keys in their order. Field metadata says how a field is written and checked:
`flat` (a nested record whose keys sit in the parent, all present or all absent), `omit_none` (absent when
None), `legacy` (added to the schema later: absent from older files, read as None and kept absent when written
back; the record's `absent` field lists such keys), `range` (inclusive bounds of a number). Reading checks types, finiteness, ranges and unknown keys and
raises ResultFormatError naming the field (`reps[2].peak_s`); it never raises anything else.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from collections import abc
from collections.abc import Mapping
from enum import Enum
from typing import Any, ClassVar, TypeVar, Union, get_args, get_origin

from ankle_cv.errors import InputError

MAX_JSON_INT = 2**53  # larger ints are not exact in JSON readers (and no count in result.json comes near)


class ResultFormatError(InputError):
    """A result.json that does not follow the contract (exit 2); the message names the field."""


def absent_field() -> Any:
    """The `absent` field of a record with legacy fields: which of them the file it was read from lacked."""
    return dataclasses.field(default=frozenset(), compare=False, repr=False)


def field_(
    *, flat: bool = False, omit_none: bool = False, legacy: bool = False, range: tuple[float, float] | None = None,
    key: str | None = None, default: Any = dataclasses.MISSING,
) -> Any:
    """A record field with its JSON metadata (`key`: the JSON name when it differs from the attribute's)."""
    meta = {"flat": flat, "omit_none": omit_none, "legacy": legacy, "range": range, "key": key}
    if default is dataclasses.MISSING:
        return dataclasses.field(metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


R = TypeVar("R", bound="Record")


class Record:
    """Base of the result's dataclasses: to_obj() gives the JSON object, from_obj() reads and checks one."""

    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]

    def to_obj(self) -> dict[str, Any]:
        """The JSON object (dicts and lists), keys in field order."""
        out: dict[str, Any] = {}
        absent: frozenset[str] = getattr(self, "absent", frozenset())
        for f in dataclasses.fields(self):
            if f.name == "absent" or f.name in absent:
                continue
            value = getattr(self, f.name)
            if f.metadata.get("flat"):
                if value is not None:
                    out.update(value.to_obj())
            elif value is None and f.metadata.get("omit_none"):
                continue
            else:
                out[f.metadata.get("key") or f.name] = _to_json_value(value)
        return out

    def check(self, path: str) -> None:
        """Rules between fields, checked after reading (none by default)."""

    @classmethod
    def from_obj(cls: type[R], obj: Any, path: str = "") -> R:
        """Read and check a JSON object; ResultFormatError naming the field otherwise."""
        if not isinstance(obj, dict):
            raise ResultFormatError(f"{path or 'result'}: expected an object, got {_kind(obj)}")
        hints = _hints(cls)
        values: dict[str, Any] = {}
        seen: set[str] = set()
        absent: set[str] = set()
        for f in dataclasses.fields(cls):
            if f.name == "absent":
                continue
            name = f.metadata.get("key") or f.name
            where = f"{path}.{name}" if path else name
            kind = hints[f.name]
            if f.metadata.get("flat"):
                sub = _record_type(kind)
                keys = [g.name for g in dataclasses.fields(sub)]
                present = [k for k in keys if k in obj]
                if present:
                    values[f.name] = sub.from_obj({k: obj[k] for k in present}, path)
                    seen.update(present)
                else:
                    values[f.name] = None
                continue
            if name not in obj:
                if f.metadata.get("legacy"):
                    values[f.name] = None
                    absent.add(f.name)
                    continue
                if f.metadata.get("omit_none") or f.default is not dataclasses.MISSING:
                    values[f.name] = None if f.default is dataclasses.MISSING else f.default
                    continue
                raise ResultFormatError(f"{where}: missing")
            seen.add(name)
            values[f.name] = _read(obj[name], kind, where, f.metadata.get("range"))
        unknown = [k for k in obj if k not in seen]
        if unknown:
            where = f"{path}.{unknown[0]}" if path else str(unknown[0])
            raise ResultFormatError(f"{where}: unknown field")
        if absent:
            values["absent"] = frozenset(absent)
        record = cls(**values)
        record.check(path)
        return record


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    """Resolved field types of a record (cached)."""
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _record_type(kind: Any) -> type[Record]:
    """The record class inside `X | None`."""
    for arg in get_args(kind) or (kind,):
        if isinstance(arg, type) and issubclass(arg, Record):
            return arg
    raise TypeError(f"not a record type: {kind}")


def _to_json_value(value: Any) -> Any:
    """A field value as JSON data."""
    if isinstance(value, Record):
        return value.to_obj()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [_to_json_value(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _to_json_value(v) for k, v in value.items()}
    return value


def _kind(value: Any) -> str:
    """A JSON value's kind, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _read(value: Any, kind: Any, where: str, bounds: tuple[float, float] | None) -> Any:
    """One JSON value checked against a field type (and bounds, for numbers)."""
    origin = get_origin(kind)
    if origin in (Union, types.UnionType):
        return _read_union(value, get_args(kind), where, bounds)
    if origin is tuple or origin in (dict, Mapping, abc.Mapping):
        return _read_container(value, kind, where, bounds)
    if isinstance(kind, type) and issubclass(kind, Record):
        return kind.from_obj(value, where)
    if isinstance(kind, type) and issubclass(kind, Enum):
        try:
            return kind(value)
        except (ValueError, TypeError):
            allowed = ", ".join(repr(m.value) for m in kind)
            raise ResultFormatError(f"{where}: expected one of {allowed}, got {short_text(value)}") from None
    if kind in (bool, int, float, str):
        return _read_scalar(value, kind, where, bounds)
    raise TypeError(f"{where}: unsupported field type {kind}")  # a contract bug, not bad input


def _read_union(value: Any, args: tuple[Any, ...], where: str, bounds: tuple[float, float] | None) -> Any:
    """A value of the first of the union's types that reads it (null where the union allows None)."""
    if value is None and type(None) in args:
        return None
    options = [a for a in args if a is not type(None)]
    errors = []
    for option in options:
        try:
            return _read(value, option, where, bounds)
        except ResultFormatError as exc:
            errors.append(exc)
    raise errors[0] if len(errors) == 1 else ResultFormatError(
        f"{where}: expected {' or '.join(_name(o) for o in options)}{' or null' if type(None) in args else ''}, got {_kind(value)}")


def _read_container(value: Any, kind: Any, where: str, bounds: tuple[float, float] | None) -> Any:
    """A JSON list as a tuple, or a JSON object as a dict, each item checked."""
    if get_origin(kind) is tuple:
        item = get_args(kind)[0]
        if not isinstance(value, list):
            raise ResultFormatError(f"{where}: expected a list, got {_kind(value)}")
        return tuple(_read(v, item, f"{where}[{i}]", bounds) for i, v in enumerate(value))
    key_kind, item = get_args(kind)
    if not isinstance(value, dict):
        raise ResultFormatError(f"{where}: expected an object, got {_kind(value)}")
    return {_read(k, key_kind, f"{where} key", None): _read(v, item, f"{where}.{k}", bounds) for k, v in value.items()}


def _read_scalar(value: Any, kind: type, where: str, bounds: tuple[float, float] | None) -> Any:
    """A JSON true/false, whole number, finite number or string (numbers within their bounds)."""
    if kind is bool:
        if not isinstance(value, bool):
            raise ResultFormatError(f"{where}: expected true or false, got {_kind(value)}")
        return value
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ResultFormatError(f"{where}: expected a whole number, got {_kind(value)}")
        _check_range(value, where, bounds or (-MAX_JSON_INT, MAX_JSON_INT))
        return value
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ResultFormatError(f"{where}: expected a number, got {_kind(value)}")
        if isinstance(value, int) and abs(value) > MAX_JSON_INT:
            raise ResultFormatError(f"{where}: {short_text(value)} is out of range")
        number = float(value)
        if not math.isfinite(number):
            raise ResultFormatError(f"{where}: expected a finite number, got {number}")
        _check_range(number, where, bounds)
        return number
    if not isinstance(value, str):
        raise ResultFormatError(f"{where}: expected a string, got {_kind(value)}")
    return value


def _check_range(value: float, where: str, bounds: tuple[float, float] | None) -> None:
    """ResultFormatError when a number is outside its field's bounds."""
    if bounds is not None and not (bounds[0] <= value <= bounds[1]):
        raise ResultFormatError(f"{where}: {short_text(value)} is outside [{bounds[0]:g}, {bounds[1]:g}]")


def short_text(value: Any) -> str:
    """A value for a one-line message (long ones cut)."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _name(kind: Any) -> str:
    """A type's name in messages."""
    return {int: "a whole number", float: "a number", str: "a string", bool: "true or false"}.get(kind, getattr(kind, "__name__", str(kind)))
