"""portcheck: run a script and its port under many interpreters and start methods, and judge
both against one behavioural spec."""
