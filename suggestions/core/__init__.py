"""Plumbing every domain may use: configuration, extensions, database behaviour, errors,
signals, the one clock, user text, pagination, input bounds. Imports no domain."""
