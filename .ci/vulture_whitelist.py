"""Names vulture reports as unused that a framework passes in: read by `vulture` (paths in pyproject.toml).

Using a name once is all vulture needs; nothing imports this module.
"""

from vulture.whitelist_utils import Whitelist

framework = Whitelist()
CALLED_BY_FRAMEWORKS = (
    framework.signum,  # services/ptl/cli.py `_interrupt`: signal.signal calls a handler with (signum, frame)
    framework.server,  # services/ptl/smtp_sink.py `handle_DATA`: aiosmtpd calls it with (server, session, envelope)
)
