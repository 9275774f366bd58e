"""Run the Great Expectations suites declared in ``expectations/suites`` against staged data.

GX 1.24 cannot validate DuckDB through its SQL datasource, so each suite's audit
query (``warehouse/sql/audit/<table>.sql``) is pulled into a pandas frame and
validated as a GX pandas dataframe asset. The checkpoint also builds HTML Data Docs.
"""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from expectations.value_sets import resolve
from warehouse.sql_files import read_sql

SUITES_DIR = Path(__file__).parent / "suites"
SAMPLE_ROWS = 20


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


def load_suites() -> list[dict]:
    return [json.loads(path.read_text()) for path in sorted(SUITES_DIR.glob("*.json"))]


def _class_name(snake: str) -> str:
    return "".join(part.capitalize() for part in snake.split("_"))


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def validate(con: duckdb.DuckDBPyConnection, report_dir: Path) -> ValidationReport:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    context = gx.get_context(mode="file", project_root_dir=str(report_dir))
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_or_update_pandas("staging")
    report = ValidationReport()
    for spec in load_suites():
        name, key = spec["suite"], spec["key"]
        frame = con.sql(read_sql(spec["audit_sql"])).df()
        asset = source.add_dataframe_asset(name) if name not in source.get_asset_names() else source.get_asset(name)
        batch = asset.add_batch_definition_whole_dataframe(f"{name}_staged") if not asset.batch_definitions else asset.batch_definitions[0]
        suite = gx.ExpectationSuite(name=f"staging.{name}")
        for item in spec["expectations"]:
            kwargs = {k: resolve(v) for k, v in item.get("kwargs", {}).items()}
            expectation = getattr(gx.expectations, _class_name(item["expectation"]))(
                column=item["column"], meta={"critical": item["critical"]}, **kwargs
            )
            suite.add_expectation(expectation)
        suite = context.suites.add_or_update(suite)
        definition = context.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=f"staging.{name}", data=batch, suite=suite)
        )
        checkpoint = context.checkpoints.add_or_update(
            gx.Checkpoint(
                name=f"staging.{name}",
                validation_definitions=[definition],
                actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs")],
                result_format={"result_format": "SUMMARY", "unexpected_index_column_names": [key],
                               "partial_unexpected_count": SAMPLE_ROWS},
            )
        )
        result = checkpoint.run(batch_parameters={"dataframe": frame})
        for run_result in result.run_results.values():
            for outcome in run_result.results:
                config = outcome.expectation_config
                details = {
                    "kwargs": _jsonable({k: v for k, v in config.kwargs.items() if k not in ("batch_id", "column")}),
                    "element_count": _jsonable(outcome.result.get("element_count")),
                    "failing_rows": _jsonable(outcome.result.get("partial_unexpected_index_list") or []),
                }
                if outcome.exception_info and outcome.exception_info.get("raised_exception"):
                    details["exception"] = outcome.exception_info.get("exception_message")
                report.outcomes.append(
                    ExpectationOutcome(
                        suite=name,
                        expectation=config.type,
                        column=config.kwargs.get("column"),
                        critical=bool((config.meta or {}).get("critical", True)),
                        success=bool(outcome.success),
                        unexpected_count=int(outcome.result.get("unexpected_count") or 0),
                        details=details,
                    )
                )
    sites = context.get_docs_sites_urls()
    if sites:
        report.data_docs = Path(re.sub(r"^file://", "", sites[0]["site_url"]))
    return report
