# A naive port: Pool.map(...) becomes executor.map(...), still a statement.
from concurrent.futures import ProcessPoolExecutor


def save(text):
    value = int(text)
    with open(f"report-{text}.txt", "w") as f:
        f.write(f"{value * value}\n")


if __name__ == "__main__":
    with ProcessPoolExecutor(2) as executor:
        print("saving 4 reports")
        executor.map(save, ["1", "2", "4", "x"])  # naive: nothing reads the results: no raise
    print("saved")
