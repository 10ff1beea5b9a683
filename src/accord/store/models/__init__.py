"""The tables, as SQLAlchemy 2 typed declarative models.

Sets of enum values and codes are JSON arrays (portable, and never queried by element); the
parties of an agreement get their own table because "agreements between these two agencies"
is a query the policy path runs for every request.
"""

from accord.store.models.agreements import AgreementPartyRow, AgreementRow, SignatureRow
from accord.store.models.base import Base
from accord.store.models.consents import ConsentRow
from accord.store.models.content import (
    AgencyRecordRow,
    DescriptorMappingRow,
    IntakeBatchRow,
    OfficerNotificationRow,
    RecordContentRow,
)
from accord.store.models.credentials import CredentialRow, MachineClientRow, MachineTokenRow, WebSessionRow
from accord.store.models.crosschecks import (
    CrossCheckResultRow,
    CrossCheckReviewRow,
    CrossCheckRow,
    CrossCheckRunRow,
)
from accord.store.models.guardianships import GuardianshipRow
from accord.store.models.inspections import InspectionRequestRow
from accord.store.models.ledger import LedgerCheckpointRow, LedgerEntryRow
from accord.store.models.oidc import OidcIdentityRow, OidcPendingRow
from accord.store.models.people import (
    AgencyProgramRow,
    AgencyRow,
    AgencySchoolRow,
    CompletionRow,
    CourseRow,
    StateLawRow,
    StudentRow,
    UserRow,
)
from accord.store.models.studies import StudyApprovalRow, StudyReleaseRow, StudyReviewRow, StudyRow
from accord.store.models.study_budgets import StudyBudgetRow, StudyChargeRow

__all__ = [
    "AgencyProgramRow", "AgencyRecordRow", "AgencyRow", "AgencySchoolRow", "AgreementPartyRow",
    "AgreementRow",
    "Base", "CompletionRow", "ConsentRow", "CourseRow", "CrossCheckResultRow", "CrossCheckReviewRow",
    "CrossCheckRow", "CrossCheckRunRow", "DescriptorMappingRow", "IntakeBatchRow",
    "LedgerCheckpointRow",
    "LedgerEntryRow", "OfficerNotificationRow", "RecordContentRow", "SignatureRow",
    "StateLawRow", "StudentRow", "StudyApprovalRow", "StudyBudgetRow", "StudyChargeRow", "StudyReleaseRow",
    "StudyReviewRow", "StudyRow", "UserRow", "CredentialRow", "WebSessionRow", "MachineClientRow",
    "MachineTokenRow", "GuardianshipRow", "InspectionRequestRow", "OidcIdentityRow", "OidcPendingRow",
]
