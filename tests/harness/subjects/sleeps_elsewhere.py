# Times a 1 s sleep made by the script's own code and one made by a module outside the script's
# folder (written to the run's current directory, as an installed package lives elsewhere): only
# the script's own sleep is scaled.
# Runs on Python 2 and 3 (and stays unchanged under pyupgrade: one string per print).
import os
import sys
import time


def nap(name, sleep):
    start = time.time()
    sleep(1.0)
    print(" ".join([name, "slept", str(round(time.time() - start, 2))]))


if __name__ == "__main__":
    with open("elsewhere_nap.py", "w") as module:
        module.write("import time\n\ndef sleep(seconds):\n    time.sleep(seconds)\n")
    sys.path.append(os.getcwd())
    import elsewhere_nap

    nap("own", time.sleep)
    nap("elsewhere", elsewhere_nap.sleep)
