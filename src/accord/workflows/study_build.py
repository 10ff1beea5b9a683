"""Building a study's pseudonymous table: a purpose-bound run of the hub (issue 18, ADR 0024).

The study policy must permit it (agreement in force under the studies or audit exception, every
contributing agency's approval of this version). The partners' submissions for the study's
agreement are linked with the school's (sure matches only, probability >= 0.9): a child's
membership of a partner's list becomes a dimension. The school's content for the study's elements
is read from the hub's sealed store and reduced to one row per child: grade, school and entry
year (coarsened to the year), flags, attendance rate; no date, no identifier. Each row is keyed by
the study's own pseudonym (HMAC under a key that lives in the study's folder and dies with it),
so nothing in the table matches an id Accord holds elsewhere. Each child's inclusion is a decision
in the ledger (the parent view says "for a research study, under a code number"), with the build;
the submissions are deleted once it is recorded.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from accord.domain.content import ContentItem
from accord.domain.purposes import OutputForm, Purpose
from accord.domain.studies import ABSENT, Study, StudyError, StudyStatus
from accord.ledger.events import decision_draft
from accord.ledger.study_events import built_draft
from accord.linkage.hub.link import LinkOptions, link_pairs
from accord.policy import DisclosureRequest
from accord.policy.studies import study_decision
from accord.secret_files import create_secret, read_secret
from accord.store.crypto import ContentCipher
from accord.store.repositories import studies as repo
from accord.store.repositories.agencies import get_user
from accord.store.repositories.sealed_content import content_of
from accord.store.repositories.students import list_students
from accord.store.study_files import close_held
from accord.store.study_tables import record_count, write_table
from accord.workflows.hub_files import HubFiles
from accord.workflows.hub_recovery import SessionOpener
from accord.workflows.ledger import record, record_many
from accord.workflows.research import require_study
from accord.workflows.study_audit import current_history
from accord.workflows.study_codebook import fixed_values, refuse_strays
from accord.workflows.study_facts import refuse_unless_permitted, study_facts
from accord.workflows.study_twin import TWIN_FILE
from accord.workflows.submissions import read_members

SURE = 0.9  # a study counts a child as on a partner's list only on a sure match
_FLAG_DIMENSION = {"homeless_status": "homeless", "iep_504_status": "iep_504"}


def _key(hub: HubFiles, study: Study) -> bytes:
    path = hub.study_dir(study.id) / "study.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        create_secret(path, secrets.token_bytes(32).hex().encode("ascii"), StudyError, "study key file")
    return bytes.fromhex(read_secret(path, StudyError, "study key file").decode("ascii").strip())


def _features(items: Iterable[ContentItem]) -> dict[str, dict[str, Any]]:
    """Per record: what the study table keeps of its content (latest status, attendance counts)."""
    out: dict[str, dict[str, Any]] = defaultdict(dict)
    present: dict[str, int] = defaultdict(int)
    recorded: dict[str, int] = defaultdict(int)
    entered: dict[str, date] = {}
    for item in items:
        row, v = out[item.record_id], item.values
        if item.element == "grade_level":
            row["grade"] = str(v.get("grade_level", ""))
        elif item.element == "enrollment_history" and item.occurred_on is not None:
            if item.record_id not in entered or item.occurred_on >= entered[item.record_id]:
                entered[item.record_id] = item.occurred_on
                row["school"], row["entry_year"] = str(v.get("school_id", "")), str(item.occurred_on.year)
        elif item.element == "attendance":
            recorded[item.record_id] += 1
            present[item.record_id] += "absence" not in str(v.get("event", "")).lower()
        elif item.element in ("english_learner", "homeless_status", "iep_504_status"):
            flag = next(iter(v.values()), None)
            row[_FLAG_DIMENSION.get(item.element, item.element)] = "yes" if flag is True else "no"
    for record_id, days in recorded.items():
        out[record_id]["days_recorded"] = float(days)
        out[record_id]["attendance_rate"] = present[record_id] / days
    return out


def _memberships(hub: HubFiles, study: Study) -> dict[str, dict[str, str]]:
    """Per partner: school record id -> the partner's value for the child, from sure matches."""
    school = hub.study_submission_paths(study.id, study.school_agency_id)[0]
    found: dict[str, dict[str, str]] = {}
    for partner in sorted(study.partners):
        encodings, copy = hub.study_submission_paths(study.id, partner)
        values = read_members(copy)
        pairs = link_pairs(school, encodings, LinkOptions(threshold=SURE, seed=1)).result
        linked = zip(pairs["left_id"], pairs["right_id"], strict=True)
        found[partner] = {str(s): values.get(str(r), "yes") for s, r in linked}
    return found


def build_study(open_session: SessionOpener, hub: HubFiles, study_id: str, by: str, at: datetime,
                cipher: ContentCipher) -> int:
    """Build (or rebuild) the study's table; returns the number of children in it."""
    with open_session() as session:
        study = require_study(session, study_id)
        decision = study_decision(study, study_facts(session, study), at.date(), question=False)
        refuse_unless_permitted(decision, f"study {study_id} may not be built")
        missing = [a for a in sorted(study.contributors) if study.partners
                   and not hub.study_submission_paths(study_id, a)[0].exists()]
        if missing:
            raise StudyError(f"no submission yet from {', '.join(missing)} for study {study_id} "
                             "(`accord study submit`)")
        features = _features(content_of(session, study.school_agency_id, study.elements, cipher))
        students = [s.id for s in list_students(session, study.school_agency_id)]
        fixed = fixed_values(session, study)
    members = _memberships(hub, study) if study.partners else {}
    key = _key(hub, study)
    rows = []
    for student in students:
        row: dict[str, Any] = {"sid": "s-" + hmac.new(key, student.encode(), hashlib.sha256).hexdigest()[:24]}
        got = features.get(student, {})
        row |= {d: got.get(d, ABSENT) for d in study.dimensions if d not in study.partners}
        row |= {p: members[p].get(student, "no") for p in study.partners}
        row |= {m: got.get(m) for m in study.measures}
        rows.append(row)
    refuse_strays(study, rows, fixed)
    table = hub.study_dir(study_id) / "study.duckdb"
    with open_session() as session:
        current_history(session, table, study_id)  # the labels caught up, before newcomers join at 0
    write_table(table, rows, study.dimensions, study.measures)
    close_held(hub.study_dir(study_id) / TWIN_FILE)
    (hub.study_dir(study_id) / TWIN_FILE).unlink(missing_ok=True)  # its catalog may have changed
    with open_session() as session:
        _record(session, study, students, by, at, {p: len(v) for p, v in members.items()},
                record_count(table))
    for agency in sorted(study.contributors):
        for path in hub.study_submission_paths(study_id, agency):
            path.unlink(missing_ok=True)
    return len(rows)


def _record(session: Session, study: Study, students: list[str], by: str, at: datetime,
            linked: dict[str, int], records: int) -> None:
    """Each child's inclusion as a decision entry (the parent view shows it), then the build."""
    decision = study_decision(study, study_facts(session, study), at.date(), question=False)
    lead = sorted(study.analysts)[0]
    user = get_user(session, lead)
    drafts = [decision_draft(DisclosureRequest(
        requester_id=lead, student_id=student, source_agency_id=study.school_agency_id,
        purpose=Purpose.RESEARCH_EVALUATION, fields=study.elements, at=at, output=OutputForm.STUDY_ENCLAVE,
        stated_interest=study.purpose), decision, user.agency_id if user else None) for student in students]
    record_many(session, drafts)
    record(session, built_draft(study, by, at, len(students), linked, sorted(study.contributors)))
    repo.set_built(session, study.id, records, StudyStatus.BUILT)
