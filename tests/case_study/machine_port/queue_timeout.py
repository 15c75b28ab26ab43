# Written for this case study, not taken from the article. It illustrates the
# put/get bullets of section 3: with block=True and a positive timeout, put
# raises Queue.Full and get raises Queue.Empty after waiting that long; with
# block=False they raise at once. (The article calls the keyword "blocked";
# its real name is "block".)
import multiprocessing
import queue
import os

def put_later(q):
    print("Child process %s puts B." % os.getpid())
    q.put('B')

if __name__ == '__main__':
    print("Current process %s." % os.getpid())
    q = multiprocessing.Queue(maxsize=1)
    q.put('A')
    print("Put A, the queue is full.")
    try:
        q.put('X', block=False)
    except queue.Full:
        print("put(block=False) raised Full.")
    print("Calling put(block=True, timeout=0.5)...")
    try:
        q.put('X', block=True, timeout=0.5)
    except queue.Full:
        print("put(block=True, timeout=0.5) raised Full.")
    print("Got %s." % q.get())
    try:
        q.get(block=False)
    except queue.Empty:
        print("get(block=False) raised Empty.")
    print("Calling get(block=True, timeout=0.5)...")
    try:
        q.get(block=True, timeout=0.5)
    except queue.Empty:
        print("get(block=True, timeout=0.5) raised Empty.")
    p = multiprocessing.Process(target=put_later, args=(q,))
    p.start()
    print("Got %s from the child." % q.get(block=True, timeout=10))
    p.join()
