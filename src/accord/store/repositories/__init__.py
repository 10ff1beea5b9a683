"""Repositories: functions over a Session that take and return domain objects only."""
