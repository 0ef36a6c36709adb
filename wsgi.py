"""Production entry point: ``gunicorn wsgi:app`` (or ``waitress-serve wsgi:app`` on Windows)."""

from suggestions import create_app

app = create_app()
