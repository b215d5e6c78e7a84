"""`ptl`: the operator's command line for policy-timeline."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import signal
import sys
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

app = typer.Typer(help="Follow what a government promised its parliament, and whether it delivered.",
                  no_args_is_help=True, add_completion=False)  # fmt: skip
console = Console(stderr=True)
SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "letters"
DOCUMENT_SUFFIXES = (".txt", ".md", ".pdf", ".html", ".htm")


def _env_url(name: str, default: str) -> str:
    return os.environ.get(name, default)


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
) -> None:
    """Start everything on this machine (nats-server, SMTP sink, the three services) and ingest the samples."""
    from services.ptl.demo import run_demo
    from services.ptl.embedded import EmbeddedSystem

    system = EmbeddedSystem(data_dir)
    # A closed terminal or a service manager's stop must take the children down too, as Ctrl-C does.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _interrupt)
    try:
        console.print(f"Starting nats-server, SMTP sink and services under {data_dir.resolve()} ...")
        system.start()
        run_demo(system, ingest_samples=samples, console=console)
        if exit_after:
            return
        console.print("\nRunning. Press Ctrl-C to stop.")
        while all(p.poll() is None for p in system.processes.values()):
            asyncio.run(asyncio.sleep(1))
        console.print("[red]A process stopped; see the logs folder.[/red]")
        raise typer.Exit(1)
    except KeyboardInterrupt:
        console.print("Stopping.")
    finally:
        system.stop()


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
    paths: Annotated[list[Path], typer.Argument(help="files or folders (.txt .md .pdf .html)")],
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
    headers = auth_headers(api_key or operator_key())
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
    with Progress(
        "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console,
    ) as bar:  # fmt: skip
        task = bar.add_task(f"replaying {service}", total=None)

        def progress(sequence: int, last: int) -> None:
            bar.update(task, completed=sequence, total=last)

        from services.common.replay import ServiceStillRunning

        try:
            read = _run_replay(service, database_url, progress)
        except ServiceStillRunning as exc:
            console.print(f"[red]{exc}[/red]", soft_wrap=True)
            raise typer.Exit(2) from exc
    console.print(f"replayed {read} events into the {service} projection")


def _run_replay(service: str, database_url: str | None, progress: Callable[[int, int], None]) -> int:
    if service == "timeline":
        from services.timeline.replay import replay_timeline
        from services.timeline.settings import TimelineSettings

        return asyncio.run(replay_timeline(TimelineSettings(), database_url, progress))
    if service == "notify":
        from services.notify.replay import replay_notify
        from services.notify.settings import NotifySettings

        return asyncio.run(replay_notify(NotifySettings(), database_url, progress))
    raise typer.BadParameter(f"unknown projection {service!r}: timeline or notify")


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
) -> None:
    """How far each projection is behind the stream."""
    urls = {
        "timeline": timeline or _env_url("TIMELINE_PUBLIC_URL", "http://127.0.0.1:8102"),
        "notify": notify or _env_url("NOTIFY_URL", "http://127.0.0.1:8103"),
    }
    for name, url in urls.items():
        try:
            console.print(name, httpx.get(f"{url}/health", timeout=5).json())
        except httpx.HTTPError as exc:
            console.print(f"{name}: not reachable at {url} ({exc})")


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


def auth_headers(api_key: str | None) -> dict[str, str]:
    return {"authorization": f"Bearer {api_key}"} if api_key else {}


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
