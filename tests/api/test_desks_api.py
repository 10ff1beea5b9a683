"""The desks behind the pages (issue 20): cross-checks, state law, training, the ledger, consents
and people through the service, each for the people of the agencies concerned only, over the
cross-check county (tests/workflows/crosscheck_county.py, built through the command line). An object
of another agency is "not found", in the words of one that does not exist."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from accord.api import create_app
from accord.config import Settings
from accord.store.db import make_engine, make_session_factory, session_scope
from accord.workflows.signin import enable_second_factor, set_password
from tests.authenticator import Authenticator, code_for
from tests.workflows.case_county import use_hub
from tests.workflows.crosscheck_county import (
    AGREEMENT,
    DSS_OFFICER,
    OFFICER,
    STUDY_AGREEMENT,
    County,
    build_county,
)
from tests.workflows.test_crosscheck import DEFINITION
from tests.workflows.test_study import DEFINITION as STUDY

PASSWORD = "a long synthetic passphrase"
OFFICERS = (OFFICER, DSS_OFFICER, "admin.lea")
PEOPLE = (*OFFICERS, "ew.lea", "ew.dss", "ew.medicaid", "an.univ")


class Desk:
    def __init__(self, county: County, client: TestClient, secrets: dict[str, str]) -> None:
        self.county, self.client, self.secrets, self.csrf = county, client, secrets, ""

    def as_(self, user: str) -> Desk:
        code = code_for(self.client.app, self.secrets[user]) if user in self.secrets else None
        self.client.cookies.clear()
        got = self.client.post("/api/v1/session", json={"user": user, "password": PASSWORD, "code": code})
        assert got.status_code == 200, got.text
        self.csrf = got.json()["csrf"]
        return self

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        return self.client.request(method, f"/api/v1{path}", headers={"X-CSRF-Token": self.csrf}, **kwargs)

    def ok(self, method: str, path: str, **kwargs: Any) -> Any:
        got = self.call(method, path, **kwargs)
        assert got.status_code == 200, (path, got.status_code, got.text)
        return got.json()

    def not_found(self, method: str, path: str, **kwargs: Any) -> str:
        got = self.call(method, path, **kwargs)
        assert got.status_code == 404, (path, got.status_code, got.text)
        return str(got.json()["detail"])


def crosscheck_desk(patch: pytest.MonkeyPatch, root: Path, people: Sequence[str] = PEOPLE,
                    officers: Sequence[str] = OFFICERS) -> tuple[County, dict[str, str], Settings]:
    """The cross-check county of 300 students in `root` (its hub's settings patched in), `people`
    given PASSWORD and `officers` a second factor too: the county, the officers' keys, and the
    settings to serve it (the API's tests and the eligibility worker's pages share it)."""
    url = f"sqlite:///{root / 'accord.db'}"
    use_hub(patch, root, url)
    county = build_county(root, url, students=300)
    engine = make_engine(url)
    secrets = {}
    with session_scope(make_session_factory(engine)) as session:
        for user in people:
            set_password(session, user, PASSWORD)
        for user in officers:
            secrets[user] = enable_second_factor(session, user)
    engine.dispose()
    settings = Settings(data_dir=Path(os.environ["ACCORD_DATA_DIR"]), database_url=url,
                        content_key_file=root / "content.key")
    return county, secrets, settings


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    with pytest.MonkeyPatch.context() as patch:
        county, secrets, settings = crosscheck_desk(patch, tmp_path_factory.mktemp("desks"))
        county.load_school_content()
        yield Desk(county, TestClient(create_app(settings, secure_cookies=False, clock=Authenticator())),
                   secrets)


def test_a_crosscheck_defined_run_and_reported_through_the_api_only_for_its_parties(desk: Desk) -> None:
    refused = desk.as_(DSS_OFFICER).call("PUT", f"/crosschecks/{AGREEMENT}", json=DEFINITION)
    assert refused.status_code == 400 and "not a records officer of agency lea" in refused.json()["detail"]
    defined = desk.as_(OFFICER).ok("PUT", f"/crosschecks/{AGREEMENT}", json=DEFINITION)
    assert defined == {"agreement": AGREEMENT, "school": "lea", "programs": ["dss"]}
    early = desk.as_("ew.lea").call("POST", f"/crosschecks/{AGREEMENT}/runs")
    assert early.status_code == 400 and "no submission yet" in early.json()["detail"]
    desk.county.submit_both()
    ran = desk.ok("POST", f"/crosschecks/{AGREEMENT}/runs")
    assert ran["report"]["certified"] > 0 and ran["report"]["rosters"]["lea"] > 0, ran
    report = desk.as_("ew.dss").ok("GET", f"/crosschecks/runs/{ran['run']}")
    assert report["report"] == ran["report"] and report["agreement"] == AGREEMENT
    assert desk.as_("ew.medicaid").not_found("GET", f"/crosschecks/runs/{ran['run']}") == \
        desk.not_found("GET", "/crosschecks/runs/999")
    assert isinstance(desk.as_(OFFICER).ok("GET", f"/crosschecks/{AGREEMENT}/reviews"), list)
    desk.as_(DSS_OFFICER).not_found("GET", f"/crosschecks/{AGREEMENT}/reviews")
    desk.not_found("POST", "/crosschecks/reviews/1/decision", json={"accept": True})


def test_state_law_training_and_people_each_for_their_own(desk: Desk) -> None:
    law = desk.as_("ew.lea").ok("GET", "/state-law")
    assert "snap" in law["direct_certification_programs"]
    programs = "direct_certification_programs"
    changed = desk.as_(OFFICER).ok("PATCH", "/state-law", json={programs: ["snap", "tanf"]})
    assert changed[programs] == ["snap", "tanf"] and changed["recorded_in"]
    assert desk.call("PATCH", "/state-law", json={programs: ["lottery"]}).status_code == 422

    mine = desk.as_("ew.lea").ok("GET", "/me/training")
    assert mine["current"] and [c["course"] for c in mine["courses"]] == ["ferpa-basics"]
    course = {"course": "ferpa-basics"}
    done = desk.as_(OFFICER).ok("POST", "/training/completions", json={"person": "ew.lea", **course})
    assert done["course"] == "ferpa-basics"
    desk.not_found("POST", "/training/completions", json={"person": "ew.dss", **course})

    staff = desk.as_("admin.lea").ok("GET", "/users")
    assert staff and {p["agency"] for p in staff} == {"lea"}
    assert desk.call("POST", "/users", json={"id": "new.admin", "role": "administrator"}).status_code == 403
    assert desk.call("POST", "/users", json={"id": "ew.dss", "role": "analyst"}).status_code == 403
    added = desk.ok("POST", "/users", json={"id": "cw.new", "role": "caseworker", "name": "New Worker"})
    assert added == {"id": "cw.new", "agency": "lea", "role": "caseworker", "name": "New Worker"}


def test_the_ledger_and_the_consent_desk_for_the_schools_officer(desk: Desk) -> None:
    engine = create_engine(desk.county.db_url)
    with engine.connect() as con:
        student = con.execute(text("SELECT id FROM students WHERE school_agency_id = 'lea'")).scalar()
    engine.dispose()
    desk.as_(OFFICER)
    document = {"id": "api-consent-1", "student_id": student, "signer_role": "parent",
                "data_elements": ["attendance"], "purposes": ["supportive_services"],
                "recipient_agency_ids": ["health"], "recipient_roles": ["caseworker"],
                "signed_on": "2026-11-02", "language": "en", "method": "paper_scan",
                "evidence_ref": "scan-77", "starts_on": "2026-11-02", "ends_on": "2027-06-30"}
    recorded = desk.call("POST", "/consents", json=document)
    assert recorded.status_code == 200, recorded.text
    assert recorded.json()["in_force"] and recorded.json()["recipients"] == ["health"]
    missing = desk.call("POST", "/consents", json={**document, "id": "api-consent-2", "purposes": []})
    assert missing.status_code == 400 and "not recorded" in missing.json()["detail"]
    assert desk.ok("GET", "/consents/api-consent-1?fhir=true")["resourceType"] == "Consent"
    would = desk.ok("GET", "/consents/api-consent-1/preview")
    assert [(x["recipient"], x["role"]) for x in would] == [("health", "caseworker")], would
    desk.as_(DSS_OFFICER).not_found("GET", "/consents/api-consent-1")
    revoked = desk.as_(OFFICER).ok("POST", "/consents/api-consent-1/revocation")
    assert not revoked["in_force"] and revoked["revoked_at"]

    check = desk.ok("GET", "/ledger/verification")
    assert check["ok"] and check["entries"] > 3 and check["problems"] == []
    history = desk.ok("GET", f"/ledger/students/{student}/history")
    assert any("consent" in line["sentence"] for line in history)
    desk.as_(DSS_OFFICER).not_found("GET", f"/ledger/students/{student}/history")
    proof = desk.ok("GET", "/ledger/entries/1/proof")
    assert proof["verified"] and proof["seq"] == 1
    desk.not_found("GET", "/ledger/entries/999999/proof")
    signed = desk.as_("admin.lea").ok("POST", "/ledger/checkpoints")
    assert signed["size"] == check["entries"]
    assert desk.ok("GET", "/ledger/verification")["checkpoints_checked"] >= 1


def test_an_agreement_drafted_signed_activated_ended_and_destroyed_by_its_parties(desk: Desk) -> None:
    document = {"id": "dsa-api", "title": "Attendance for outreach", "layer": "data_sharing_agreement",
                "source_agency_ids": ["lea"], "recipient_agency_ids": ["dss"],
                "purposes": ["eligibility_verification"], "legal_bases": ["directory_information"],
                "data_elements": ["enrolled_in_district"], "recipient_roles": ["eligibility_worker"],
                "permitted_uses": "SNAP outreach", "effective_on": "2026-01-01", "ends_on": "2028-06-30",
                "destruction_deadline": "2028-09-30", "destruction_method": "NIST 800-88 purge",
                "safeguards": ["encryption at rest"], "parent_id": "em"}
    elsewhere = {**document, "id": "dsa-other", "source_agency_ids": ["health"],
                 "recipient_agency_ids": ["court"]}
    assert "a party to" in desk.as_(OFFICER).not_found("POST", "/agreements", json=elsewhere)
    # A recipient not registered: the store refuses the row, a conflict with what is stored (409, as
    # the route publishes), and nothing is kept.
    ghost = desk.call("POST", "/agreements",
                      json={**document, "id": "dsa-ghost", "recipient_agency_ids": ["ghost"]})
    assert ghost.status_code == 409 and ghost.json()["title"] == "Conflict", ghost.text
    assert "not registered" in ghost.json()["detail"]
    published = desk.client.get("/openapi.json").json()["paths"]["/api/v1/agreements"]["post"]["responses"]
    assert published["409"]["content"] == {"application/problem+json": {
        "schema": {"$ref": "#/components/schemas/ProblemDetails"}}}
    desk.not_found("GET", "/agreements/dsa-ghost")
    assert desk.ok("POST", "/agreements", json=document)["status"] == "draft"
    missing = desk.ok("GET", "/agreements/dsa-api/missing")
    assert missing and all(m["citation"] for m in missing)
    refused = desk.call("POST", "/agreements/dsa-api/activation")
    assert refused.status_code == 400 and "cannot be activated" in refused.json()["detail"]
    first = desk.ok("POST", "/agreements/dsa-api/signatures", json={"title": "Superintendent"})
    assert first["signed_by"] == ["lea"]
    signed = desk.as_(DSS_OFFICER).ok("POST", "/agreements/dsa-api/signatures", json={"title": "Director"})
    assert signed["signed_by"] == ["dss", "lea"]
    assert desk.ok("GET", "/agreements/dsa-api/missing") == []
    grants = desk.ok("GET", "/agreements/dsa-api/preview")
    assert grants and {g["recipient"] for g in grants} == {"dss"}, grants
    desk.not_found("GET", "/agreements/dsa-health/preview")
    assert desk.ok("POST", "/agreements/dsa-api/activation")["status"] == "active"
    desk.as_("admin.lea")
    assert desk.call("POST", "/agreements/dsa-api/termination").status_code == 403
    assert desk.as_(OFFICER).ok("POST", "/agreements/dsa-api/termination")["status"] == "terminated"
    assert desk.ok("POST", "/agreements/dsa-api/destruction")["status"] == "destruction_certified"
    assert desk.ok("GET", "/notices") == []
    assert "no open notice" in desk.not_found("POST", "/notices/7/acknowledgement")


def test_a_study_registered_approved_built_and_its_held_release_reviewed_through_the_api(desk: Desk) -> None:
    study = STUDY["id"]
    registered = desk.as_(OFFICER).ok("POST", "/studies", json={**STUDY, "rules": {"min_count": 10}})
    assert registered["id"] == study
    early = desk.call("POST", f"/studies/{study}/build")
    assert early.status_code == 400 and "not approved by" in early.json()["detail"]
    for officer in (OFFICER, DSS_OFFICER):
        desk.as_(officer).ok("POST", f"/studies/{study}/approvals")
    for agency, source in (("lea", "students.csv"), ("dss", "dss-list.csv")):
        encoded, copy = desk.county.encode(agency, desk.county.root / source, STUDY_AGREEMENT)
        desk.county.ok("study", "submit", study, "--agency", agency, "--encoded", str(encoded),
                       "--copy", str(copy))
    assert desk.as_(OFFICER).ok("POST", f"/studies/{study}/build")["children"] > 0

    held = desk.as_("an.univ").ok("POST", f"/studies/{study}/queries",
                                  json={"measures": ["count"], "group_by": ["grade", "dss"]})
    assert held["rows"] == [] and held["review"]["status"] == "pending_review"
    release = held["review"]["release"]
    assert desk.call("GET", f"/studies/{study}/reviews").status_code == 403  # an analyst reviews nothing
    waiting = desk.as_(OFFICER).ok("GET", f"/studies/{study}/reviews")
    assert [w["release"] for w in waiting] == [release] and waiting[0]["why"]
    shown = desk.ok("GET", f"/studies/{study}/reviews/{release}")
    assert shown["result"]["cells"] and shown["why"]
    decision = f"/studies/{study}/reviews/{release}/decision"
    blank = desk.call("POST", decision, json={"approve": True, "comment": " "})
    assert blank.status_code == 400 and "comment" in blank.json()["detail"]
    said = {"approve": True, "comment": "small cells hidden with their complements"}
    assert desk.ok("POST", decision, json=said)["status"] == "pending_review"
    assert desk.as_(DSS_OFFICER).ok("POST", decision, json=said)["status"] == "released"
    table = desk.as_("an.univ").ok("GET", f"/studies/{study}/releases/{release}")
    assert table["rows"]


def test_an_officer_maps_their_own_agencys_descriptors(desk: Desk) -> None:
    source = "uri://ky.gov/AttendanceEventCategoryDescriptor#UA"
    mapped = desk.as_(OFFICER).ok("PUT", "/descriptors", json={"source": source, "code": "Unexcused Absence"})
    assert mapped["code"] == "Unexcused Absence"
    bad = desk.call("PUT", "/descriptors", json={"source": source, "code": "Nap"})
    assert bad.status_code == 400 and "not a" in bad.json()["detail"]
    assert [m["code"] for m in desk.ok("GET", "/descriptors")] == ["Unexcused Absence"]
    assert desk.as_(DSS_OFFICER).ok("GET", "/descriptors") == []
    assert desk.call("DELETE", "/descriptors", params={"source": source}).status_code == 400
    assert desk.as_(OFFICER).ok("DELETE", "/descriptors", params={"source": source})["removed"] == source
