# The names the runner (portproof/_run.py) and the boot (sitecustomize.py, beside this file)
# share, spelled here only. The runner imports this module; the boot, which runs under Python
# 2.7 too and cannot import portproof, executes this file by its path. Plain assignments of
# strings and numbers only, valid on Python 2.7 and 3.6+.

# The environment variables the runner sets for the boot.
START_METHOD = 'PORTPROOF_START_METHOD'  # the start method to offer as the default
TIME_SCALE = 'PORTPROOF_TIME_SCALE'  # the factor of the script's own sleeps
SCRIPT_DIR = 'PORTPROOF_SCRIPT_DIR'  # whose code's sleeps are scaled
LINGER = 'PORTPROOF_LINGER'  # how long a Pool worker waits after its last task
RECORD = 'PORTPROOF_RECORD'  # the file of the record of every process
BELL = 'PORTPROOF_BELL'  # the FIFO rung at each event of the record
LOOKED = 'PORTPROOF_LOOKED'  # the file in which the runner says when it last looked
LOOK_WAIT = 'PORTPROOF_LOOK_WAIT'  # how long a process at its end waits for that look
STACKS = 'PORTPROOF_STACKS'  # the folder for the stacks dumped on DUMP_SIGNAL
# The run's token, in the environment of every process of the run: how "token" containment
# finds them (portproof/_contain.py). The boot does not read it.
RUN = 'PORTPROOF_RUN'

# The signal the runner sends a timed-out run's processes for their Python stacks, by name: its
# number differs between systems. The last real-time signal: one that ordinary programs do not
# send, so that the boot's dump handler takes from no signal of the subject's its meaning (a
# SIGUSR2 handler would keep a child alive that SIGUSR2 was meant to end).
DUMP_SIGNAL = 'SIGRTMAX'

# Of each thread of each process, the boot records the first ORDER_LINES complete lines it
# wrote to sys.stdout, each cut at LINE_TEXT characters (JSON spells a character in 12 bytes at
# most: an event stays within what portproof/_record.py reads of a line). diff learns orders
# among as many lines of a stream (portproof/_noise.py): the pairs grow with the square of the
# lines.
ORDER_LINES = 300
LINE_TEXT = 500

# The file, beside the record, in which a process names the /dev/shm entry multiprocessing is
# making for it (% its pid), from before the making until it is recorded: a process killed in
# between leaves it, and the runner removes what the making left (portproof/_aftermath.py).
SHM_PENDING = 'shm-pending.%d'
