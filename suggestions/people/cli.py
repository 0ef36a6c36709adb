"""``flask --app suggestions import-users FILE``: the admin page's import, on the command line."""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy import select

from ..auth.accounts import normalise_email
from ..auth.models import Role, User
from ..core.errors import DomainError
from ..core.extensions import db
from . import importer


@click.command("import-users")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "acting", help="Email of the admin the import is made by (kept active).")
@click.option("--encoding", type=click.Choice(importer.ENCODINGS), default="utf-8",
              show_default=True)  # fmt: skip
@click.option(
    "--deactivate-missing", is_flag=True,
    help="Deactivate people who are not in the file (never break-glass admins).",
)  # fmt: skip
@click.option("--apply", "apply_", is_flag=True, help="Write the changes (without: preview only).")
def import_users(file: Path, acting: str | None, encoding: str, deactivate_missing: bool,
                 apply_: bool) -> None:  # fmt: skip
    """Import people from a CSV file (email, name, department, role, language)."""
    admin = None
    if acting:
        admin = db.session.scalar(select(User).where(User.email == normalise_email(acting)))
        if admin is None or admin.role != Role.ADMIN or not admin.active:
            raise click.ClickException(f"{acting} is not an active admin.")
    if file.stat().st_size > importer.cli_max_bytes():
        raise click.ClickException("The file is larger than the import limit.")
    try:
        text = importer.decode(file.read_bytes(), encoding)
        plan = importer.plan_import(admin, text, deactivate_missing=deactivate_missing)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from error
    for error in plan.errors:
        click.echo(f"line {error.line}: {error.message} {error.value}", err=True)
    for change in plan.kept:
        click.echo(f"not deactivated (admin signing in with a password): {change.email}")
    counts = plan.counts()
    summary = ", ".join(f"{count} {kind}" for kind, count in counts.items())
    if not plan.ok:
        raise click.ClickException(f"{len(plan.errors)} lines have errors; nothing imported.")
    if not apply_:
        click.echo(f"Preview: {summary}. Run again with --apply to write.")
        return
    importer.apply_import(admin, text, deactivate_missing=deactivate_missing)
    db.session.commit()
    click.echo(f"Imported: {summary}.")
