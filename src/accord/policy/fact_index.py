"""FactIndex: every fact decide() may need, indexed once, so one request's Facts cost O(1).

Built from plain domain objects (however they were loaded); pure, no I/O. The candidate
agreements for a request are those whose parties include both the holding agency and the
requester's agency, plus every agreement above them; they are computed once per pair of
agencies and cached, since the agreement set does not change while the index lives.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from accord.domain.agencies import Agency, User
from accord.domain.agreements import Agreement
from accord.domain.consents import Consent
from accord.domain.students import Student
from accord.domain.training import Completion
from accord.policy.request import DisclosureRequest, Facts, StateLaw

_NO_CONSENTS: tuple[Consent, ...] = ()
_NO_COMPLETIONS: tuple[Completion, ...] = ()


@dataclass(slots=True)
class FactIndex:
    agencies: dict[str, Agency]
    users: dict[str, User]
    students: dict[str, Student]
    agreements: tuple[Agreement, ...]
    consents_by_student: dict[str, tuple[Consent, ...]]
    completions_by_user: dict[str, tuple[Completion, ...]]
    state: StateLaw
    _by_party: dict[str, frozenset[int]] = field(default_factory=dict)
    _by_id: dict[str, tuple[int, ...]] = field(default_factory=dict)
    _pairs: dict[tuple[str, str], tuple[Agreement, ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, *, agencies: Iterable[Agency], users: Iterable[User],
              students: Iterable[Student], agreements: Iterable[Agreement],
              consents: Iterable[Consent], completions: Iterable[Completion],
              state: StateLaw | None = None) -> FactIndex:
        """Index everything once; later duplicates of an agency, user or student win."""
        consents_by: defaultdict[str, list[Consent]] = defaultdict(list)
        for c in consents:
            consents_by[c.student_id].append(c)
        completions_by: defaultdict[str, list[Completion]] = defaultdict(list)
        for done in completions:
            completions_by[done.user_id].append(done)
        ags = tuple(agreements)
        by_party: defaultdict[str, set[int]] = defaultdict(set)
        by_id: defaultdict[str, list[int]] = defaultdict(list)
        for i, ag in enumerate(ags):
            by_id[ag.id].append(i)  # every version of an agreement is kept
            for party in ag.parties:
                by_party[party].add(i)
        return cls(
            agencies={a.id: a for a in agencies},
            users={u.id: u for u in users},
            students={s.id: s for s in students},
            agreements=ags,
            consents_by_student={k: tuple(v) for k, v in consents_by.items()},
            completions_by_user={k: tuple(v) for k, v in completions_by.items()},
            state=state if state is not None else StateLaw(),
            _by_party={k: frozenset(v) for k, v in by_party.items()},
            _by_id={k: tuple(v) for k, v in by_id.items()},
        )

    def agreements_between(self, source_id: str, recipient_id: str) -> tuple[Agreement, ...]:
        """Agreements both agencies are party to, plus their parent chain, in input order."""
        key = (source_id, recipient_id)
        cached = self._pairs.get(key)
        if cached is not None:
            return cached
        found = set(self._by_party.get(source_id, frozenset())
                    & self._by_party.get(recipient_id, frozenset()))
        todo = list(found)
        while todo:  # walk up the layers; a parent may not list both agencies itself
            parent_id = self.agreements[todo.pop()].parent_id
            for j in self._by_id.get(parent_id, ()) if parent_id is not None else ():
                if j not in found:
                    found.add(j)
                    todo.append(j)
        result = tuple(self.agreements[i] for i in sorted(found))
        self._pairs[key] = result
        return result

    def facts_for(self, request: DisclosureRequest) -> Facts:
        """Exactly the facts one request needs; anything unknown is left as None/empty."""
        requester = self.users.get(request.requester_id)
        recipient = self.agencies.get(requester.agency_id) if requester is not None else None
        agreements = (self.agreements_between(request.source_agency_id, recipient.id)
                      if recipient is not None else ())
        return Facts(
            requester=requester,
            requester_agency=recipient,
            source_agency=self.agencies.get(request.source_agency_id),
            student=self.students.get(request.student_id),
            agreements=agreements,
            consents=self.consents_by_student.get(request.student_id, _NO_CONSENTS),
            completions=self.completions_by_user.get(request.requester_id, _NO_COMPLETIONS),
            state=self.state,
        )
