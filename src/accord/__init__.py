"""Accord: lawful, privacy-preserving sharing of student-record data between agencies."""

__version__ = "0.1.0"
