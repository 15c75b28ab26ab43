# A word shared with a child through Array('c') and Value('c'), and a greeting through a
# Listener that asks for a password. On Python 2 a str is bytes, which all three want.
from multiprocessing import Array, Process, Value
from multiprocessing.connection import Client, Listener


def shout(word, first):
    word.value = word.value.upper()
    first.value = word.value[0]


def greet(address):
    conn = Client(address, authkey='secret')
    conn.send('hello from the child')
    conn.close()


if __name__ == '__main__':
    word = Array('c', 'hello')
    first = Value('c', '?')
    p = Process(target=shout, args=(word, first))
    p.start()
    p.join()
    print(f'word: {word.value}, first letter: {first.value}')
    listener = Listener(('127.0.0.1', 0), authkey='secret')
    p = Process(target=greet, args=(listener.address,))
    p.start()
    conn = listener.accept()
    print('listener got: %s' % conn.recv())
    conn.close()
    listener.close()
    p.join()
