"""Every wait portproof does is bounded by one of these (seconds)."""

# Asking an interpreter for its version and start methods.
PROBE = 10.0
# One pyupgrade pass over one file, for the machine port (it takes well under a second).
PORT_TOOL = 60.0
# One run of one subject. The slowest example takes ~1.5 s; a real-time pool run up to ~9 s.
RUN = 60.0
# diff: NEW's runs stop at this many times OLD's slowest run, at least NEW_LIMIT_FLOOR and at
# most RUN (unless --timeout names one limit for every run): a port that hangs where OLD ends in
# a second is told in seconds, not after a minute per cell. Ten times leaves room for what a
# port may take longer without being broken (a spawned child starts many times slower than a
# forked one: benchmarks/start_methods.py), and for a machine busier while NEW runs than while
# OLD ran.
NEW_LIMIT_FACTOR = 10.0
NEW_LIMIT_FLOOR = 10.0
# After a kill, how long to wait for the processes to disappear before calling them leaked.
REAP = 5.0
# How often a run looks whether it was cancelled (Ctrl-C, SIGTERM, SIGHUP): the bound on stopping.
CANCEL_POLL = 0.1
# After the subject's main process exits, how long its output may still be read.
DRAIN = 0.5
# After the subject's main process exits, how long its parent or the supervisor has to say its
# exit status (they say it at once, unless the subject stopped them: they are continued).
STATUS = 1.0
# After the subject's main process exits, how long multiprocessing's own helpers left alone (the
# forkserver, the resource tracker), which end once the processes they serve are gone, have to
# end before they are called leaked: a loaded machine may not run them at once.
HELPERS_END = 2.0
# After SIGTERM, how long the run's processes have to end before SIGKILL.
TERM_GRACE = 0.3
# After the processes it serves are gone, how long multiprocessing's resource tracker has to
# unlink what they left and exit.
TRACKER_GRACE = 0.3
# How old a cgroup group of a portproof that is gone (killed by SIGKILL) must be before another
# portproof ends and removes it: far longer than the moment between making a group and joining
# it.
STALE_GROUP = 60.0
# How long a run waits for the processes of such a group, killed, to go before it removes the
# group (a killed process stays in its group until its parent reaps it).
SWEEP = 1.0
# On a timeout, how long the run's processes have to write their stacks.
STACK_DUMP = 0.3
# How long a process of a run, at its end, waits for portproof to look at the output (see
# _stream.Bell): what another process prints once it is gone is then known to come after. It waits
# that long only on a machine so loaded that portproof cannot look in time; then such an order
# is not proven (diff does not hold it), as it was not before the wait.
LOOK = 1.0
