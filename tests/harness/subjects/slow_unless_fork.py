# Prints one line: at once under fork, after a minute under any other start method (a diff
# whose fork cell is judged long before the others).
# Runs on Python 2 and 3 (and stays unchanged under pyupgrade: one string per print).
import multiprocessing
import time

if __name__ == "__main__":
    if getattr(multiprocessing, "get_start_method", lambda: "fork")() != "fork":
        time.sleep(60)
    print("done")
