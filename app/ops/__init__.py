"""Running the service in production: readiness, logs, backups, synthetic national-scale data."""
