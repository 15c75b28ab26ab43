# Asks for spawn itself, whatever start method portproof offered, and starts one child.
import multiprocessing


def child():
    pass


if __name__ == "__main__":
    multiprocessing.set_start_method("spawn", force=True)
    p = multiprocessing.Process(target=child, name="Switched")
    p.start()
    p.join()
