"""A stand-in for the Gegevensmagazijn OData service, serving pages composed from recorded records.

Records are the unedited ones under tests/fixtures/tk-opendata; only the page envelope (`@odata.context`,
`@odata.nextLink` with `$skiptoken=Id-<last id>`, as the live service writes it) is composed here. It applies
`ApiGewijzigdOp gt <moment>` and `Besluit_Id eq <guid>` from `$filter`; the other clauses are assumed (each
entity holds what the query would select).
Usable as an httpx.MockTransport handler or as a real HTTP server on 127.0.0.1.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from services.ingest.opendata.odata import parse_time

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tk-opendata"
_SINCE = re.compile(r"ApiGewijzigdOp gt (\S+)")
_BESLUIT = re.compile(r"Besluit_Id eq ([0-9a-f-]+)")
_RESOURCE = re.compile(r"/DocumentPublicatie\(([0-9a-f-]+)\)/Resource$")


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def recorded_zaken() -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((FIXTURES / "zaak").glob("*.json"))]


@dataclass
class FakeGegevensmagazijn:
    base_url: str = "http://tk.test/OData/v4/2.0"
    entities: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    page_size: int = 2
    publications: Path = FIXTURES / "publicatie"
    failures: list[int] = field(default_factory=list)  # statuses to answer before serving normally
    broken_pages: dict[tuple[str, int], bytes] = field(default_factory=dict)  # (entity, page index) -> body
    requests: list[str] = field(default_factory=list)

    def respond(self, url: str) -> tuple[int, str, bytes]:
        self.requests.append(url)
        if self.failures:
            return self.failures.pop(0), "text/plain", b"try again"
        parts = urlsplit(url)
        path = parts.path.removeprefix(urlsplit(self.base_url).path)
        if match := _RESOURCE.search(path):
            file = self.publications / f"{match.group(1)}.xml"
            return (200, "application/xml", file.read_bytes()) if file.exists() else (404, "text/plain", b"")
        entity = path.strip("/")
        if entity not in self.entities:
            return 404, "text/plain", b"no such entity set"
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        records = sorted(self.entities[entity], key=lambda r: r["Id"])  # the live service pages by Id
        if since := _SINCE.search(query.get("$filter", "")):
            moment = parse_time(since.group(1))
            records = [r for r in records if (parse_time(r.get("ApiGewijzigdOp")) or moment) > moment]  # type: ignore[operator]
        if besluit := _BESLUIT.search(query.get("$filter", "")):
            records = [r for r in records if r.get("Besluit_Id") == besluit.group(1)]
        token = query.get("$skiptoken", "")
        if token:
            records = [r for r in records if r["Id"] > token.removeprefix("Id-")]
        index = int(query.get("page", "0"))
        if (entity, index) in self.broken_pages:
            return 200, "application/json", self.broken_pages[(entity, index)]
        page, rest = records[: self.page_size], records[self.page_size :]
        body: dict[str, Any] = {"@odata.context": f"{self.base_url}/$metadata#{entity}", "value": page}
        if rest:
            next_query = {k: v for k, v in query.items() if k not in ("$skiptoken", "page")}
            next_query.update({"page": str(index + 1), "$skiptoken": f"Id-{page[-1]['Id']}"})
            body["@odata.nextLink"] = f"{self.base_url}/{entity}?{urlencode(next_query, safe='$')}"
        return 200, "application/json", json.dumps(body).encode()

    def transport(self) -> httpx.MockTransport:
        def handle(request: httpx.Request) -> httpx.Response:
            status, content_type, body = self.respond(str(request.url))
            return httpx.Response(status, content=body, headers={"Content-Type": content_type})

        return httpx.MockTransport(handle)

    @contextmanager
    def serve(self) -> Iterator[str]:
        """A real HTTP server on 127.0.0.1; yields its base URL (this object's base_url is set to it)."""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, content_type, body = fake.respond(fake.base_url.split("/OData")[0] + self.path)
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{server.server_address[1]}/OData/v4/2.0"
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self.base_url
        finally:
            server.shutdown()
            server.server_close()
