# Output that varies from run to run: random draws and timings. The counts do not vary.
import random
import time
from multiprocessing import Pool


def draw(n):
    start = time.time()
    values = [random.random() for _ in xrange(n)]
    time.sleep(values[0] * 0.2)
    return values, time.time() - start


if __name__ == '__main__':
    tasks = 5
    per_task = tasks * 3 / 2
    pool = Pool(2)
    for values, took in pool.map(draw, [per_task] * tasks):
        print 'drew %d values, first %.4f, took %.3f s' % (len(values), values[0], took)
    pool.close()
    pool.join()
    print 'tasks:', tasks, 'values per task:', per_task
