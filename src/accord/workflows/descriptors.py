"""The records officer's map of an agency's own Ed-Fi descriptors (a state's or district's
namespace) to the codes Accord knows, and the map a load of that agency's files reads with."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from accord.errors import AccordError
from accord.intake.descriptors import DESCRIPTOR_TYPES, DescriptorMap
from accord.store.repositories.agencies import get_agency
from accord.store.repositories.descriptors import DescriptorMapping, delete_mapping, mappings_of, save_mapping

SOURCE_LIMIT = 300  # descriptor_mappings.source


class MappingRefused(AccordError, ValueError):
    """A descriptor mapping that cannot be kept; the message names the option at fault."""


def descriptor_type(uri: str) -> str:
    """The descriptor type a URI names (`uri://ky.gov/AttendanceEventCategoryDescriptor#UA` ->
    AttendanceEventCategoryDescriptor), if the Ed-Fi readers take it."""
    if len(uri.strip()) > SOURCE_LIMIT:
        raise MappingRefused(f"--from: longer than {SOURCE_LIMIT} characters, the limit for a descriptor URI")
    namespace, sep, code = uri.strip().rpartition("#")
    kind = namespace.rstrip("/").rpartition("/")[2]
    if not sep or not code.strip() or "://" not in namespace:
        raise MappingRefused("--from: not an Ed-Fi descriptor URI (expected uri://NAMESPACE/TYPE#CODE)")
    if kind not in DESCRIPTOR_TYPES:
        raise MappingRefused(f"--from: {kind or 'no type'} is not a descriptor the Ed-Fi readers take "
                             f"(one of: {', '.join(sorted(DESCRIPTOR_TYPES))})")
    return kind


def map_descriptor(session: Session, agency_id: str, uri: str, code: str, by: str, at: datetime
                   ) -> DescriptorMapping:
    """Keep `uri` (of the agency's own namespace) as the known `code` of its descriptor type."""
    if get_agency(session, agency_id) is None:
        raise MappingRefused(f"--agency: unknown agency {agency_id}")
    kind = descriptor_type(uri)
    canonical = DESCRIPTOR_TYPES[kind].get(code.strip().casefold())
    if canonical is None:
        raise MappingRefused(f"--to: {code!r} is not a {kind} code Accord knows (one of: "
                             f"{', '.join(DESCRIPTOR_TYPES[kind].values())})")
    mapping = DescriptorMapping(agency_id, kind, uri.strip().casefold(), canonical, by, at)
    save_mapping(session, mapping)
    return mapping


def unmap_descriptor(session: Session, agency_id: str, uri: str) -> None:
    if not delete_mapping(session, agency_id, descriptor_type(uri), uri.strip().casefold()):
        raise MappingRefused(f"--from: agency {agency_id} has no mapping of {uri.strip()}")


def descriptor_map(session: Session, agency_id: str) -> DescriptorMap:
    """What a load of the agency's Ed-Fi files reads its descriptors with."""
    return {(m.descriptor, m.source): m.code for m in mappings_of(session, agency_id)}


def descriptor_mappings(session: Session, agency_id: str) -> list[DescriptorMapping]:
    return mappings_of(session, agency_id)
