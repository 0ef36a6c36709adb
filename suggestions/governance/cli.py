"""Governance's commands: pruning the audit log."""

from __future__ import annotations

import click
from flask import Flask

from ..core.extensions import db


def init_app(app: Flask) -> None:
    @app.cli.command("prune-audit")
    def prune_audit() -> None:
        """Delete audit entries older than AUDIT_RETENTION_DAYS (the pruning is logged)."""
        from . import audit

        gone = audit.prune()
        db.session.commit()
        click.echo(f"{gone} audit entries older than {audit.retention_days()} days removed.")
