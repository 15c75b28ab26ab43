"""The case study's specs: what "equivalent" means for each example, one module per example,
each applied unchanged to every implementation, interpreter and start method.

SPECS maps each example's name to its Spec, in the article's order; EXAMPLES is their names.
"""
from __future__ import annotations

from portproof._spec import Spec
from portproof.specs import (
    pipe, pool, process, process_subclass, queue_shared, queue_timeout, value_array,
)

SPECS: dict[str, Spec] = {
    module.SPEC.name: module.SPEC
    for module in (process, pool, process_subclass, queue_shared, queue_timeout, pipe,
                   value_array)
}
EXAMPLES = list(SPECS)
