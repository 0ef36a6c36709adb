"""What every response shares: error pages, security headers, health, template helpers."""
