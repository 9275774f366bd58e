"""What a validation found: one outcome per expectation, and the report over all suites."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class ExpectationOutcome:
    suite: str
    expectation: str
    column: str | None
    critical: bool
    success: bool
    unexpected_count: int
    details: dict


@dataclass
class ValidationReport:
    outcomes: list[ExpectationOutcome] = field(default_factory=list)
    data_docs: Path | None = None

    @property
    def passed(self) -> bool:
        """True when every critical expectation held."""
        return all(o.success for o in self.outcomes if o.critical)

    @property
    def failed_critical(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if o.critical and not o.success]

    def summary(self) -> str:
        failed = self.failed_critical
        if not failed:
            return f"{sum(o.success for o in self.outcomes)}/{len(self.outcomes)} expectations passed"
        first = failed[0]
        return (
            f"{len(failed)} critical expectation(s) failed, first: {first.suite}.{first.column} "
            f"{first.expectation} ({first.unexpected_count} rows)"
        )
