"""The published shapes of the responses whose shape is fixed, so that the schema says what a client
gets (and a key added to a route but not here fails loudly: extra keys are refused, a 500 that the
schema test finds, instead of a field silently missing from the documentation)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

from accord.domain.agencies import Role
from accord.domain.agreements import AgreementLayer, AgreementStatus
from accord.domain.purposes import LegalBasis, Purpose


class Shape(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Status(Shape):
    status: str


class AgreementSummary(Shape):
    id: str
    version: int
    title: str
    layer: AgreementLayer
    status: AgreementStatus
    sources: list[str]
    recipients: list[str]
    purposes: list[Purpose]
    effective_on: date | None
    ends_on: date | None


class AgreementDetail(AgreementSummary):
    legal_bases: list[LegalBasis]
    data_elements: list[str]
    recipient_roles: list[Role]
    permitted_uses: str
    safeguards: list[str]
    destruction_deadline: date | None
    destruction_method: str
    parent: str | None


class Balance(Shape):
    holder: str  # "*" for the study, else an analyst's id
    total: float
    spent: float
    left: float


class Budget(Shape):
    balances: list[Balance]
