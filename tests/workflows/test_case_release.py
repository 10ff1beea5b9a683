"""Purpose 1 end to end: intake from files, a case request, the decision, the release, the
ledger entry and the parent's view, on SQLite and PostgreSQL.

One county is built per database (tests/workflows/case_county.py); each branch of the issue is a
request against it, asked through `accord case request` as a caseworker would.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from sqlalchemy import create_engine, inspect, select, text

from accord.store.db import make_engine, make_session_factory, session_scope
from accord.store.models.content import RecordContentRow
from accord.store.repositories.consents import consents_for_student
from tests.leak_scan import names_in_files
from tests.workflows.case_county import TWIN, County, agreement_of, build_county, use_hub

AT = "2026-11-29T10:00"
THREAT = "the child collapsed in class and the clinic needs the care plan to treat her"


@pytest.fixture
def county(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[County]:
    use_hub(monkeypatch, tmp_path, db_url)
    yield build_county(tmp_path, db_url)


def ask(county: County, requester: str, child: str, purpose: str, fields: str, *extra: str,
        at: str = AT, **changes: str) -> tuple[str, dict[str, object]]:
    out = county.root / f"release-{requester}-{child}.json"
    shown = county.ok("case", "request", "--requester", requester, "--student-ref",
                      county.encoded(county.describe(child, **changes), agreement_of(requester)),
                      "--source", "lea", "--purpose", purpose, "--fields", fields, "--at", at,
                      "--out", str(out), *extra)
    return shown, json.loads(out.read_text(encoding="utf-8"))


def because(release: dict[str, object]) -> str:
    """Every failed check's reason and citation, as one text."""
    reasons = release["refused_because"]
    assert isinstance(reasons, list)
    return " | ".join(f"{r['check']}: {r['reason']} ({r['citation']})" for r in reasons)


def history(county: County, label: str) -> str:
    return county.ok("ledger", "history", "--student", county.student_of[label])


def test_case_requests_end_to_end(county: County) -> None:
    # Consent captured at enrollment: attendance and grades go to the health caseworker.
    shown, release = ask(county, "cw.health", "consented", "supportive_services", "attendance,grades")
    assert release["permitted"] and release["identification"] == "found"
    released = release["released"]
    assert isinstance(released, list)
    assert {item["element"] for item in released} == {"attendance", "grades"}
    assert sum(item["element"] == "attendance" for item in released) == 8
    assert "may not disclose them to anyone else" in str(release["redisclosure_notice"])
    assert "Notice to the recipient" in shown
    assert "with your consent signed 21 August 2026" in history(county, "consented")

    # A description encoded for another agreement than the requester's with the school: refused in
    # one line, before anything is searched or decided (ADR 0015).
    wrong = county("case", "request", "--requester", "cw.health", "--student-ref",
                   county.encoded(county.describe("consented"), "dsa-court"), "--source", "lea",
                   "--purpose", "supportive_services", "--fields", "attendance", "--at", AT)
    assert wrong.exit_code == 2 and "encoded for agreement dsa-court, which does not bind agencies health " \
        "and lea" in wrong.output, wrong.output

    # No consent: refused, and the refusal says what consent would be needed.
    shown, release = ask(county, "cw.health", "no_consent", "supportive_services", "attendance")
    assert not release["permitted"] and release["released"] == []
    assert "FERPA has no exception for giving education records to a health agency" in because(release)
    assert "a written consent signed and dated by a parent, naming health" in because(release)

    # The same for a labor agency; and the preview shows, before anyone asks, what needs consent.
    shown, release = ask(county, "cw.labor", "no_consent", "supportive_services", "attendance")
    assert not release["permitted"]
    assert "FERPA has no exception for giving education records to a labor agency" in because(release)
    preview = county.ok("preview", "agreement", "dsa-labor", "--at", AT)
    row = next(line for line in preview.splitlines() if "caseworker" in line)
    cells = [c.strip() for c in row.strip("│ ").split("│")]
    assert cells[5] == "nothing" and "Attendance" in cells[7]  # without consent | needs consent

    # Emergency: only what the emergency needs, the threat on record, the officer told.
    shown, release = ask(county, "cw.health", "no_consent", "health_safety_emergency",
                         "iep_504_status,grades",
                         "--threat", THREAT)
    assert release["permitted"] and release["withheld"] == ["grades"]
    assert [item["element"] for item in release["released"]] == ["iep_504_status"]  # type: ignore[union-attr]
    assert "records officer has been notified" in shown
    notices = county.ok("notifications", "list", "--agency", "lea")
    assert "emergency_disclosure" in notices and "health_safety_emergency" not in notices
    assert f"#{release['ledger_entry']}" in notices
    parent = history(county, "no_consent")
    assert "nothing was shared" in parent and THREAT in parent and "IEP / Section 504 status" in parent

    # Consent to another agency does not cover this one.
    shown, release = ask(county, "cw.health", "snap_consent", "supportive_services", "attendance")
    assert not release["permitted"] and "names other recipients" in because(release)

    # Untrained requester, then an agreement that has ended: each refused with its reason.
    shown, release = ask(county, "cw.untrained", "consented", "supportive_services", "attendance")
    assert not release["permitted"] and "training" in because(release)
    shown, release = ask(county, "cw.health", "consented", "supportive_services", "attendance",
                         at="2028-07-15T10:00")
    assert not release["permitted"] and "agreement" in because(release)

    # Revoked consent.
    engine = make_engine(county.db_url)
    with session_scope(make_session_factory(engine)) as session:
        consent_id = consents_for_student(session, county.student_of["consented"])[0].id
    engine.dispose()
    county.ok("consents", "revoke", consent_id, "--at", "2026-11-01T09:00")
    shown, release = ask(county, "cw.health", "consented", "supportive_services", "attendance")
    assert not release["permitted"] and "was revoked on" in because(release)

    # Juvenile justice: before adjudication, under the statute, with the certification.
    shown, release = ask(county, "po.court", "court", "juvenile_justice", "attendance,discipline",
                         "--pre-adjudication")
    assert release["permitted"]
    assert {i["element"] for i in release["released"]} == {"attendance", "discipline"}  # type: ignore[union-attr]
    shown, release = ask(county, "po.court", "court", "juvenile_justice", "attendance")
    assert not release["permitted"] and "99.38" in because(release)

    # Child welfare: the caseworker responsible for a child in foster care.
    shown, release = ask(county, "cw.cws", "foster", "supportive_services", "attendance")
    assert release["permitted"] and "1232g(b)(1)(L)" in shown

    # Two children fit the description (twins asked for without a first name): never a guess.
    shown, release = ask(county, "cw.health", "twin", "supportive_services", "attendance")
    assert release["identification"] == "ambiguous" and not release["permitted"]
    assert "never guesses" in shown
    # A child the school does not have.
    shown, release = ask(county, "cw.health", "outsider", "supportive_services", "attendance")
    assert release["identification"] in ("not_found", "uncertain") and release["released"] == []

    # A description encoded under another key than the school's (a node's wrong key file): a
    # request all the same, refused and logged, one line, no traceback.
    county.ok("node", "keygen", "--out", str(county.root / "stray.key"))
    stray = county.root / "stray.parquet"
    county.ok("node", "encode", "--key-file", str(county.root / "stray.key"), "--in",
              str(county.describe("consented")), "--out", str(stray),
              "--agreement", agreement_of("cw.health"))
    out = county.root / "release-stray.json"
    shown = " ".join(county.ok("case", "request", "--requester", "cw.health", "--student-ref",
                               str(stray), "--source", "lea", "--purpose", "supportive_services",
                               "--fields", "attendance", "--at", AT, "--out", str(out)).split())
    assert "REFUSED" in shown and "another key than the source agency's roster" in shown, shown
    assert json.loads(out.read_text(encoding="utf-8"))["released"] == []

    # Every request, granted or refused, is in the ledger, which still verifies.
    assert "The ledger verifies" in county.ok("ledger", "verify")
    exported = county.root / "ledger.jsonl"
    county.ok("ledger", "export", "--out", str(exported))
    kinds = [json.loads(line).get("entry", {}).get("kind") for line in exported.read_text().splitlines()]
    assert kinds.count("case_unmatched") == 3 and kinds.count("records_loaded") == 10
    # Each partner's roster was linked with the school's once, to train its lookup model, in the
    # ledger; then deleted: the hub keeps only the school's roster, one per agreement (ADR 0015).
    assert kinds.count("linkage_run") == 4
    kept = Path(os.environ["ACCORD_DATA_DIR"]) / "hub" / "agreements"
    assert sorted(p.relative_to(kept).as_posix() for p in kept.glob("*/*/roster.parquet")) == [
        f"{a}/lea/roster.parquet" for a in ("dsa-court", "dsa-cws", "dsa-health", "dsa-labor")]
    assert not {TWIN, *county.hub_ids(TWIN)} & set(exported.read_text().split('"'))


def test_the_hub_store_holds_no_names_and_seals_content(county: County) -> None:
    """Names and the linkage key never reach the hub; record content is ciphertext at rest."""
    engine = create_engine(county.db_url)
    found: list[str] = []
    with engine.connect() as con:
        for table in inspect(con).get_table_names():
            for row in con.execute(text(f'SELECT * FROM "{table}"')):
                found += [str(v).lower() for v in row if isinstance(v, str)]
        sealed = con.execute(select(RecordContentRow.sealed)).scalars().all()
    engine.dispose()
    blob = "\n".join(found)
    leaked = sorted(n for n in county.names if f" {n.lower()} " in f" {blob} ".replace("\n", " "))
    assert not leaked, leaked[:5]
    assert sealed and not any(b"Attendance" in bytes(s) or b"Mathematics" in bytes(s) for s in sealed)
    hub = Path(os.environ["ACCORD_DATA_DIR"]) / "hub"
    files = b"".join(p.read_bytes() for p in hub.rglob("*") if p.is_file())
    assert not names_in_files(county.names, hub.rglob("*"))
    # Nor the agencies' linkage key, in any form the key file holds it (ADR 0014, P1).
    key_hex = (county.root / "shared.key").read_text(encoding="ascii").split()[-1]
    everything = files + blob.encode() + b"".join(p.read_bytes() for p in county.sent)
    assert key_hex.encode() not in everything and bytes.fromhex(key_hex) not in everything
    assert b"accord-linkage-key" not in everything
    # Nor in anything an agency's node sent the hub: the hub's copies of its files and encodings.
    # (Their cells, not their column names: `foster_care_agency_id` is not Ms Foster.)
    cells = [" ".join(map(str, pq.read_table(p).column("record_id").to_pylist())) if p.suffix == ".parquet"
             else p.read_text(encoding="utf-8").partition("\n")[2] for p in county.sent]
    words = set(re.findall(r"[a-z]+", " ".join(cells).lower()))
    assert county.sent and not [n for n in county.names if n.lower() in words]


def test_a_school_file_without_its_pseudonyms_is_refused_whole(county: County) -> None:
    # The school's node forgot its pseudonym key: its own record ids would reach the hub (ADR 0022).
    school_id = county.school_id_of["consented"]
    attendance = county.write("forgot-key.csv", ["record_id", "school_id", "event_date", "event"],
                              [[school_id, "255901001", "2026-10-01", "Tardy"]])
    result = county("intake", "load", "--agency", "lea", "--kind", "attendance", "--in", str(attendance))
    assert result.exit_code == 1 and "not a pseudonym" in result.output, result.output
    assert school_id not in result.output
    students = county.write("forgot-key-students.csv",
                            ["record_id", "first_name", "last_name", "date_of_birth"],
                            [["EDU-NEW00001", "Quillon", "Ashgrove", "2014-05-06"]])
    copy = county.root / "forgot-key-students-hub.csv"
    county.ok("node", "encode", "--key-file", str(county.root / "shared.key"), "--in", str(students),
              "--out", str(county.root / "forgot.parquet"), "--hub-copy", str(copy))
    encoded = county.encoded(students, "dsa-health")
    result = county("intake", "load", "--agency", "lea", "--kind", "students", "--in", str(copy),
                    "--encoded", encoded)
    assert result.exit_code == 1 and "not a pseudonym" in result.output, result.output
    county.ok("ledger", "export", "--out", str(county.root / "l.jsonl"))
    assert "EDU-NEW00001" not in (county.root / "l.jsonl").read_text()
