# get_context() with no argument is the default context, and it fixes the default start method.
from __future__ import print_function

import multiprocessing

if __name__ == "__main__":
    context = multiprocessing.get_context()
    print("get_context() is the %s context; get_start_method(): %s"
          % (context.get_start_method(), multiprocessing.get_start_method()))
    try:
        multiprocessing.set_start_method("spawn")
    except RuntimeError as exc:
        print("then set_start_method('spawn'): RuntimeError: %s" % exc)
