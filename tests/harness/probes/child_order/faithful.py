# A child that prints each number its parent sends it over a Pipe as it comes, then "pipe end",
# while the parent, alive, prints lines of its own: the two processes' lines race, but the
# child's come in the order it wrote them.
from multiprocessing import Pipe, Process


def child(conn):
    while True:
        n = conn.recv()
        if n is None:
            break
        print(n)
    print('pipe end')


if __name__ == '__main__':
    parent_end, child_end = Pipe()
    p = Process(target=child, args=(child_end,))
    p.start()
    for n in range(1, 5):
        parent_end.send(n)
        print('parent sent', n)
    parent_end.send(None)
    print('parent waits')
    p.join()
    print('parent done')
