"""Development tools, loaded only when asked for: demo data, bench data, the bench route."""
