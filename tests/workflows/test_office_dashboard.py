"""The records office's dashboard figures (workflows.office_dashboard) over a small county whose
agreements and consents sit at known distances from today: each officer counts only their own
agency's, an administrator gets no consent or queue figures, and a ledger changed behind the hub's
back no longer verifies against its signed root."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from accord.api.deps import now
from accord.store.db import make_engine, make_session_factory, session_scope
from accord.store.repositories.agencies import get_user
from accord.workflows.office_dashboard import ConsentCounts, OfficeFigures, office_figures
from tests.web.office_world import ENDED, OTHERS, SOON, build


def _figures(root: Path, user: str) -> OfficeFigures:
    if not (root / "accord.db").exists():
        build(root)
    engine = make_engine(f"sqlite:///{root / 'accord.db'}")
    try:
        with session_scope(make_session_factory(engine)) as session:
            who = get_user(session, user)
            assert who is not None
            return office_figures(session, who, root / "ledger.key", now())
    finally:
        engine.dispose()


def test_the_school_officer_sees_their_agreements_consents_and_a_verified_root(tmp_path: Path) -> None:
    figures = _figures(tmp_path, "ro.lea")
    assert [a.id for a in figures.expiring] == [SOON]  # not OTHERS, which ends sooner but is not theirs
    assert [(a.id, a.status) for a in figures.to_destroy] == [(ENDED, "terminated")]
    assert figures.consents == ConsentCounts(in_force=2, revoked=1, expiring=1)
    assert (figures.crosscheck_reviews, figures.output_reviews, figures.open_notices) == (0, 0, 0)
    ledger = figures.ledger
    assert ledger.verifies and ledger.problems == 0 and ledger.entries == ledger.signed_size == 4
    assert ledger.root and len(ledger.root) == 64 and ledger.key_id and ledger.signed_at


def test_another_agency_and_an_administrator_see_only_what_is_theirs(tmp_path: Path) -> None:
    univ = _figures(tmp_path, "ro.univ")
    assert univ.expiring == [] and univ.to_destroy == []
    assert univ.consents == ConsentCounts(0, 0, 0)
    admin = _figures(tmp_path, "admin.lea")
    assert {a.id for a in admin.expiring} == {SOON, OTHERS}  # every agreement, as in the API
    assert admin.consents is None and admin.crosscheck_reviews is None and admin.open_notices is None


def test_a_ledger_changed_behind_the_hub_does_not_verify(tmp_path: Path) -> None:
    _figures(tmp_path, "ro.lea")
    engine = make_engine(f"sqlite:///{tmp_path / 'accord.db'}")
    with engine.begin() as db:  # an intruder with the database file drops the append-only guard
        db.execute(text("DROP TRIGGER ledger_entries_no_update"))
        db.execute(text("UPDATE ledger_entries SET entry_json = replace(entry_json, 'ro.lea', 'ro.xxx') "
                        "WHERE seq = 2"))
    engine.dispose()
    figures = _figures(tmp_path, "ro.lea")
    assert not figures.ledger.verifies and figures.ledger.problems > 0
