"""An agency's map of its own Ed-Fi descriptors to the codes Accord knows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from accord.store.errors import guarded
from accord.store.models import DescriptorMappingRow


@dataclass(frozen=True, slots=True)
class DescriptorMapping:
    agency_id: str
    descriptor: str
    source: str  # the agency's URI, casefolded
    code: str
    mapped_by: str
    mapped_at: datetime


@guarded("saving a descriptor mapping")
def save_mapping(session: Session, mapping: DescriptorMapping) -> None:
    """Insert or replace the mapping of one of the agency's descriptors."""
    session.merge(DescriptorMappingRow(agency_id=mapping.agency_id, descriptor=mapping.descriptor,
                                       source=mapping.source, code=mapping.code, mapped_by=mapping.mapped_by,
                                       mapped_at=mapping.mapped_at))
    session.flush()


def delete_mapping(session: Session, agency_id: str, descriptor: str, source: str) -> bool:
    """Remove one mapping; whether there was one."""
    gone = session.execute(delete(DescriptorMappingRow).where(
        DescriptorMappingRow.agency_id == agency_id, DescriptorMappingRow.descriptor == descriptor,
        DescriptorMappingRow.source == source))
    return bool(gone.rowcount)  # type: ignore[attr-defined]


def mappings_of(session: Session, agency_id: str) -> list[DescriptorMapping]:
    """The agency's mappings, by descriptor type and URI."""
    rows = session.scalars(select(DescriptorMappingRow).where(DescriptorMappingRow.agency_id == agency_id)
                           .order_by(DescriptorMappingRow.descriptor, DescriptorMappingRow.source))
    return [DescriptorMapping(r.agency_id, r.descriptor, r.source, r.code, r.mapped_by, r.mapped_at)
            for r in rows]
