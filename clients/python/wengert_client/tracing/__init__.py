"""``ws.trace_torch``: a PyTorch module rebuilt on the live tape as Wengert gates.

The module runs once under torch.fx (its operations recorded symbolically, the example
inputs giving every shape); each operation becomes the gate that computes the same thing,
each parameter a leaf that requires grad, named by its qualified name with ``.`` written
``_``; each gate records the module it ran in as its group. torch.fx rather than the
autograd graph: fx keeps modules, parameter names and the functions as written
(``softmax(dim=-1)``), where the autograd graph has only backward nodes.
"""

from wengert_client.tracing.plan import UnsupportedOperation

__all__ = ["UnsupportedOperation"]
