"""The boot: the folder portproof puts first on a subject's PYTHONPATH (sitecustomize.py), and
the names it shares with the runner (protocol.py)."""
