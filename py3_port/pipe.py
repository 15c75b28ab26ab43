# Written for this case study, not taken from the article: the parent and one
# child talk over both ends of one Pipe.
from multiprocessing import Process, Pipe
import os


def child(conn):
    with conn:
        for _ in range(3):
            message = conn.recv()
            print(f"Child {os.getpid()} received {message}.")
            conn.send(message.upper())


if __name__ == "__main__":
    print(f"Current process {os.getpid()}.")
    parent_conn, child_conn = Pipe()
    p = Process(target=child, args=(child_conn,))
    p.start()
    for message in ["ping 0", "ping 1", "ping 2"]:
        parent_conn.send(message)
        print(f"Parent received {parent_conn.recv()}.")
    p.join()
    print("Pipe closed.")
