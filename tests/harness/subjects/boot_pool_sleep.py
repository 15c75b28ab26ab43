# Pickles time.sleep here, and maps it over a Pool, which pickles it by reference.
# Runs on Python 2 and 3 (and stays unchanged under pyupgrade: one string per print).
import multiprocessing
import pickle
import time

if __name__ == "__main__":
    print(" ".join(["same", str(pickle.loads(pickle.dumps(time.sleep)) is time.sleep)]))
    pool = multiprocessing.Pool(2)
    print(" ".join(["slept", str(pool.map(time.sleep, [0.01, 0.02]))]))
    pool.close()
    pool.join()
