"""The `accord` command line (Typer + Rich); see accord.cli.app."""
