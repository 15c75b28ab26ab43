# Leaves a daemon running, then tidies up as a program may before it exits: SUBJECT_TIDY says
# what it removes: "tmpdir", the temporary folder it was given (shutil.rmtree(tempfile.
# gettempdir())); "parent", the folder above its working folder; "record", the file portproof
# named to it for its record, with a folder put in its place.
import os
import shutil
import tempfile
import time

from _daemonize import daemonize

if daemonize():
    time.sleep(600)
    os._exit(0)
tidy = os.environ["SUBJECT_TIDY"]
if tidy == "tmpdir":
    shutil.rmtree(tempfile.gettempdir())
elif tidy == "parent":
    shutil.rmtree(os.path.abspath(".."))  # ".." itself cannot be removed once cwd is gone
else:
    record = os.environ["PORTPROOF_RECORD"]
    while not os.path.isdir(record):  # the daemon's boot may write its record meanwhile
        try:
            os.remove(record)
            os.mkdir(record)
        except (FileNotFoundError, FileExistsError):
            continue
print("tidied")
