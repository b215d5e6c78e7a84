"""A local SMTP server that keeps each mail as an .eml file a user can open (the embedded default)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


class MaildirHandler:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
        path = self.folder / f"{stamp}-{len(list(self.folder.glob('*.eml'))):05d}.eml"
        path.write_bytes(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"


def run_smtp_sink(host: str, port: int, folder: Path) -> None:
    controller = Controller(MaildirHandler(folder), hostname=host, port=port)
    controller.start()
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()
