"""Maintained counts of contributions: derived data, so that a plan's figures cost the same
whatever its size (issue 15).

Each contribution's place in the counts — its plan, channel, theme, event, the outcome a
public reader sees (``cocreation.queries.outcome_key``), whether moderation hid it, its
whole days to answer and the commitments it is an origin of — is written down in
``ContributionTally`` when it is counted; the counters below hold the sums. Whenever a
contribution, its response, the versions that response changed or the discussion message it
came from are written, ``cocreation.services.tallies.refresh`` reads the contribution again,
compares it with what was counted and moves the difference (``cocreation/signals.py``, inside
the same transaction as the write). ``traza tallies --rebuild`` recounts everything from the
data (a restore does it too); ``traza tallies`` checks that the counters equal a recount.

No foreign keys: like the search index, these rows are derived, never backed up, and must
not hold a write of the data they count."""

from django.db import models

#: ``theme_id``, ``event_id``: no theme, no event (0 rather than NULL, so that the unique
#: constraints, which treat NULLs as distinct, hold one row per key).
NONE = 0


class ContributionTally(models.Model):
    """One contribution as it was last counted."""

    contribution_id = models.IntegerField(primary_key=True)
    plan_id = models.IntegerField()
    channel = models.CharField(max_length=20)
    theme_id = models.IntegerField(default=NONE)
    event_id = models.IntegerField(default=NONE)
    outcome = models.CharField(max_length=20)
    hidden = models.BooleanField(default=False)
    #: Whole days from reception to the published response, when answered (and public).
    days = models.IntegerField(null=True)
    #: The commitments whose origin it is (about it, or its response changed a version),
    #: sorted ids.
    origins = models.JSONField(default=list)

    class Meta:
        # the contributions still waiting in a plan (the overdue count reads only those)
        indexes = [models.Index(fields=["plan_id", "outcome"], name="cocreation_tally_waiting")]

    def __str__(self) -> str:
        return f"contribution {self.contribution_id}: {self.outcome}"


class PlanTally(models.Model):
    """How many contributions of a plan share a channel, theme, event, outcome and
    visibility."""

    plan_id = models.IntegerField()
    channel = models.CharField(max_length=20)
    theme_id = models.IntegerField(default=NONE)
    event_id = models.IntegerField(default=NONE)
    outcome = models.CharField(max_length=20)
    hidden = models.BooleanField(default=False)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["plan_id", "channel", "theme_id", "event_id", "outcome", "hidden"],
                name="cocreation_plantally_key",
            )
        ]

    def __str__(self) -> str:
        return f"plan {self.plan_id}, {self.channel}, {self.outcome}: {self.n}"


class DelayTally(models.Model):
    """How many answered public contributions of a plan were answered in so many whole
    days: the histogram the median and the slowest are read from."""

    plan_id = models.IntegerField()
    days = models.IntegerField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan_id", "days"], name="cocreation_delaytally_key")
        ]

    def __str__(self) -> str:
        return f"plan {self.plan_id}, {self.days} days: {self.n}"


class CommitmentTally(models.Model):
    """How many public contributions behind a commitment (about it, or whose response
    changed one of its versions) have each outcome."""

    commitment_id = models.IntegerField()
    outcome = models.CharField(max_length=20)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["commitment_id", "outcome"], name="cocreation_commitmenttally_key"
            )
        ]

    def __str__(self) -> str:
        return f"commitment {self.commitment_id}, {self.outcome}: {self.n}"
