"""Run the Great Expectations suites declared in ``expectations/suites`` against staged data.

GX 1.24 cannot validate DuckDB through its SQL datasource, so each suite's audit
query (``warehouse/sql/audit/<table>.sql``) is validated as a GX pandas dataframe
asset. The HTML Data Docs are our own page (``expectations.data_docs``), rendered from the
results once every suite has run: escaped, self-contained, no CDN.

Pulling every audited row into pandas costs memory and time in proportion to the
run, so DuckDB first narrows each audit to its *suspects*: the rows that could fail
some expectation of the suite (a null, a value outside its set or range, a value
that occurs twice, with every row sharing it). GX then judges those rows, so it
fails, counts and names failing rows exactly as it would on the whole audit;
``element_count`` is the whole audit's row count. A suite using an expectation that
has no suspect rule here is validated on its whole audit.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from expectations.outcomes import ExpectationOutcome, ValidationReport
from expectations.value_sets import resolve
from warehouse.sql_files import read_sql

if TYPE_CHECKING:  # the validator process needs no DuckDB: it gets the audited rows as frames
    import duckdb

SUITES_DIR = Path(__file__).parent / "suites"
SAMPLE_ROWS = 20
# The result format of a suite's first judgement: success only (see ``Validation.judge``).
QUICK_FORMAT = {"result_format": "BOOLEAN_ONLY"}
# Beside the GX context: the fingerprint of the suites it was configured for (see ``Validation``).
SETUP_MARKER = "newsetl-suites.sha256"
# Bump when ``Validation._configure`` changes what it configures: contexts built before are then rebuilt.
SETUP_VERSION = 1


def load_suites() -> list[dict]:
    """The suites in force: $NEWSETL_SUITES_DIR (an operator's own, stricter suites) or the shipped ones."""
    folder = Path(os.environ.get("NEWSETL_SUITES_DIR") or SUITES_DIR)
    return [json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))]


def declared(spec: dict) -> list[tuple[str, str, dict]]:
    """A suite's expectations as (expectation, column, kwargs), with named value sets resolved."""
    return [(item["expectation"], item["column"], {k: resolve(v) for k, v in item.get("kwargs", {}).items()})
            for item in spec["expectations"]]


# One suite's audited rows: (suite name, the pandas frame GX validates, row count of the whole audit).
Audit = tuple[str, object, int]


def audit(con: duckdb.DuckDBPyConnection) -> list[Audit]:
    """Every suite's audit of the staged data, narrowed to its suspect rows (no GX needed: DuckDB and pandas)."""
    return list(audits(con))


def audits(con: duckdb.DuckDBPyConnection) -> Iterator[Audit]:
    """``audit``, one suite at a time: a caller can have each judged while the next is audited."""
    for spec in load_suites():
        frame, total = _audit_frame(con, spec, declared(spec))
        yield spec["suite"], frame, total


def _setup_fingerprint(specs: list[dict]) -> str:
    """What a configured context depends on: the suites as resolved, GX's version, the result format."""
    from importlib.metadata import version

    resolved = [{**spec, "expectations": declared(spec)} for spec in specs]
    payload = json.dumps([SETUP_VERSION, version("great_expectations"), SAMPLE_ROWS, _jsonable(resolved)],
                         sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


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


def _suspect_condition(expectation: str, column: str, kwargs: dict) -> tuple[str, list] | None:
    """SQL that is true for every row this expectation could fail (and maybe more), with its parameters."""
    quoted = f'"{column}"'
    if expectation == "expect_column_values_to_not_be_null":
        return f"{quoted} is null", []
    if expectation == "expect_column_values_to_be_unique":
        return f"{quoted} is not null and count(*) over (partition by {quoted}) > 1", []
    if expectation == "expect_column_values_to_be_in_set" and set(kwargs) == {"value_set"}:
        return f"{quoted} is not null and not list_contains(?, {quoted})", [list(kwargs["value_set"])]
    if expectation == "expect_column_values_to_be_between" and set(kwargs) <= {"min_value", "max_value"}:
        # NaN sorts above every number in DuckDB, so NaNs are suspects too and GX decides on them.
        bounds = [(f"{quoted} < ?", kwargs.get("min_value")), (f"{quoted} > ?", kwargs.get("max_value"))]
        tests = [(test, value) for test, value in bounds if value is not None]
        if not tests:
            return None
        return f"{quoted} is not null and ({' or '.join(t for t, _ in tests)})", [v for _, v in tests]
    return None


def _audit_frame(con: duckdb.DuckDBPyConnection, spec: dict, expectations: list[tuple[str, str, dict]]):
    """(pandas frame GX validates, row count of the whole audit) for one suite."""
    audit = read_sql(spec["audit_sql"]).strip().rstrip(";")
    conditions = [_suspect_condition(name, column, kwargs) for name, column, kwargs in expectations]
    if any(c is None for c in conditions):
        frame = con.sql(audit).df()
        return frame, len(frame)
    columns = list(dict.fromkeys([spec["key"], *(column for _, column, _ in expectations)]))
    selected = ", ".join(f'"{c}"' for c in columns)
    flags = ", ".join(f"({sql}) as suspect_{i}" for i, (sql, _) in enumerate(conditions))
    any_flag = " or ".join(f"suspect_{i}" for i in range(len(conditions))) or "false"
    parameters = [p for _, params in conditions for p in params]
    total = con.execute(f"select count(*) from ({audit})").fetchone()[0]
    frame = con.execute(
        f"with audit as ({audit}), flagged as (select {selected}, {flags} from audit) "
        f"select {selected} from flagged where {any_flag}",
        parameters,
    ).df()
    return frame, total


class Validation:
    """The suites as GX checkpoints in a file context under ``report_dir``, ready to run on staged data.

    Setting them up needs no data, so a run prepares it while its batches extract (in the
    validator process, ``flows.validator``), and only once per report folder: later runs load
    the configured checkpoints while the suites are unchanged. ``judge`` then only validates the
    audited rows, and the Data Docs are built after the publish (``build_docs``).
    """

    def __init__(self, report_dir: Path) -> None:
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        logging.getLogger("great_expectations").setLevel(logging.ERROR)
        specs = load_suites()
        fingerprint = _setup_fingerprint(specs)
        # Configuring the suites (add_or_update of assets, suites, definitions, checkpoints) costs seconds.
        # It is done once per machine, in a template context in the cache, which a report folder's context
        # is copied from when it was configured for other suites (or never); then its checkpoints are loaded.
        root = Path(report_dir) / "gx"
        marker = root / SETUP_MARKER
        if not (marker.exists() and marker.read_text(encoding="utf-8").strip() == fingerprint):
            template = _template(gx, specs, fingerprint)
            if template is not None:
                shutil.copytree(template, root, dirs_exist_ok=True)
        try:
            self.context = context = gx.get_context(mode="file", project_root_dir=str(report_dir))
        except Exception:  # noqa: BLE001 - a context left half-written (its process killed mid-write): start afresh
            shutil.rmtree(root, ignore_errors=True)
            self.context = context = gx.get_context(mode="file", project_root_dir=str(report_dir))
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self.suites: list[tuple[dict, list[tuple[str, str, dict]], object]] = []
        if marker.exists() and marker.read_text(encoding="utf-8").strip() == fingerprint:
            try:
                self.suites = [(spec, declared(spec), context.checkpoints.get(f"staging.{spec['suite']}"))
                               for spec in specs]
            except Exception:  # noqa: BLE001 - a context edited or damaged by hand: configure it again
                self.suites = []
        if not self.suites:
            marker.unlink(missing_ok=True)
            self.suites = [(spec, declared(spec), checkpoint) for spec, checkpoint in _configure(gx, context, specs)]
            marker.write_text(fingerprint + "\n", encoding="utf-8")
        self.docs_dir = Path(report_dir)

    def run(self, con: duckdb.DuckDBPyConnection) -> ValidationReport:
        """Audit the staged data and validate it against every suite (Data Docs are built by ``build_docs``)."""
        return self.judge(audit(con))

    def judge(self, audits: list[Audit]) -> ValidationReport:
        """Validate audited rows (``audit``'s result, which may come from another process) against their suites.

        Each suite's checkpoint's one validation definition is run: the same results as Checkpoint.run,
        without its per-run serialisation of the checkpoint (a quarter of the time). GX's cost is per
        expectation, not per row, and most of it goes to the result's details, which a passed expectation
        does not need: a suite is first judged with ``BOOLEAN_ONLY`` (about 40% less CPU); when any of its
        expectations fails, it is judged again with the checkpoint's result format, whose failing rows,
        counts and errors are then recorded. The outcomes are the same either way: without ``mostly`` (a
        suite that has one is judged in full at once), an expectation passes only with no unexpected row,
        so its count is 0 and it has no failing rows, as the full format would say.
        """
        report = ValidationReport()
        suites = {spec["suite"]: (expectations, checkpoint) for spec, expectations, checkpoint in self.suites}
        for suite, frame, audited_rows in audits:
            expectations, checkpoint = suites[suite]
            quick = not any("mostly" in kwargs for _, _, kwargs in expectations)
            for definition in checkpoint.validation_definitions:
                if quick:
                    result = definition.run(batch_parameters={"dataframe": frame}, result_format=QUICK_FORMAT)
                    if all(outcome.success for outcome in result.results):
                        report.outcomes.extend(_outcome(suite, outcome, audited_rows) for outcome in result.results)
                        continue
                result = definition.run(batch_parameters={"dataframe": frame}, result_format=checkpoint.result_format)
                report.outcomes.extend(_outcome(suite, outcome, audited_rows) for outcome in result.results)
        return report

    def build_docs(self, report: ValidationReport) -> None:
        """Render the HTML Data Docs of ``report`` (``<report_dir>/index.html``) and point ``report.data_docs`` at them."""
        from expectations import data_docs

        report.data_docs = data_docs.render(report, self.docs_dir)


def _cache_dir() -> Path:
    return Path(os.environ.get("NEWSETL_CACHE_DIR") or Path(__file__).resolve().parents[1] / ".cache")


def _template(gx, specs: list[dict], fingerprint: str) -> Path | None:
    """The ``gx`` folder of a context configured for these suites, built once in the cache (None if it cannot be)."""
    template = _cache_dir() / f"gx-context-{fingerprint[:16]}"
    if (template / "gx" / SETUP_MARKER).exists():
        return template / "gx"
    try:
        template.parent.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(prefix=f".{template.name}-", dir=template.parent))
        context = gx.get_context(mode="file", project_root_dir=str(building))
        _configure(gx, context, specs)
        (building / "gx" / SETUP_MARKER).write_text(fingerprint + "\n", encoding="utf-8")
        try:
            os.replace(building, template)  # atomic: a concurrent builder's template is as good as this one
        except OSError:
            shutil.rmtree(building, ignore_errors=True)
    except Exception:  # noqa: BLE001 - no cache (read-only checkout): configure in the report folder instead
        return None
    return template / "gx" if (template / "gx" / SETUP_MARKER).exists() else None


def _configure(gx, context, specs: list[dict]) -> list[tuple[dict, object]]:
    """Add (or update) each suite's dataframe asset, suite, validation definition and checkpoint."""
    source = context.data_sources.add_or_update_pandas("staging")
    configured = []
    for spec in specs:
        name, key = spec["suite"], spec["key"]
        expectations = declared(spec)
        asset = source.add_dataframe_asset(name) if name not in source.get_asset_names() else source.get_asset(name)
        batch = asset.add_batch_definition_whole_dataframe(f"{name}_staged") if not asset.batch_definitions else asset.batch_definitions[0]
        suite = gx.ExpectationSuite(name=f"staging.{name}")
        for item, (_, column, kwargs) in zip(spec["expectations"], expectations):
            suite.add_expectation(getattr(gx.expectations, _class_name(item["expectation"]))(
                column=column, meta={"critical": item["critical"]}, **kwargs))
        suite = context.suites.add_or_update(suite)
        definition = context.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=f"staging.{name}", data=batch, suite=suite)
        )
        checkpoint = context.checkpoints.add_or_update(
            gx.Checkpoint(
                name=f"staging.{name}",
                validation_definitions=[definition],
                actions=[],
                result_format={"result_format": "SUMMARY", "unexpected_index_column_names": [key],
                               "partial_unexpected_count": SAMPLE_ROWS},
            )
        )
        configured.append((spec, checkpoint))
    return configured


def _outcome(suite: str, outcome, audited_rows: int) -> ExpectationOutcome:
    config = outcome.expectation_config
    details = {
        "kwargs": _jsonable({k: v for k, v in config.kwargs.items() if k not in ("batch_id", "column")}),
        "element_count": audited_rows,
        "failing_rows": _jsonable(outcome.result.get("partial_unexpected_index_list") or []),
    }
    if outcome.exception_info and outcome.exception_info.get("raised_exception"):
        details["exception"] = outcome.exception_info.get("exception_message")
    return ExpectationOutcome(
        suite=suite,
        expectation=config.type,
        column=config.kwargs.get("column"),
        critical=bool((config.meta or {}).get("critical", True)),
        success=bool(outcome.success),
        unexpected_count=int(outcome.result.get("unexpected_count") or 0),
        details=details,
    )
