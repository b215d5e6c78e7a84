"""`ptl`: the operator's command line for policy-timeline."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import httpx
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

if TYPE_CHECKING:
    from services.common.auth import KeyStore
    from services.common.replay import ReplayReport

app = typer.Typer(help="Follow what a government promised its parliament, and whether it delivered.",
                  no_args_is_help=True, add_completion=False)  # fmt: skip
console = Console(stderr=True)
SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "letters"
DOCUMENT_SUFFIXES = (".txt", ".md", ".pdf", ".html", ".htm", ".docx")


def _env_url(name: str, default: str) -> str:
    return os.environ.get(name, default)


@app.callback()
def use_running_instance(
    ctx: typer.Context,
    data_dir: Annotated[
        Path | None, typer.Option(envvar="PTL_DATA_DIR", help="data folder of the `ptl up` to talk to (.data)")
    ] = None,
) -> None:
    """Commands talk to the instance `ptl up` runs in the data folder (its ports), unless settings say otherwise."""
    from dotenv import dotenv_values

    from services.ptl.instance import environment_defaults, running_instance

    if ctx.invoked_subcommand == "up":
        return
    dotenv = {k: v for k, v in dotenv_values(".env").items() if v is not None}
    explicit = {**dotenv, **os.environ}
    folder = data_dir or Path(explicit.get("PTL_DATA_DIR", ".data"))
    os.environ["PTL_DATA_DIR"] = str(folder)
    instance = running_instance(folder)
    if instance is not None:
        os.environ.update(environment_defaults(instance, explicit))


def collect_files(paths: list[Path]) -> list[Path]:
    """Files named, and the documents inside folders named (sorted, non-recursive into hidden folders)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES))
        elif path.exists():
            found.append(path)
        else:
            raise typer.BadParameter(f"{path}: no such file or folder")
    return found


def parse_date_options(values: list[str]) -> dict[str, dt.date]:
    """--date NAME=YYYY-MM-DD, for documents whose text carries no date."""
    supplied: dict[str, dt.date] = {}
    for value in values:
        name, sep, day = value.rpartition("=")
        try:
            if not sep:
                raise ValueError("expected NAME=YYYY-MM-DD")
            supplied[Path(name).name] = dt.date.fromisoformat(day)
        except ValueError as exc:
            raise typer.BadParameter(f"--date {value!r}: {exc}") from exc
    return supplied


def _interrupt(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


@app.command()
def up(
    data_dir: Annotated[Path, typer.Option(help="where NATS, the databases, mails and logs live")] = Path(".data"),
    samples: Annotated[bool, typer.Option(help="ingest the sample letters")] = True,
    exit_after: Annotated[bool, typer.Option("--exit", help="stop after the report instead of serving")] = False,
    free_ports: Annotated[bool, typer.Option(help="any free ports, not 8101-8103 first")] = False,
) -> None:
    """Start everything on this machine (nats-server, SMTP sink, the three services) and ingest the samples."""
    from services.ptl.demo import run_demo
    from services.ptl.embedded import EmbeddedSystem
    from services.ptl.instance import instance_path, running_instance
    from services.ptl.supervisor import Supervisor

    if live := running_instance(data_dir):  # two of them on one JetStream folder and one set of databases
        message = f"ptl up (pid {live.pid}) already runs in {data_dir}; stop it first"
        console.print(f"[red]{message} (or delete {instance_path(data_dir)} if that is not it).[/red]", soft_wrap=True)
        raise typer.Exit(2)
    system = EmbeddedSystem(data_dir, preferred_ports=not free_ports)
    # A closed terminal or a service manager's stop must take the children down too, as Ctrl-C does; SIGINT
    # too, which a shell leaves ignored for a command it starts in the background (`kill -INT` must still work).
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _interrupt)
    try:
        console.print(f"Starting nats-server, SMTP sink and services under {data_dir.resolve()} ...")
        system.start()

        def ingest_samples() -> None:
            print_batch_report(post_batch(system.url("ingest"), collect_files([SAMPLES]), {}, system.api_key))

        run_demo(system, ingest_samples=ingest_samples if samples else None, console=console)
        if exit_after:
            return
        console.print("\nRunning. Press Ctrl-C to stop.")
        supervisor = Supervisor(system, say=lambda line: console.print(f"[yellow]{line}[/yellow]"))
        while True:
            supervisor.check()
            time.sleep(0.5)
    except KeyboardInterrupt:
        console.print("Stopping.")
    finally:
        # A second Ctrl-C or SIGTERM must not cut the orderly stop short (notify finishing the mail it sends).
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)
        system.stop()
        console.print("Stopped.")


@app.command()
def serve(
    service: Annotated[str, typer.Argument(help="ingest | timeline | notify")],
    host: str = "127.0.0.1",
    port: int = 8000,
) -> None:
    """Run one service (NATS_URL and the database URLs come from the environment)."""
    import uvicorn

    if service not in ("ingest", "timeline", "notify"):
        raise typer.BadParameter(f"unknown service {service!r}: ingest, timeline or notify")
    uvicorn.run(f"services.{service}.app:app", host=host, port=port, access_log=False)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="files or folders (.txt .md .pdf .html .docx)")],
    date: Annotated[list[str], typer.Option(help="NAME=YYYY-MM-DD for an undated document")] = [],  # noqa: B006
    api: Annotated[str | None, typer.Option(help="ingest service URL (env INGEST_URL)")] = None,
) -> None:
    """Send documents to the ingest service as one batch (processed in document-date order)."""
    url = api or _env_url("INGEST_URL", "http://127.0.0.1:8101")
    files = collect_files(paths)
    if not files:
        raise typer.BadParameter("no documents found in the paths given")
    report = post_batch(url, files, parse_date_options(date))
    print_batch_report(report)
    if report.get("documents_failed"):
        raise typer.Exit(1)


def post_batch(url: str, files: list[Path], dates: dict[str, dt.date], api_key: str | None = None) -> dict:
    multipart = [("files", (f.name, f.read_bytes(), "application/octet-stream")) for f in files]
    form = {"dates": json.dumps({k: v.isoformat() for k, v in dates.items()})} if dates else {}
    from services.ptl.embedded import bearer

    headers = bearer(api_key or operator_key())
    try:
        response = httpx.post(f"{url}/api/batches", files=multipart, data=form, headers=headers, timeout=300)
    except httpx.ConnectError as exc:
        console.print(f"[red]ingest service not reachable at {url}: {exc}. Start it with `ptl up`.[/red]")
        raise typer.Exit(2) from exc
    if response.status_code not in (200, 422):
        console.print(f"[red]ingest failed: HTTP {response.status_code}: {response.text}[/red]")
        raise typer.Exit(2)
    return response.json()


def print_batch_report(report: dict) -> None:
    table = Table(title="Ingest")
    for column in ("file", "status", "document", "date", "events", "note"):
        table.add_column(column)
    for f in report["files"]:
        counts = f.get("counts") or {}
        note = f["error"] or ", ".join(f"{v} {k}" for k, v in counts.items())
        table.add_row(f["name"], f["status"], f["document_id"] or "", f["date"] or "undated",
                      str(f["events_published"]), note)  # fmt: skip
    console.print(table)
    for f in report["files"]:
        if f["status"] == "failed":
            console.print(f"[red]error:[/red] {f['error']}", soft_wrap=True)
    for problem in report.get("problems", []):
        console.print(f"[yellow]warning:[/yellow] {problem}", soft_wrap=True)
    if report["events_published"] == 0 and not report.get("documents_failed"):
        console.print("Nothing new: every document was already ingested, no event published.")
    else:
        console.print(f"{report['events_published']} events published; watermark {report['watermark']}")


@app.command()
def reextract(
    everything: Annotated[bool, typer.Option("--all", help="every kept document, not only older readings")] = False,
    api: Annotated[str | None, typer.Option(help="ingest service URL (env INGEST_URL)")] = None,
) -> None:
    """Read the kept documents again with the current extractor and publish only what now reads differently."""
    from services.ptl.embedded import bearer

    url = api or _env_url("INGEST_URL", "http://127.0.0.1:8101")
    try:
        response = httpx.post(
            f"{url}/api/reextract", params={"all": everything}, headers=bearer(operator_key()), timeout=600
        )
    except httpx.ConnectError as exc:
        console.print(f"[red]ingest service not reachable at {url}: {exc}. Start it with `ptl up`.[/red]")
        raise typer.Exit(2) from exc
    if response.status_code != 200:
        console.print(f"[red]reextract failed: HTTP {response.status_code}: {response.text}[/red]")
        raise typer.Exit(2)
    report = response.json()
    console.print(
        f"extractor {report['version']}: {report['documents_read']} documents read again, "
        f"{len(report['documents_changed'])} read differently, {report['events_published']} events published",
        soft_wrap=True,  # one line whatever the terminal's width: scripts read it
    )
    for event_type, count in sorted(report["published"].items()):
        console.print(f"  {count:4d} {event_type}")
    for changed in report["documents_changed"]:
        console.print(f"  changed: {changed}")
    for failure in report["failed"]:
        console.print(f"[red]error:[/red] {failure}", soft_wrap=True)
    if report["failed"]:
        raise typer.Exit(1)


@app.command()
def extract(
    files: Annotated[list[Path], typer.Argument(help="documents to read (.txt .md .pdf .html)")],
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object per file, per line")] = False,
    date: Annotated[list[str], typer.Option(help="NAME=YYYY-MM-DD for an undated document")] = [],  # noqa: B006
) -> None:
    """Show what the system reads from documents, without running any service."""
    from services.ptl.extract_report import extract_files

    failed = extract_files(collect_files(files), parse_date_options(date), as_json=as_json)
    if failed:
        raise typer.Exit(1)


@app.command()
def replay(
    service: Annotated[str, typer.Argument(help="timeline | notify")],
    database_url: Annotated[str | None, typer.Option(help="rebuild into this database instead")] = None,
) -> None:
    """Rebuild a projection from the first event into an empty database (stop the service first)."""
    from services.common.replay import ReplayRefused

    if service not in ("timeline", "notify"):
        raise typer.BadParameter(f"unknown projection {service!r}: timeline or notify")
    with Progress(
        "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console,
    ) as bar:  # fmt: skip
        task = bar.add_task(f"replaying {service}", total=None)

        def progress(sequence: int, last: int) -> None:
            bar.update(task, completed=sequence, total=last)

        try:
            report = _run_replay(service, database_url, progress)
        except ReplayRefused as exc:
            console.print(f"[red]{exc}[/red]", soft_wrap=True)
            raise typer.Exit(2) from exc
    for skipped in report.skipped:
        line = f"[yellow]skipped[/yellow] #{skipped.sequence} {skipped.subject}: {skipped.reason}"
        console.print(line, soft_wrap=True)
    note = f", {len(report.skipped)} skipped as dead letters" if report.skipped else ""
    console.print(f"replayed {report.read} events into the {service} projection{note}")


def _run_replay(service: str, database_url: str | None, progress: Callable[[int, int], None]) -> ReplayReport:
    if service == "timeline":
        from services.timeline.replay import replay_timeline
        from services.timeline.settings import TimelineSettings

        timeline = TimelineSettings()
        elsewhere = _other_database(timeline.data_dir, service, timeline.resolved_database_url(), database_url)
        return asyncio.run(replay_timeline(timeline, elsewhere, progress))
    from services.notify.replay import replay_notify
    from services.notify.settings import NotifySettings

    notify = NotifySettings()
    elsewhere = _other_database(notify.data_dir, service, notify.resolved_database_url(), database_url)
    return asyncio.run(replay_notify(notify, elsewhere, progress))


def _other_database(data_dir: Path, service: str, own: str, given: str | None) -> str | None:
    """`given` unless it is the service's own database (None: in place, where its consumer is watched first).

    The instance file knows which database each running service uses, even when NATS cannot tell.
    """
    from services.common.replay import ServiceStillRunning
    from services.ptl.instance import live_database_user, same_database

    target = given or own
    user = live_database_user(data_dir, service, target)
    if user:
        raise ServiceStillRunning(f"{user} uses this database ({target}): stop it first, or rebuild into another "
                                  "database with --database-url")  # fmt: skip
    return None if given is None or same_database(given, own) else given


@app.command("smtp-sink")
def smtp_sink(
    port: int = 8125,
    host: str = "127.0.0.1",
    folder: Annotated[Path, typer.Option("--dir", help="where each mail is kept as an .eml file")] = Path(".data/mail"),
) -> None:
    """A local SMTP server that keeps every mail as a file."""
    from services.ptl.smtp_sink import run_smtp_sink

    run_smtp_sink(host, port, folder)


@app.command()
def status(
    timeline: Annotated[str | None, typer.Option(help="timeline URL (env TIMELINE_PUBLIC_URL)")] = None,
    notify: Annotated[str | None, typer.Option(help="notify URL (env NOTIFY_URL)")] = None,
    ingest: Annotated[str | None, typer.Option(help="ingest URL (env INGEST_URL)")] = None,
) -> None:
    """Each service's readiness (what is missing, if anything) and how far each projection is behind."""
    urls = {
        "ingest": ingest or _env_url("INGEST_URL", "http://127.0.0.1:8101"),
        "timeline": timeline or _env_url("TIMELINE_PUBLIC_URL", "http://127.0.0.1:8102"),
        "notify": notify or _env_url("NOTIFY_URL", "http://127.0.0.1:8103"),
    }
    table = Table(title="Status")
    for column in ("service", "url", "state", "lag", "missing"):
        table.add_column(column)
    down = False
    for name, url in urls.items():
        try:
            health = httpx.get(f"{url}/health", timeout=5).json()
            ready = httpx.get(f"{url}/ready", timeout=5).json()
        except (httpx.HTTPError, ValueError) as exc:
            table.add_row(name, url, "[red]not reachable[/red]", "", str(exc))
            down = True
            continue
        problems = {**health.get("problems", {}), **ready.get("problems", {})}
        state = "ready" if not problems else "[red]unavailable[/red]"
        lag = "" if health.get("lag") is None else str(health["lag"])
        table.add_row(name, url, state, lag, "; ".join(f"{k}: {v}" for k, v in problems.items()))
        down = down or bool(problems)
    console.print(table)
    if down:
        raise typer.Exit(1)


feed_app = typer.Typer(help="Read the parliament's own open data into the stream.", no_args_is_help=True)
app.add_typer(feed_app, name="feed")


@feed_app.command("tk")
def feed_tk(
    since: Annotated[str, typer.Option(help="YYYY-MM-DD: read records changed since this day (first poll)")],
    base_url: Annotated[str | None, typer.Option(help="OData service root (env TK_ODATA_URL)")] = None,
) -> None:
    """Poll the Tweede Kamer's OData once (motions, votes, committee debates, commitments) and publish the
    events through ingest's publisher. NATS_URL and INGEST_DATABASE_URL come from the environment."""
    from services.ingest.opendata.run import poll_once
    from services.ingest.opendata.settings import TkFeedSettings

    try:
        day = dt.date.fromisoformat(since)
    except ValueError as exc:
        raise typer.BadParameter(f"--since {since!r}: {exc}") from exc
    settings = TkFeedSettings(**({"TK_ODATA_URL": base_url} if base_url else {}))  # type: ignore[arg-type]
    report = asyncio.run(poll_once(settings, day))
    table = Table(title=f"Tweede Kamer open data since {day}")
    for column in ("entity", "records", "deleted", "published", "unchanged", "skipped", "complete"):
        table.add_column(column)
    for entity, r in report.entities.items():
        table.add_row(entity, str(r.records), str(r.tombstones), str(r.published), str(r.unchanged),
                      str(r.skipped), "yes" if r.complete else "no: retried next poll")  # fmt: skip
    console.print(table)
    if not report.complete:
        raise typer.Exit(1)


keys = typer.Typer(help="Operator API keys (argon2-hashed in PTL_API_KEYS_FILE, shared by the services).")
app.add_typer(keys, name="keys")


def operator_key() -> str | None:
    """PTL_API_KEY, else the admin key of the running `ptl up` (in its data folder's ptl.env)."""
    from services.common.settings import CommonSettings

    if key := os.environ.get("PTL_API_KEY"):
        return key
    env_file = CommonSettings().data_dir / "ptl.env"
    lines = env_file.read_text().splitlines() if env_file.exists() else []
    return next((line.partition("=")[2] for line in lines if line.startswith("PTL_API_KEY=")), None)


def _key_store() -> KeyStore:
    from services.common.auth import KeyStore
    from services.common.settings import CommonSettings

    return KeyStore(CommonSettings().keys_file)


@keys.command("create")
def keys_create(
    scope: Annotated[list[str], typer.Option(help="ingest | admin (repeat for several)")],
    name: Annotated[str, typer.Option(help="who or what uses it")] = "",
) -> None:
    """Create a key and print it once (only its argon2 hash is kept)."""
    try:
        key, token = _key_store().create(scope, name)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    console.print(f"key {key.id} ({', '.join(key.scopes)}) created; it is shown only now:")
    print(token)


@keys.command("list")
def keys_list() -> None:
    """The keys, without their secrets."""
    table = Table(title="API keys")
    for column in ("id", "name", "scopes", "created", "revoked"):
        table.add_column(column)
    for key in _key_store().keys().values():
        table.add_row(key.id, key.name, ", ".join(key.scopes), key.created_at, key.revoked_at or "")
    console.print(table)


@keys.command("revoke")
def keys_revoke(key_id: Annotated[str, typer.Argument(help="the id `ptl keys list` shows")]) -> None:
    """Revoke a key: the services refuse it from their next request on."""
    if not _key_store().revoke(key_id):
        console.print(f"[red]no live key {key_id!r}[/red]")
        raise typer.Exit(1)
    console.print(f"key {key_id} revoked")


def main() -> None:
    try:
        app()
    except BrokenPipeError:
        sys.exit(1)


if __name__ == "__main__":
    main()
