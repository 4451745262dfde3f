"""Keep credentials out of the access log: query values named like secrets are masked."""

import logging
import re

SECRET_QUERY = re.compile(r"\b(ticket|token)=[^&\s\"]*", re.IGNORECASE)


class MaskSecrets(logging.Filter):
    """Rewrites ``ticket=…`` and ``token=…`` in a log record's arguments as ``ticket=***``."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_masked(arg) for arg in record.args)
        return True


def _masked(value: object) -> object:
    return SECRET_QUERY.sub(r"\1=***", value) if isinstance(value, str) else value


def mask_secrets_in_access_log() -> None:
    """Install the mask on uvicorn's access logger (once, however often the app starts)."""
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, MaskSecrets) for f in access.filters):
        access.addFilter(MaskSecrets())
