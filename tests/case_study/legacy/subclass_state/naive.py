# A naive port: print() and super(), the open file kept as an attribute.
from multiprocessing import Process


class Reader(Process):
    def __init__(self, path):
        super().__init__()
        self.source = open(path)  # naive: spawn and forkserver pickle the Process, and its file

    def run(self):
        print(f"child read {self.source.read().strip()}")


if __name__ == "__main__":
    with open("settings.txt", "w") as f:
        f.write("retries=3\n")
    reader = Reader("settings.txt")
    reader.start()
    reader.join()
    print(f"child exit code {reader.exitcode}")
