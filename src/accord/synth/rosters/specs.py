"""What each agency's roster looks like: who is on it, and how it writes dates and sex.

Coverage is the share of the school population the agency holds. Outsiders are people who are not
in the school population at all (home-schooled, moved away, out of the age range in school terms);
their number is ``outsiders`` times the agency's covered count, and they come from one shared pool,
so an outsider can appear at several agencies without appearing in education.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

HEADER = ("record_id", "first_name", "middle_name", "last_name", "date_of_birth", "sex",
          "street_address", "city", "postcode")
ISO, US, DAY_MONTH_NAME = "%Y-%m-%d", "%m/%d/%Y", "%d-%b-%Y"
_MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class AgencySpec:
    """One agency's roster: coverage and outsiders as shares, a strftime date format, sex codes.

    ``sex_codes`` is (code for female, code for male), e.g. ("F", "M"), ("female", "male") or
    ("2", "1"). ``duplicates`` is the share of the agency's people entered twice under a second
    record id. ``prefix`` starts every record id; empty means the agency name's first three letters.
    """

    coverage: float
    outsiders: float
    date_format: str = ISO
    sex_codes: tuple[str, str] = ("F", "M")
    duplicates: float = 0.01
    prefix: str = ""

    def __post_init__(self) -> None:
        if not 0.0 <= self.coverage <= 1.0:
            raise ValueError("coverage must be between 0 and 1")
        if self.outsiders < 0.0 or not 0.0 <= self.duplicates <= 1.0:
            raise ValueError("outsiders must be >= 0 and duplicates between 0 and 1")

    def id_prefix(self, agency: str) -> str:
        """The record-id prefix for ``agency``, e.g. "HLT" or "HEA"."""
        return self.prefix or agency[:3].upper()


DEFAULT_AGENCIES: Mapping[str, AgencySpec] = MappingProxyType({
    "education": AgencySpec(1.0, 0.0, ISO, ("F", "M"), prefix="EDU"),
    "health": AgencySpec(0.6, 0.15, US, ("female", "male"), prefix="HLT"),
    "snap_tanf": AgencySpec(0.3, 0.10, US, ("2", "1"), prefix="SNP"),
    "juvenile_justice": AgencySpec(0.04, 0.20, DAY_MONTH_NAME, ("F", "M"), prefix="JJS"),
    "child_welfare": AgencySpec(0.05, 0.10, ISO, ("female", "male"), prefix="CWS"),
})


def date_formatter(date_format: str) -> Callable[[str], str]:
    """A function from a (possibly mistyped) ISO date, or "", to the agency's written form.

    The three common formats are rewritten by slicing, because strftime on two million dates is
    slow; any other strftime format goes through ``date.strftime``.
    """
    if date_format == ISO:
        return lambda iso: iso
    if date_format == US:
        return lambda iso: f"{iso[5:7]}/{iso[8:10]}/{iso[:4]}" if iso else ""
    if date_format == DAY_MONTH_NAME:
        return lambda iso: f"{iso[8:10]}-{_MONTHS[int(iso[5:7])]}-{iso[:4]}" if iso else ""
    return lambda iso: date.fromisoformat(iso).strftime(date_format) if iso else ""
