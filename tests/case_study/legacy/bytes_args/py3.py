# Array('c'), Value('c') and authkey take bytes on Python 3, and give bytes back: decoded before
# they are printed. What send() and recv() carry is pickled, so a str stays a str.
from multiprocessing import Array, Process, Value
from multiprocessing.connection import Client, Listener


def shout(word, first):
    word.value = word.value.upper()
    first.value = word.value[:1]


def greet(address):
    conn = Client(address, authkey=b"secret")
    conn.send("hello from the child")
    conn.close()


if __name__ == "__main__":
    word = Array("c", b"hello")
    first = Value("c", b"?")
    p = Process(target=shout, args=(word, first))
    p.start()
    p.join()
    text, letter = word.value.decode("ascii"), first.value.decode("ascii")
    print(f"word: {text}, first letter: {letter}")
    listener = Listener(("127.0.0.1", 0), authkey=b"secret")
    p = Process(target=greet, args=(listener.address,))
    p.start()
    conn = listener.accept()
    print("listener got: %s" % conn.recv())
    conn.close()
    listener.close()
    p.join()
