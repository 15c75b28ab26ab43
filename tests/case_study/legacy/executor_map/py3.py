# The same lines, files, exception and exit status, with concurrent.futures. executor.map()
# submits every task at once but returns an iterator: a task's exception is raised only when its
# result is reached, so the results are consumed even though unused. When that iterator is left
# by an exception it cancels the tasks not yet started ('x' comes last here, so none is left).
# Leaving the with block waits for every task (shutdown(wait=True)), where Pool's terminates.
from concurrent.futures import ProcessPoolExecutor


def save(text):
    value = int(text)
    with open(f"report-{text}.txt", "w") as f:
        f.write(f"{value * value}\n")


if __name__ == "__main__":
    with ProcessPoolExecutor(2) as executor:
        print("saving 4 reports")
        for _ in executor.map(save, ["1", "2", "4", "x"]):
            pass
    print("saved")
