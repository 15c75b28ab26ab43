# Times 1 s sleeps: one made by the script's own code, and ones the boot leaves at their pace:
# made by a module outside the script's folder (written to the run's current directory, as an
# installed package lives elsewhere), by a module under a site-packages folder inside the
# script's folder (a virtual environment kept beside the script), by a thread whose target is
# time.sleep (the caller is threading), and by Pool.map(time.sleep, ...) (the caller is
# multiprocessing).
# Runs on Python 2 and 3 (and stays unchanged under pyupgrade: one string per print).
import multiprocessing
import os
import sys
import threading
import time

NAP = "import time\n\ndef sleep(seconds):\n    time.sleep(seconds)\n"


def nap(name, sleep):
    start = time.time()
    sleep(1.0)
    print(" ".join([name, "slept", str(round(time.time() - start, 2))]))


def module_in(folder, name):
    if not os.path.isdir(folder):
        os.makedirs(folder)
    with open(os.path.join(folder, name + ".py"), "w") as module:
        module.write(NAP)
    sys.path.append(folder)
    return __import__(name)


def in_a_thread(seconds):
    thread = threading.Thread(target=time.sleep, args=(seconds,))
    thread.start()
    thread.join()


def in_a_pool(seconds):
    pool = multiprocessing.Pool(1)
    pool.map(time.sleep, [seconds])
    pool.close()
    pool.join()


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    nap("own", time.sleep)
    nap("elsewhere", module_in(os.getcwd(), "elsewhere_nap").sleep)
    site = os.path.join(here, "venv", "lib", "site-packages")
    nap("site-packages", module_in(site, "site_nap").sleep)
    nap("thread", in_a_thread)
    nap("pool", in_a_pool)
