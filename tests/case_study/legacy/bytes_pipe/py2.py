# Raw bytes through a Pipe (send_bytes/recv_bytes) and back through a Queue. On Python 2 a str
# is bytes, so the same value goes both ways and prints as text.
from multiprocessing import Process, Pipe, Queue


def shout(conn, q):
    data = conn.recv_bytes()
    q.put(data.upper())
    conn.send(len(data))
    conn.close()


if __name__ == '__main__':
    parent, child = Pipe()
    q = Queue()
    p = Process(target=shout, args=(child, q))
    p.start()
    parent.send_bytes('hello world')
    print 'child saw %d bytes' % parent.recv()
    print 'queue gave %s' % q.get()
    p.join()
