# The faithful port: the subclass keeps the path and opens the file in run(). Under spawn and
# forkserver, start() pickles the Process object with its attributes, and an open file does not
# pickle; under fork nothing is pickled, so every start method reads the same.
from multiprocessing import Process


class Reader(Process):
    def __init__(self, path):
        super().__init__()
        self.path = path

    def run(self):
        with open(self.path) as source:
            print(f"child read {source.read().strip()}")


if __name__ == "__main__":
    with open("settings.txt", "w") as f:
        f.write("retries=3\n")
    reader = Reader("settings.txt")
    reader.start()
    reader.join()
    print(f"child exit code {reader.exitcode}")
