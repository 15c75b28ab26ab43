# A naive port: `/` replaced by round(), which rounds 7.5 to even.
import random
import time
from multiprocessing import Pool


def draw(n):
    start = time.time()
    values = [random.random() for _ in range(n)]
    time.sleep(values[0] * 0.2)
    return values, time.time() - start


if __name__ == "__main__":
    tasks = 5
    per_task = round(tasks * 3 / 2)  # naive: 8 values per task, 2.7 drew 7
    with Pool(2) as pool:
        for values, took in pool.map(draw, [per_task] * tasks):
            print("drew %d values, first %.4f, took %.3f s" % (len(values), values[0], took))
    print("tasks:", tasks, "values per task:", per_task)
