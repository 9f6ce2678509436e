"""Data reports: aggregates, charts and the open-data exports."""
