"""The ``newsetl`` command line."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import click
from rich.console import Console
from rich.progress import Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from flows import DEFAULT_BATCH_SIZE

console = Console(stderr=False)
errors = Console(stderr=True)

# Quiet, offline defaults for the command's own process (and what it starts); set in the environment, they win.
QUIET_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "GX_ANALYTICS_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
    "DO_NOT_TRACK": "1",
    # with --prefect and no server, Prefect starts a temporary one: slow on a busy 2-core machine
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
}


def default_db() -> Path:
    """The warehouse when --db is not given: NEWSETL_DB, else the user's data folder (XDG), never the working
    folder, so a run elsewhere creates nothing where it was started and never lands in a source folder."""
    if os.environ.get("NEWSETL_DB"):
        return Path(os.environ["NEWSETL_DB"])
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data_home / "newsetl" / "news.duckdb"


DEFAULT_DB = default_db()
DEFAULT_INPUT = Path("seeds")


class Terminated(SystemExit):
    """SIGTERM: raised in the main thread so the run closes its row (failed) and stops what it started."""


def _terminate(signum, frame) -> None:
    raise Terminated(128 + signum)


_interrupted = False  # Ctrl-C arrived: DuckDB turns it into its own error ("Query interrupted") mid-statement


def _interrupt(signum, frame) -> None:
    global _interrupted
    _interrupted = True
    raise KeyboardInterrupt


class RichWatcher:
    """Shows the run's progress in articles: done, rate, and an ETA from the share of input bytes read."""

    def __init__(self, bar: Progress) -> None:
        from flows.progress import unit_bytes

        self.unit_bytes = unit_bytes
        self.bar = bar
        self.line = bar.add_task("reading", total=None)
        self.started = time.monotonic()
        self.articles = 0
        self.total_bytes = self.read_bytes = 0
        self.units_read = 0
        self.stage_name: str | None = None

    def planned(self, units) -> None:
        self.total_bytes = sum(self.unit_bytes(unit) for unit in units)

    def unit_read(self, unit) -> None:
        self.read_bytes += self.unit_bytes(unit)
        self.units_read += 1
        self._show()

    def articles_done(self, count: int) -> None:
        self.articles += count
        self._show()

    def stage(self, name: str) -> None:
        self.stage_name = name
        self.bar.update(self.line, description=f"{self.articles:,} articles, {name}")

    def _show(self) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = self.articles / elapsed
        text = f"{self.articles:,} articles, {rate:,.0f}/s"
        if self.read_bytes and self.total_bytes and rate > 0:
            expected = self.articles * self.total_bytes / self.read_bytes  # articles the whole input should hold
            remaining = max(0.0, expected - self.articles) / rate
            text += f", ETA {int(remaining) // 60}:{int(remaining) % 60:02d}"
        self.bar.update(self.line, description=text)


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
@click.version_option(package_name="newsetl", prog_name="newsetl", message="%(prog)s %(version)s")
def main() -> None:
    """newsetl: news articles to an analytical DuckDB warehouse.

    Reads articles, extracts people, organisations, geocoded places and figures,
    validates them with Great Expectations and publishes them atomically.
    """
    command = click.get_current_context().invoked_subcommand
    for name, value in QUIET_DEFAULTS.items():
        if not (command == "serve" and name == "PREFECT_LOGGING_LEVEL"):  # serve shows each run's log lines
            os.environ.setdefault(name, value)
    if command != "run":  # run checks them once its validator process has started: the check imports the readers
        check_settings()


def check_settings() -> None:
    """Exit 2 with one line when a NEWSETL_* environment variable holds a value newsetl cannot use."""
    from transforms.readers.settings import SettingError, check_all

    try:
        check_all()
    except SettingError as error:
        _fail(str(error))


@main.command()
@click.option("--input", "inputs", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="File or folder to read; repeat for several. Formats are detected per file: the seed format, "
                   "JSON Lines (.jsonl), title-first .txt folders (BBC) and Reuters-21578 .sgm. Default: seeds/.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_DB,
              show_default=True, help="DuckDB warehouse file, created if missing. Default: NEWSETL_DB, else the user's data folder.")
@click.option("--report-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where index.html and the Great Expectations Data Docs are written. Default: reports/ beside the warehouse.")
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
@click.option("--prefect/--no-prefect", "prefect", default=None,
              help="Run as a Prefect flow, recorded on the Prefect server (default when PREFECT_API_URL is set; "
                   "without a server Prefect starts a temporary one). --no-prefect runs the same plan without Prefect.")
def run(inputs: tuple[Path, ...], db_path: Path, report_dir: Path | None, batch_size: int, runner: str,
        extract_processes: int | None, dask_address: str | None, wait_seconds: float, prefect: bool | None) -> None:
    """Ingest, extract, validate and publish articles (incremental: unchanged articles are skipped).

    Exits 0 when the run published (or had nothing new), 1 when validation blocked
    the publish, 2 on an error such as a warehouse locked by another run.
    """
    from flows import validator as validators
    from flows.lock import hold
    from warehouse.errors import WarehouseBusyError

    sources = list(inputs) or [DEFAULT_INPUT]
    fail_unless_readable(sources)
    report_dir = report_dir or db_path.parent / "reports"
    signal.signal(signal.SIGTERM, _terminate)
    try:
        with hold(db_path, wait_seconds):
            # GX's start-up (seconds) is the longest path of a small run: start the validator process before
            # this process imports the pipeline. A run that turns out to have nothing new stops it unused.
            started = validators.Validator(report_dir / "data_docs").start()
            validators.use_started(started)
            try:
                summary = _run(sources, db_path, report_dir, batch_size, runner, extract_processes, dask_address,
                               prefect)
            finally:
                validators.use_started(None)
                started.close()
    except WarehouseBusyError as error:
        _fail(str(error))
    except (KeyboardInterrupt, Terminated):
        _stopped()
    except Exception as error:  # a clear line for the user; the report and runs table keep the detail
        if _interrupted:
            _stopped()
        _fail(f"run failed: {type(error).__name__}: {error}")
    console.print(_summary_table(summary))
    if summary.status == "unchanged":
        console.print("0 new, 0 changed: nothing new to publish.")
    if not summary.ok:
        click.secho(f"newsetl: {summary.message}", err=True, fg="red")
        sys.exit(1)


def _run(sources: list[Path], db_path: Path, report_dir: Path, batch_size: int, runner: str,
         extract_processes: int | None, dask_address: str | None, prefect: bool | None):
    """The run itself, under the warehouse lock, with progress on stderr; returns its summary."""
    from flows import progress
    from flows.run import run_pipeline
    from transforms.readers import plan_units
    from warehouse import db

    # Importing polars replaces Python's SIGINT handler with one that interrupts only a running polars query:
    # Ctrl-C would wait for the next query (seconds, while the run waits for its workers). A handler of ours back.
    signal.signal(signal.SIGINT, _interrupt)
    check_settings()
    if not plan_units(sources, batch_size):
        click.secho(f"newsetl: no article files in {', '.join(map(str, sources))} "
                    "(looked for .txt articles, .jsonl feeds and Reuters .sgm files): nothing new", err=True, fg="yellow")
    with Progress(TextColumn("{task.description}"), TimeElapsedColumn(), console=errors, transient=True) as bar:
        progress.watch(RichWatcher(bar))
        try:
            db.connect(db_path).close()  # a writer outside newsetl (DuckDB's own lock) fails here, before the run
            return run_pipeline(sources, db_path, report_dir, batch_size, runner, dask_address,
                                extract_processes=extract_processes, prefect=prefect)
        finally:
            progress.watch(None)


def fail_unless_readable(sources: list[Path]) -> None:
    """Exit 2 with one line when an input cannot be read (a permission, not an article, problem)."""
    for source in sources:
        try:
            if source.is_dir():
                os.listdir(source)
            else:
                with source.open("rb"):
                    pass
        except OSError as error:
            _fail(f"cannot read input {source}: {error.strerror or error}")


@main.command()
@click.option("--cron", required=True, metavar='"MIN HOUR DOM MON DOW"',
              help='Cron schedule, e.g. "0 6 * * *" for every day at 06:00 (the server\'s time zone, UTC by default).')
@click.option("--input", "inputs", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="File or folder each run reads; repeat for several. Default: seeds/.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_DB,
              show_default=True, help="DuckDB warehouse file, created if missing. Default: NEWSETL_DB, else the user's data folder.")
@click.option("--report-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where each run writes index.html and the Great Expectations Data Docs. Default: reports/ beside the warehouse.")
@click.option("--batch-size", type=click.IntRange(1, 100_000), default=DEFAULT_BATCH_SIZE, show_default=True,
              help="Articles per extraction batch (one Prefect task per batch).")
@click.option("--name", default="newsetl-serve", show_default=True,
              help="Deployment name in Prefect (prefect.yaml's is newsetl-worker).")
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
        _fail(f"invalid --cron {cron!r}: {error.errors()[0]['msg'] if hasattr(error, 'errors') else error}")
    sources = list(inputs) or [DEFAULT_INPUT]
    report_dir = report_dir or db_path.parent / "reports"
    # Ctrl-C and SIGTERM stop serving, the runs in progress and the local server, even when started from a
    # shell that made this process ignore SIGINT (a background job of a script).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _terminate)
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
        _fail(str(error))


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


def _stopped() -> None:
    """Ctrl-C or SIGTERM stopped the run: one line, exit 130."""
    errors.print("[red]newsetl: run stopped; nothing of it was published[/red]")
    sys.exit(130)


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
              show_default=True, help="DuckDB warehouse file (an existing one, made by newsetl run).")
def outlets_pin(domain: str | None, place: str | None, csv_path: Path | None, db_path: Path) -> None:
    """Pin outlet DOMAIN's home region to PLACE: newsetl outlets pin echopress.com "Minnesota".

    PLACE is a country, a state or province, or 'Town, State'; a pin wins over what runs learn.
    """
    from warehouse import db, outlets
    from warehouse.db import WarehouseBusyError

    if (csv_path is None) == (domain is None or place is None):
        _fail("give DOMAIN and PLACE, or --csv FILE")
    try:
        db.check_existing(db_path)  # a mistyped --db must not create an empty warehouse
        con = db.connect(db_path)
    except (db.NotAWarehouseError, WarehouseBusyError) as error:
        _fail(str(error))
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
    for problem in problems:  # one unwrapped line each: a path or a place name is never split or read as markup
        click.secho(f"newsetl: {problem}", err=True, fg="red")
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
    """The ``newsetl`` console script."""
    main()


if __name__ == "__main__":
    entry_point()
