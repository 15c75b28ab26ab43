# send_bytes takes bytes on Python 3; what comes back is bytes, decoded before it is printed.
from multiprocessing import Pipe, Process, Queue


def shout(conn, q):
    data = conn.recv_bytes()
    q.put(data.upper())
    conn.send(len(data))
    conn.close()


if __name__ == "__main__":
    parent, child = Pipe()
    q = Queue()
    p = Process(target=shout, args=(child, q))
    p.start()
    parent.send_bytes(b"hello world")
    print("child saw %d bytes" % parent.recv())
    print("queue gave %s" % q.get().decode("ascii"))
    p.join()
