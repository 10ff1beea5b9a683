"""`python -m accord` runs the command line, as `accord` does."""

from accord.cli.app import main

main()
