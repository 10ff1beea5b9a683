"""Runs every row of decisions.md through the policy engine."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from accord.domain.agencies import Program
from accord.domain.agreements import AgreementStatus
from accord.domain.purposes import OutputForm, Purpose, StudyPurpose
from accord.policy import DisclosureRequest, Facts, StateLaw, decide
from tests.spec import world

TABLE = Path(__file__).with_name("decisions.md")
PURPOSES = {"supportive": Purpose.SUPPORTIVE_SERVICES, "eligibility":
            Purpose.ELIGIBILITY_VERIFICATION, "research": Purpose.RESEARCH_EVALUATION,
            "emergency": Purpose.HEALTH_SAFETY_EMERGENCY, "jj": Purpose.JUVENILE_JUSTICE}
OUTPUTS = {"case": OutputForm.CASE_RECORD, "flag": OutputForm.ELIGIBILITY_FLAG,
           "enclave": OutputForm.STUDY_ENCLAVE, "aggregate": OutputForm.AGGREGATE}
# Facts that set the state-law settings as the records officer recorded them.
STATE_TOKENS: dict[str, Callable[[str], dict[str, Any]]] = {
    "dc-programs": lambda arg: {"direct_certification_programs":
                                frozenset(Program(p) for p in arg.split(","))},
    "recorded": lambda arg: {"recorded_in": int(arg)},
    "state-notice": lambda arg: {"medicaid_meal_notice_on": date.fromisoformat(arg)},
}
COLUMNS = ["n", "situation", "requester", "student", "source", "purpose", "output", "fields",
           "facts", "expect", "released", "cites"]


def rows() -> list[dict[str, str]]:
    out = []
    for line in TABLE.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == len(COLUMNS) and cells[0].isdigit():
            out.append(dict(zip(COLUMNS, cells, strict=True)))
    return out


def words(cell: str) -> list[str]:
    return [] if cell == "-" else cell.split()


def build(row: dict[str, str]) -> tuple[DisclosureRequest, Facts]:
    agreements = dict(world.AGREEMENTS)
    consents, state, threat, pre_adj, study = [], StateLaw(), None, False, None
    program = source_program = None
    for token in words(row["facts"]):
        kind, _, arg = token.partition(":")
        if kind == "revoked":
            consents = [replace(c, revoked_at=world.AS_OF - timedelta(days=1))
                        if c.id == arg else c for c in consents]
        elif kind == "expired":
            agreements[arg] = replace(agreements[arg], ends_on=world.YESTERDAY)
        elif kind == "terminated":
            agreements[arg] = replace(agreements[arg], status=AgreementStatus.TERMINATED,
                                      terminated_on=world.YESTERDAY)
        elif kind == "no-certification":
            agreements[arg] = replace(agreements[arg], non_redisclosure_certification=None)
        elif kind == "threat":
            threat = arg or world.THREAT
        elif token == "pre-adjudication":
            pre_adj = True
        elif token == "medicaid-election":
            state = replace(state, medicaid_meal_status_election=True)
        elif token == "minor-needs-parent":
            state = replace(state, minor_may_consent_to_sud_treatment=False)
        elif token == "study":
            study = StudyPurpose.IMPROVE_INSTRUCTION
        elif kind == "program":
            program = Program(arg)
        elif kind == "from-program":
            source_program = Program(arg)
        elif kind in STATE_TOKENS:
            state = replace(state, **STATE_TOKENS[kind](arg))
        elif kind == "no-notice":
            agreements[arg] = replace(agreements[arg], nsla_parent_notice_on=None)
        else:
            consents.append(world.CONSENTS[token])
    user = world.USERS[row["requester"]]
    request = DisclosureRequest(
        requester_id=user.id, student_id=row["student"], source_agency_id=row["source"],
        purpose=PURPOSES[row["purpose"]], fields=frozenset(words(row["fields"])),
        at=world.AS_OF, output=OUTPUTS[row["output"]], threat=threat, pre_adjudication=pre_adj,
        study_purpose=study, acting_program=program, source_program=source_program,
        stated_interest=row["situation"])
    facts = Facts(
        requester=user, requester_agency=world.AGENCIES[user.agency_id],
        source_agency=world.AGENCIES[row["source"]], student=world.STUDENTS.get(row["student"]),
        agreements=tuple(agreements.values()), consents=tuple(consents),
        completions=world.COMPLETIONS, state=state)
    return request, facts


ROWS = rows()


def test_table_has_enough_rows() -> None:
    assert len(ROWS) >= 40
    assert len({r["n"] for r in ROWS}) == len(ROWS)


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['n']}-{r['situation'][:40]}" for r in ROWS])
def test_row(row: dict[str, str]) -> None:
    decision = decide(*build(row))
    explain = "\n".join(f"{'ok ' if r.holds else 'NO '}{r.text} [{r.citation}]"
                        for r in decision.reasons)
    assert decision.effect.value == row["expect"], explain
    assert decision.released == frozenset(words(row["released"])), explain
    if decision.permitted:
        cited = " | ".join([b.citation for b in decision.legal_bases]
                           + [r.citation + " " + r.text for r in decision.reasons if r.holds])
    else:
        cited = " | ".join(r.citation + " " + r.text for r in decision.failures)
    for cite in row["cites"].split(";"):
        assert cite.strip() in cited, f"{cite!r} not in: {cited}\n{explain}"
