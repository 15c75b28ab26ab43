"""Bad input, the one error every layer may raise for the user: the command line says it in one
line on stderr and exits 2; and the parser that raises it, which --help and --version use
without importing what the commands run."""
from __future__ import annotations

import argparse


class UsageError(Exception):
    """Bad input: portproof says it in one line on stderr and exits 2."""


class Exit(Exception):
    """--help or --version has printed what was asked: main returns `status`."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, not argparse's usage block
        raise UsageError(message)

    def exit(self, status: int = 0, message: str | None = None):  # main(), not sys.exit
        if message:
            self._print_message(message)
        raise Exit(status)
