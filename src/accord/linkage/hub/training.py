"""Training a job's model from its own data (no labels), step by step, on what the files carry.

The plan (training_plan.py): the prior from pairs that agree on two tokens at once; u from random
pairs within each file, for salted filters from pairs sharing the salt, for the birth date and the
identifier by exact counts; m by EM on token blocks, for the birth date from pairs that are one
child by household and first name. A step whose comparisons or blocks the files do not carry is
skipped, and so is one that finds too few pairs to estimate anything (a tiny roster, a placeholder
ZIP): Splink's defaults stand for what it would have trained. Every step is named in the run's
summary, run or skipped, and the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from splink.internals.exceptions import SplinkException

from accord.linkage.hub.anchored_m import estimate_anchored_m
from accord.linkage.hub.chance_u import price_dice_levels
from accord.linkage.hub.exact_u import estimate_date_u, estimate_identifier_u
from accord.linkage.hub.query import saved_levels, saved_prior
from accord.linkage.hub.salted_u import estimate_salted_u
from accord.linkage.hub.ties import counting_all, untie_among
from accord.linkage.hub.training_plan import (
    ANCHORED_M,
    EXACT_U,
    IDENTIFIER,
    U_SAMPLING_TOKENS,
    date_anchor,
    em_passes,
    prior_rules,
)
from accord.linkage.hub.within_file_u import estimate_u_within_files

if TYPE_CHECKING:
    from accord.linkage.hub.link import Job

U_PAIRS = 1e6
EM_PAIRS = 5e5  # per EM pass: Splink samples the blocked pairs down to about this many
PRIOR_RECALL = 0.8
Progress = Callable[[str], None]
# What a step may raise when the data cannot support it: Splink's own refusals (an empty EM block,
# a level whose m EM drove to zero), and arithmetic on empty counts.
TOO_FEW_PAIRS = (SplinkException, ValueError, ZeroDivisionError)


@dataclass
class TrainingSummary:
    """What each training step did: (step, outcome), in order; outcome "run" or "skipped: why"."""

    steps: list[tuple[str, str]] = field(default_factory=list)


def _comparison_names(job: Job) -> set[str]:
    return set(saved_levels(job.linker))


class _Steps:
    """Runs training steps, each guarded, recording each in the summary and the progress report."""

    def __init__(self, job: Job, report: Progress) -> None:
        self.job, self.report, self.summary = job, report, TrainingSummary()

    def run(self, label: str, step: Callable[[], object], needs: tuple[str, ...] = (),
            sound: Callable[[], bool] = lambda: True) -> bool:
        """Run `step` unless a comparison it `needs` is missing; undo it when it raises for want of
        pairs, or when `sound` says its estimate cannot stand."""
        missing = [c for c in needs if c not in _comparison_names(self.job)]
        if missing:
            self.summary.steps.append((label, f"skipped: the files do not carry {', '.join(missing)}"))
            return False
        self.report(label)
        # Splink's EM session edits the model in place (drops the comparisons the block biases, swaps
        # the prior) and puts it back only when the pass succeeds; keep a copy to restore.
        model = self.job.linker._settings_obj.core_model_settings.copy()  # type: ignore[no-untyped-call]
        try:
            step()
            failure = None if sound() else "no usable estimate"
        except TOO_FEW_PAIRS:
            failure = "too few pairs"
        if failure:
            self.job.linker._settings_obj.core_model_settings = model
            self.summary.steps.append((label, f"skipped: {failure}"))
            self.report(f"{label}: {failure}, skipped")
            return False
        self.summary.steps.append((label, "run"))
        return True


def _estimate_prior(job: Job, steps: _Steps) -> None:
    """The prior from the first deterministic rule that gives one strictly between 0 and 1; without
    one, the model keeps the prior it was built with (model.prior_before_training)."""
    training = job.linker.training

    def sound() -> bool:
        # Read afresh: a skipped step puts a copy of the model in place of the one it changed.
        return 0.0 < saved_prior(job.linker) < 1.0

    for label, rule in prior_rules(job.carried):
        if steps.run(f"share of matching pairs from {label}",
                     lambda rule=rule: training.estimate_probability_two_random_records_match(  # type: ignore[misc]
                         [rule], recall=PRIOR_RECALL), sound=sound):
            return
    steps.summary.steps.append(("share of matching pairs", "one in the larger file's rows (no rule applies)"))


def train(job: Job, seed: int, report: Progress) -> TrainingSummary:
    """Estimate the prior, u and m of the job's model from its own data; the summary says how."""
    linker, inputs, steps = job.linker, job.inputs, _Steps(job, report)
    # Deduplicating, pairs within the file that share a salt are mostly its duplicates (ties.py).
    untie = counting_all if len(inputs) > 1 else untie_among(job.words, _comparison_names(job))
    _estimate_prior(job, steps)
    # One file (deduplication) is sampled the same way: random pairs within it.
    steps.run("u from random pairs within each file", lambda: estimate_u_within_files(
        linker, job.backend.db_api, inputs, job.model, U_PAIRS, seed, skip={*U_SAMPLING_TOKENS, EXACT_U}))
    steps.run("u of salted comparisons within their salt",
              lambda: estimate_salted_u(linker, inputs, U_SAMPLING_TOKENS, untie))
    if job.chance:
        steps.run("u of name similarity from the nodes' chance agreement",
                  lambda: price_dice_levels(linker, job.chance))
    steps.run("u of the birth date, counted", lambda: estimate_date_u(linker, inputs, EXACT_U, untie),
              (EXACT_U,))
    steps.run("u of the identifier, counted",
              lambda: estimate_identifier_u(linker, inputs, *IDENTIFIER, untie), (IDENTIFIER[0],))
    for label, rule in em_passes(job.carried, linking=len(inputs) > 1):
        steps.run(f"EM on pairs blocked by {label}", lambda rule=rule: (  # type: ignore[misc]
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True, max_pairs=EM_PAIRS)))
    steps.run("m of the birth date from one household and one first name",
              lambda: estimate_anchored_m(linker, inputs, ANCHORED_M, date_anchor(job.words)),
              (*ANCHORED_M, "first_name_home", "household_without_date"))
    return steps.summary
