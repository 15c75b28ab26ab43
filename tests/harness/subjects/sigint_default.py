# Prints how its main process and a spawned child handle SIGINT: Python installs its
# KeyboardInterrupt handler only where SIGINT was not ignored when it started.
import multiprocessing
import signal


def handler():
    return "KeyboardInterrupt" if signal.getsignal(signal.SIGINT) is signal.default_int_handler \
        else "ignored"


def child():
    print("child: " + handler())


if __name__ == "__main__":
    print("main: " + handler())
    p = multiprocessing.get_context("spawn").Process(target=child)
    p.start()
    p.join()
