"""Bad input, the one error every layer may raise for the user: the command line says it in one
line on stderr and exits 2."""


class UsageError(Exception):
    """Bad input: portproof says it in one line on stderr and exits 2."""
