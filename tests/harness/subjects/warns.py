# Warns in the main process and in a child, with warnings Python hides by default.
import multiprocessing
import warnings


def child():
    warnings.warn("in the child too", PendingDeprecationWarning)  # noqa: B028  (names this line)


if __name__ == "__main__":
    warnings.warn("this call will go", PendingDeprecationWarning)  # noqa: B028  (names this line)
    p = multiprocessing.Process(target=child)
    p.start()
    p.join()
