# A port whose child keeps what it receives on a list used as a stack and prints it once the
# pipe ends, after "pipe end": the same lines, in the reverse order, the last first.
from multiprocessing import Pipe, Process


def child(conn):
    received = []
    while True:
        n = conn.recv()
        if n is None:
            break
        received.append(n)
    print('pipe end')
    while received:
        print(received.pop())


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
