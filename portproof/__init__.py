"""portproof: run a script and its port under many interpreters and start methods, and judge
both against one behavioural spec, or against each other."""
__version__ = "0.1.0"
