# A naive port: Python 3's str, whose len() counts letters and upper() knows accents.
from multiprocessing import Pool


def describe(name):
    return f"{name}: {len(name)} bytes, upper {name.upper()}"  # naive: café: 4 bytes, CAFÉ


if __name__ == "__main__":
    with Pool(2) as pool:
        for line in pool.map(describe, ["café", "naïve", "zoë"]):
            print(line)
    print("done ✓")
