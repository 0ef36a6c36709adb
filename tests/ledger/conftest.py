"""The ledger's tests mail the review pack through the same real SMTP server as notify's."""

from ..notify.conftest import config_overrides, smtp_port, smtp_server  # noqa: F401
