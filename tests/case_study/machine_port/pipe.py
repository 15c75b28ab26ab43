# Written for this case study, not taken from the article. It illustrates the
# Pipe sentence of section 3: "Pipe主要用来两个进程间通信" (Pipe is mainly for
# communication between two processes): the parent and one child talk over
# both ends of one Pipe, in both directions.
from multiprocessing import Process, Pipe
import os

def child(conn):
    for i in range(3):
        message = conn.recv()
        print(f"Child {os.getpid()} received {message}.")
        conn.send(message.upper())
    conn.close()

if __name__ == '__main__':
    print("Current process %s." % os.getpid())
    parent_conn, child_conn = Pipe()
    p = Process(target=child, args=(child_conn,))
    p.start()
    for message in ['ping 0', 'ping 1', 'ping 2']:
        parent_conn.send(message)
        print("Parent received %s." % parent_conn.recv())
    p.join()
    print("Pipe closed.")
