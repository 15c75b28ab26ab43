# A naive port: b"" where Array, Value and authkey demanded it, and nothing else.
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
    print(f"word: {word.value}, first letter: {first.value}")  # naive: bytes print as b'HELLO'
    listener = Listener(("127.0.0.1", 0), authkey=b"secret")
    p = Process(target=greet, args=(listener.address,))
    p.start()
    conn = listener.accept()
    print("listener got: %s" % conn.recv())
    conn.close()
    listener.close()
    p.join()
