# A port that kept `/`: on Python 3 it is true division, so the mean it prints changes.
from multiprocessing import Process, Queue


def send(queue, n):
    queue.put(n)


if __name__ == '__main__':
    queue = Queue()
    children = [Process(target=send, args=(queue, n)) for n in (7, 8)]
    for child in children:
        child.start()
    total = sum(queue.get() for _ in children)
    for child in children:
        child.join()
    print(f'mean: {total / len(children)}')
