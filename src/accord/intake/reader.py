"""The public entry points: stream or read one agency file of a given kind.

The format follows the file name: .csv is CSV, .json an Ed-Fi array, .ndjson/.jsonl one Ed-Fi
object per line (override with `fmt`). A fatal IntakeError can come after some Batches have been
yielded (a bad byte late in a file), so a caller loading in one transaction must roll back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import partial
from pathlib import Path

from .chunking import Converter, chunked, without_gc
from .csv_reader import CSV_KINDS, iter_csv_batches
from .descriptors import NO_MAP, DescriptorMap
from .edfi_resources import (
    Incident,
    attendance_event,
    behavior_converter,
    food_service,
    incident_converter,
    school_association,
    student,
)
from .edfi_source import iter_json_array, iter_ndjson
from .errors import IntakeError, RowIssue
from .records import Batch, merge_batches
from .source import DEFAULT_MAX_BYTES
from .values import Seen

EDFI_KINDS = ("students", "studentSchoolAssociations", "studentSchoolAttendanceEvents", "disciplineIncidents",
              "studentDisciplineIncidentBehaviorAssociations", "studentSchoolFoodServiceProgramAssociations")
_FORMATS = {".csv": "csv", ".json": "json", ".ndjson": "ndjson", ".jsonl": "ndjson"}
IncidentIndex = dict[tuple[str, str], Incident]


def detect_format(path: Path) -> str:
    """'csv', 'json' or 'ndjson' from the file name's extension."""
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise IntakeError(path.name, 0, "(file)",
                          "unknown file type (expected .csv, .json, .ndjson or .jsonl)")
    return fmt


def _edfi_converter(name: str, kind: str, incidents: Mapping[tuple[str, str], Incident] | None,
                    descriptors: DescriptorMap) -> Converter:
    simple = {
        "students": student, "studentSchoolAssociations": school_association,
        "studentSchoolAttendanceEvents": attendance_event,
        "studentSchoolFoodServiceProgramAssociations": food_service,
    }
    if kind in simple:
        return partial(simple[kind], descriptors=descriptors)
    if kind == "disciplineIncidents":
        return incident_converter({})  # validated only; read_incidents keeps the index
    if incidents is None:
        raise IntakeError(name, 0, "incidents", "behavior associations need the disciplineIncidents "
                          "(read them with read_incidents first)")
    return behavior_converter(incidents, descriptors)


def iter_batches(path: str | Path, kind: str, chunk_rows: int = 50_000, *, element: str | None = None,
                 incidents: Mapping[tuple[str, str], Incident] | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES, on_progress: Callable[[int], None] | None = None,
                 fmt: str | None = None, descriptors: DescriptorMap = NO_MAP) -> Iterator[Batch]:
    """Validated Batches of at most `chunk_rows` rows from one file, streamed.

    `element` is the catalogue code a partner `roster`'s program fields are filed under;
    `incidents` (from read_incidents) joins Ed-Fi behavior associations to their incidents;
    `descriptors` maps an agency's own Ed-Fi descriptors to the codes Accord knows;
    `on_progress` is called with the bytes read so far. Duplicates are caught across chunks."""
    return without_gc(_batches(Path(path), kind, chunk_rows, element, incidents, max_bytes, on_progress, fmt,
                               descriptors))


def _batches(path: Path, kind: str, chunk_rows: int, element: str | None,
             incidents: Mapping[tuple[str, str], Incident] | None, max_bytes: int,
             on_progress: Callable[[int], None] | None, fmt: str | None,
             descriptors: DescriptorMap) -> Iterator[Batch]:
    fmt = fmt or detect_format(path)
    if fmt == "csv":
        if kind not in CSV_KINDS:
            expected = ", ".join(CSV_KINDS)
            raise IntakeError(path.name, 0, "kind", f"unknown CSV kind (expected one of: {expected})")
        yield from iter_csv_batches(path, kind, chunk_rows=chunk_rows, element=element,
                                    max_bytes=max_bytes, on_progress=on_progress)
        return
    if fmt not in ("json", "ndjson"):
        raise IntakeError(path.name, 0, "format", "unknown format (expected csv, json or ndjson)")
    if kind not in EDFI_KINDS:
        expected = ", ".join(EDFI_KINDS)
        raise IntakeError(path.name, 0, "kind", f"unknown Ed-Fi resource (expected one of: {expected})")
    convert = _edfi_converter(path.name, kind, incidents, descriptors)
    scan = iter_json_array if fmt == "json" else iter_ndjson
    rows = scan(path, max_bytes=max_bytes, on_progress=on_progress)
    yield from chunked(kind, path.name, rows, _objects_only(convert), chunk_rows)


def _objects_only(convert: Converter) -> Converter:
    def check(row: object, out: Batch, seen: Seen) -> None:
        if not isinstance(row, dict):
            raise RowIssue("(record)", "not a JSON object")
        convert(row, out, seen)

    return check


def read_file(path: str | Path, kind: str, chunk_rows: int = 50_000, *, element: str | None = None,
              incidents: Mapping[tuple[str, str], Incident] | None = None,
              max_bytes: int = DEFAULT_MAX_BYTES, on_progress: Callable[[int], None] | None = None,
              fmt: str | None = None) -> Batch:
    """The whole file as one Batch (options as for iter_batches); for files that fit in memory."""
    path = Path(path)
    parts = iter_batches(path, kind, chunk_rows, element=element, incidents=incidents, max_bytes=max_bytes,
                         on_progress=on_progress, fmt=fmt)
    return merge_batches(kind, path.name, parts)


def read_incidents(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES,
                   on_progress: Callable[[int], None] | None = None,
                   fmt: str | None = None) -> tuple[IncidentIndex, Batch]:
    """An Ed-Fi disciplineIncidents file as an index for the behavior join, with its rejections."""
    path = Path(path)
    fmt = fmt or detect_format(path)
    if fmt not in ("json", "ndjson"):
        raise IntakeError(path.name, 0, "format", "discipline incidents come as Ed-Fi JSON or NDJSON")
    index: IncidentIndex = {}
    scan = iter_json_array if fmt == "json" else iter_ndjson
    rows = scan(path, max_bytes=max_bytes, on_progress=on_progress)
    parts = chunked("disciplineIncidents", path.name, rows, _objects_only(incident_converter(index)), 1 << 30)
    return index, merge_batches("disciplineIncidents", path.name, parts)


def read_discipline(incidents_path: str | Path, behaviors_path: str | Path, *,
                    max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[Batch, Batch]:
    """Both Ed-Fi discipline files: (the incidents' Batch, the joined behavior Batch with the
    students' discipline items)."""
    index, incidents = read_incidents(incidents_path, max_bytes=max_bytes)
    behaviors = read_file(behaviors_path, "studentDisciplineIncidentBehaviorAssociations",
                          incidents=index, max_bytes=max_bytes)
    return incidents, behaviors
