"""What a run reports when it ends: ``RunSummary``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flows.stages import StageClock

COUNTS = ("articles_read", "articles_new", "articles_changed", "articles_unchanged", "quarantined",
          "mentions", "places", "figures")


@dataclass
class RunSummary:
    run_id: str
    status: str  # published | blocked | unchanged
    counts: dict[str, int] = field(default_factory=dict)
    validation: str = "not run (nothing new)"
    message: str | None = None
    report_path: Path | None = None
    db_path: Path | None = None
    stages: StageClock = field(default_factory=StageClock)

    @property
    def ok(self) -> bool:
        return self.status in ("published", "unchanged")
