"""The ``newsetl`` command line."""

from __future__ import annotations

import atexit
import os
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from flows import DEFAULT_BATCH_SIZE  # also sets quiet defaults before Prefect is imported

console = Console(stderr=False)
errors = Console(stderr=True)

DEFAULT_DB = Path("warehouse/news.duckdb")
DEFAULT_REPORTS = Path("reports")
DEFAULT_INPUT = Path("seeds")


class RichWatcher:
    """Shows the flow's progress: read units as a bar, articles as a count."""

    def __init__(self, bar: Progress) -> None:
        self.bar = bar
        self.units = bar.add_task("reading", total=None)
        self.articles = 0

    def planned(self, units: int) -> None:
        self.bar.update(self.units, total=units)

    def unit_read(self) -> None:
        self.bar.advance(self.units)

    def articles_done(self, count: int) -> None:
        self.articles += count
        self.bar.update(self.units, description=f"{self.articles:,} articles processed")

    def stage(self, name: str) -> None:
        self.bar.update(self.units, description=name)


def _summary_table(summary) -> Table:
    table = Table(title=f"newsetl run {summary.run_id[:8]}: {summary.status}", show_header=False)
    table.add_column("what")
    table.add_column("value", justify="right")
    labels = {
        "articles_read": "articles read", "articles_new": "new", "articles_changed": "changed",
        "articles_unchanged": "unchanged", "quarantined": "quarantined", "mentions": "mentions",
        "places": "places", "figures": "figures",
    }
    for key, label in labels.items():
        table.add_row(label, f"{summary.counts.get(key, 0):,}")
    table.add_row("validation", summary.validation)
    table.add_row("warehouse", str(summary.db_path))
    table.add_row("report", str(summary.report_path))
    return table


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """newsetl: news articles to an analytical DuckDB warehouse.

    Reads articles, extracts people, organisations, geocoded places and figures,
    validates them with Great Expectations and publishes them atomically.
    """


@main.command()
@click.option("--input", "inputs", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="File or folder to read; repeat for several. Formats are detected per file: the seed format, "
                   "JSON Lines (.jsonl), title-first .txt folders (BBC) and Reuters-21578 .sgm. Default: seeds/.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_DB,
              show_default=True, help="DuckDB warehouse file, created if missing.")
@click.option("--report-dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_REPORTS,
              show_default=True, help="Where index.html and the Great Expectations Data Docs are written.")
@click.option("--batch-size", type=click.IntRange(1, 100_000), default=DEFAULT_BATCH_SIZE, show_default=True,
              help="Articles per extraction batch (one Prefect task per batch).")
@click.option("--task-runner", "runner", type=click.Choice(["threads", "dask"]), default="threads", show_default=True,
              help="Where extraction batches run: 'threads' runs them on this machine (in worker processes, "
                   "see --extract-processes), 'dask' on a Dask cluster through prefect-dask (needs the 'dask' "
                   "extra). The warehouse is always written by this process.")
@click.option("--extract-processes", type=click.IntRange(0), default=None, metavar="N",
              help="Local extraction worker processes (threads runner). Default: NEWSETL_EXTRACT_PROCESSES, "
                   "else one per core for inputs of 2 MiB or more and none (in-process) below; 0: in-process.")
@click.option("--dask-address", metavar="tcp://HOST:PORT",
              help="Scheduler of an existing Dask cluster; without it --task-runner dask starts a local cluster.")
@click.option("--wait", "wait_seconds", type=click.FloatRange(0), default=0, show_default=True, metavar="SECONDS",
              help="When another run holds the warehouse, wait up to this long for it instead of exiting with code 2.")
def run(inputs: tuple[Path, ...], db_path: Path, report_dir: Path, batch_size: int, runner: str,
        extract_processes: int | None, dask_address: str | None, wait_seconds: float) -> None:
    """Ingest, extract, validate and publish articles (incremental: unchanged articles are skipped).

    Exits 0 when the run published (or had nothing new), 1 when validation blocked
    the publish, 2 on an error such as a warehouse locked by another run.
    """
    from flows.api_process import launch_temporary_api

    # Without a configured server the run needs a temporary Prefect API, which takes seconds to
    # start: start it before importing Prefect and the pipeline. The run stops it if it turns out
    # not to need it (a server set in a Prefect profile, inputs identical to the last run's).
    api = None if os.environ.get("PREFECT_API_URL") else launch_temporary_api()
    try:
        from flows import progress
        from flows.lock import hold
        from flows.pipeline import run_pipeline
        from warehouse import db
        from warehouse.db import WarehouseBusyError

        sources = list(inputs) or [DEFAULT_INPUT]
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=errors, transient=True) as bar:
            progress.watch(RichWatcher(bar))
            try:
                with hold(db_path, wait_seconds):
                    db.connect(db_path).close()  # a writer outside newsetl (DuckDB's own lock) fails here, before Prefect starts
                    summary = run_pipeline(sources, db_path, report_dir, batch_size, runner, dask_address,
                                           extract_processes=extract_processes, api=api)
            except WarehouseBusyError as error:
                errors.print(f"[red]newsetl: {error}[/red]")
                sys.exit(2)
            except Exception as error:  # a clear line for the user; the report and runs table keep the detail
                errors.print(f"[red]newsetl: run failed: {type(error).__name__}: {error}[/red]")
                sys.exit(2)
            finally:
                progress.watch(None)
    finally:
        if api is not None:
            api.stop(timeout=None)  # a no-op when the run already stopped it
    console.print(_summary_table(summary))
    if summary.status == "unchanged":
        console.print("0 new, 0 changed: nothing to publish.")
    if not summary.ok:
        errors.print(f"[red]newsetl: {summary.message}[/red]")
        sys.exit(1)


@main.command()
@click.option("--cron", required=True, metavar='"MIN HOUR DOM MON DOW"',
              help='Cron schedule, e.g. "0 6 * * *" for every day at 06:00 (the server\'s time zone, UTC by default).')
@click.option("--input", "inputs", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="File or folder each run reads; repeat for several. Default: seeds/.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_DB,
              show_default=True, help="DuckDB warehouse file, created if missing.")
@click.option("--report-dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_REPORTS,
              show_default=True, help="Where each run writes index.html and the Great Expectations Data Docs.")
@click.option("--batch-size", type=click.IntRange(1, 100_000), default=DEFAULT_BATCH_SIZE, show_default=True,
              help="Articles per extraction batch (one Prefect task per batch).")
@click.option("--name", default="newsetl", show_default=True, help="Deployment name in Prefect.")
@click.option("--port", default=4200, show_default=True,
              help="Port of the local Prefect server started when PREFECT_API_URL is not set.")
def serve(cron: str, inputs: tuple[Path, ...], db_path: Path, report_dir: Path, batch_size: int, name: str,
          port: int) -> None:
    """Run the pipeline on a cron schedule until interrupted (Ctrl-C).

    Registers the deployment 'newsetl-scheduled/NAME' with the Prefect server in PREFECT_API_URL
    and executes its scheduled runs from this process, one at a time. Without PREFECT_API_URL it
    starts a local Prefect server (API, UI on http://127.0.0.1:PORT and the scheduler) for as long
    as it serves. Each run takes the warehouse lock, like newsetl run.
    """
    from prefect.client.schemas.schedules import CronSchedule
    from prefect.settings import PREFECT_API_URL

    from flows import serve as scheduled

    try:
        CronSchedule(cron=cron)
    except ValueError as error:
        errors.print(f"[red]newsetl: invalid --cron {cron!r}: {error.errors()[0]['msg'] if hasattr(error, 'errors') else error}[/red]")
        sys.exit(2)
    sources = list(inputs) or [DEFAULT_INPUT]
    if PREFECT_API_URL.value():
        console.print(f"serving newsetl-scheduled/{name} on cron {cron!r}: warehouse {db_path}, reports {report_dir}")
        scheduled.serve(cron, sources, db_path, report_dir, batch_size, name)
        return
    # Prefect's temporary in-process server has no scheduler: nothing would ever run on it.
    console.print(f"starting a local Prefect server on http://127.0.0.1:{port} (set PREFECT_API_URL to use your own)")
    try:
        with scheduled.local_prefect_server(port):
            console.print(f"serving newsetl-scheduled/{name} on cron {cron!r}: warehouse {db_path}, reports {report_dir}")
            scheduled.serve(cron, sources, db_path, report_dir, batch_size, name)
    except scheduled.ServerStartError as error:
        errors.print(f"[red]newsetl: {error}[/red]")
        sys.exit(2)


@main.command()
@click.argument("query")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_DB,
              show_default=True, help="DuckDB warehouse file (opened read-only).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "parquet"]), default="table",
              show_default=True, help="table prints a table; csv and json print to stdout or --output; parquet needs --output.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the result to this file.")
@click.option("--allow-files", is_flag=True,
              help="Let the query read and write files and load extensions (COPY, EXPORT, ATTACH, INSTALL, LOAD, "
                   "read_csv(...)). The warehouse itself stays read-only.")
def sql(query: str, db_path: Path, fmt: str, output: Path | None, allow_files: bool) -> None:
    """Run a SQL QUERY against the warehouse (read-only, no file access) and print or write the result.

    Example: newsetl sql "select * from place_articles order by articles desc limit 10"
    """
    import duckdb

    from warehouse.console import ConsoleError, check_statements, explain_error, open_console

    if fmt == "parquet" and output is None:
        _fail("--format parquet needs --output FILE")
    if fmt == "table" and output:
        _fail("--output needs --format csv, json or parquet")
    try:
        con = open_console(db_path, allow_files)
    except ConsoleError as error:
        _fail(str(error))
    try:
        check_statements(con, query, allow_files)
        relation = con.sql(query)
        if relation is None:  # a statement without a result
            return
        # polars cannot import INTERVALs, and CSV and the table have no nested values: show those as text.
        textual = {"interval"} if fmt in ("json", "parquet") else {"interval", "list", "struct", "map", "union", "array"}
        kinds = [kind.id for kind in relation.types]
        if any(kind in textual for kind in kinds):
            relation = relation.project(", ".join(
                f'"{name}"::varchar as "{name}"' if kind in textual else f'"{name}"'
                for name, kind in zip(relation.columns, kinds)))
        frame = relation.pl()
    except ConsoleError as error:
        _fail(str(error))
    except duckdb.Error as error:
        _fail(explain_error(error))
    finally:
        con.close()
    # The result is written by this process, not by DuckDB: the console's connection has no file access.
    if fmt == "table":
        console.print(_result_table(frame))
    elif fmt == "json":
        _emit(frame.write_json() + "\n", output)
    elif fmt == "csv":
        _emit(frame.write_csv(), output)
    else:
        frame.write_parquet(output)
    if output:
        errors.print(f"{frame.height:,} rows written to {output}")


def _fail(message: str) -> None:
    """A user mistake: one unwrapped line on stderr, exit code 2."""
    click.secho(f"newsetl: {message}", err=True, fg="red")
    sys.exit(2)


def _emit(text: str, output: Path | None) -> None:
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


def _result_table(frame) -> Table:
    table = Table(show_lines=False, caption=f"{frame.height:,} row{'' if frame.height == 1 else 's'}")
    for name, dtype in frame.schema.items():
        table.add_column(name, justify="right" if dtype.is_numeric() else "left", overflow="fold")
    for row in frame.iter_rows():
        table.add_row(*["NULL" if value is None else str(value) for value in row])
    return table


@main.group(name="outlets")
def outlets_group() -> None:
    """News outlets' home regions: learned by every run, pinned by hand when you know better."""


@outlets_group.command(name="pin")
@click.argument("domain", required=False)
@click.argument("place", required=False)
@click.option("--csv", "csv_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Pin every 'domain,place' row of this CSV file instead.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_DB,
              show_default=True, help="DuckDB warehouse file.")
def outlets_pin(domain: str | None, place: str | None, csv_path: Path | None, db_path: Path) -> None:
    """Pin outlet DOMAIN's home region to PLACE: newsetl outlets pin echopress.com "Minnesota".

    PLACE is a country, a state or province, or 'Town, State'; a pin wins over what runs learn.
    """
    from warehouse import db, outlets
    from warehouse.db import WarehouseBusyError

    if (csv_path is None) == (domain is None or place is None):
        errors.print("[red]newsetl: give DOMAIN and PLACE, or --csv FILE[/red]")
        sys.exit(2)
    try:
        con = db.connect(db_path)
    except WarehouseBusyError as error:
        errors.print(f"[red]newsetl: {error}[/red]")
        sys.exit(2)
    try:
        if csv_path is not None:
            pins, problems = outlets.pin_csv(con, csv_path)
        else:
            try:
                pins, problems = [outlets.pin(con, domain, place)], []
            except outlets.PinError as error:
                pins, problems = [], [str(error)]
    finally:
        con.close()
    for pinned in pins:
        region = ", ".join(part for part in (pinned.admin1, pinned.country_code) if part)
        console.print(f"pinned {pinned.domain} to {pinned.place_name} ({region})")
    for problem in problems:
        errors.print(f"[red]newsetl: {problem}[/red]")
    if problems:
        sys.exit(2)


@main.group(name="eval")
def evaluate() -> None:
    """Score the pipeline against public gold sets, through the real warehouse."""


@evaluate.command(name="ner")
@click.option("--conll", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CoNLL-2003 file (e.g. ../shared/data/conll2003/eng.testa).")
@click.option("--predictions-out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write token-level predictions (token, gold, predicted) here.")
def eval_ner(conll: Path, predictions_out: Path | None) -> None:
    """Span-level precision, recall and F1 for PER/ORG/LOC (MISC ignored)."""
    from evaluation import ner

    console.print(ner.render(ner.evaluate(conll, predictions_out)))


@evaluate.command(name="geo")
@click.option("--gold", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="LGL-schema XML (TR-News) or GeoWebNews XML.")
def eval_geo(gold: Path) -> None:
    """Toponym detection P/R, accuracy@161km, end-to-end recall@161km, error in km."""
    from evaluation import geo

    console.print(geo.render(geo.evaluate(gold)))


@evaluate.command(name="casualties")
@click.option("--gvdb", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Gun Violence Database TSV (e.g. ../shared/data/figures/gvdb/dev.tsv).")
def eval_casualties(gvdb: Path) -> None:
    """Killed/wounded per article: accuracy with 95% CI, keyword-baseline margin, any-casualty P/R, per half."""
    from evaluation import casualties

    console.print(casualties.render(casualties.evaluate(gvdb)))


def entry_point() -> None:
    """The ``newsetl`` console script: ``main``, then a prompt exit.

    A finished run leaves Prefect, GX, pandas and polars objects that take the interpreter a
    second or more to free at exit, for nothing: once the command is done and its exit
    handlers have run (Prefect flushes its events there), the process ends without that teardown.
    """
    try:
        main()
        code: int | str | None = 0
    except SystemExit as done:
        code = done.code
    if isinstance(code, str):
        errors.print(code)
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)


if __name__ == "__main__":
    entry_point()
