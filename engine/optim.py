"""Optimizers over a list of parameters: SGD (with optional momentum) and Adam.

The base class owns ``zero_grad()`` and ``step()``; each optimizer writes only its update
rule. Updates are made in place on each parameter's ``value``. An optimizer's state
(step count and buffers) is exported and imported as a flat dict of NumPy arrays, so
it can be stored anywhere arrays can (``np.savez``, a database blob, JSON lists).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from engine.variable import Variable

STEP_CHANGE = "an optimizer step"
"""What a step's parameters were changed by, as stale-tape errors name it."""


def zero_grad(params: Iterable[Variable]) -> None:
    """Reset the gradient of every variable in ``params``."""
    for p in params:
        p.zero_grad()


class NonFiniteStep(ValueError):
    """An update would turn a finite element of a parameter NaN or infinite; nothing was changed.

    ``param`` is the parameter's position in the optimizer's list, ``index`` the element's
    index in it and ``value`` what the update would have written there.
    """

    def __init__(self, param: int, index: tuple[int, ...], value: float) -> None:
        super().__init__(f"the update would write {value} into parameter {param} at {index}")
        self.param, self.index, self.value = param, index, value


class Optimizer:
    """Base optimizer: holds the parameters, ``zero_grad()``, ``step()`` and the state dict.

    A subclass lists its per-parameter buffers in ``buffers`` and implements
    ``update(index, param, grad)``, which changes ``param.value`` in place. Parameters
    whose gradient was never computed are left as they are; the others are marked changed,
    so a backprop through nodes recorded before the step refuses (their saved values moved).
    """

    buffers: tuple[str, ...] = ()

    def __init__(self, params: Sequence[Variable], lr: float) -> None:
        self.params = list(params)
        if not self.params:
            raise ValueError(f"{type(self).__name__} needs at least one parameter")
        if any(not p.requires_grad for p in self.params):
            raise ValueError(f"{type(self).__name__}: every parameter must require grad")
        if lr <= 0:
            raise ValueError(f"{type(self).__name__}: lr must be positive, got {lr}")
        self.lr = lr
        self.steps = 0
        self.state: dict[str, list[np.ndarray]] = {
            name: [np.zeros_like(p.value) for p in self.params] for name in self.buffers
        }

    def zero_grad(self) -> None:
        """Reset the gradient of every parameter."""
        zero_grad(self.params)

    def step(self, refuse_nonfinite: bool = False) -> None:
        """Update every parameter that has a gradient, by the optimizer's rule.

        With ``refuse_nonfinite``, an update that would make a finite element NaN or infinite
        raises :class:`NonFiniteStep` and leaves the parameters and the state as they were.
        """
        values = [p.value.copy() for p in self.params] if refuse_nonfinite else None
        state = self.state_dict() if refuse_nonfinite else None
        self.steps += 1
        stepped = []
        for index, param in enumerate(self.params):
            grad = param.raw_grad
            if grad is not None:
                self.update(index, param, grad)
                stepped.append(param)
        if state is not None and values is not None:
            self._refuse_nonfinite(state, values)
        for param in stepped:
            param.mark_changed(STEP_CHANGE)

    def _refuse_nonfinite(self, state: dict[str, np.ndarray], values: list[np.ndarray]) -> None:
        """Put back ``state`` and ``values`` and raise if an element turned non-finite."""
        for position, (param, old) in enumerate(zip(self.params, values, strict=True)):
            born = ~np.isfinite(param.value) & np.isfinite(old)
            if born.any():
                element = tuple(int(i) for i in np.argwhere(born)[0])
                value = float(param.value[element])
                for restored, saved in zip(self.params, values, strict=True):
                    restored.value[...] = saved
                self.load_state_dict(state)
                raise NonFiniteStep(position, element, value)

    def update(self, index: int, param: Variable, grad: np.ndarray) -> None:
        """Change ``param.value`` in place from ``grad``; ``index`` picks its buffers."""
        raise NotImplementedError(f"{type(self).__name__} does not implement update")

    def state_dict(self) -> dict[str, np.ndarray]:
        """The step count and buffers as ``{"steps": 0-d array, "<buffer>.<i>": array}`` copies."""
        state = {"steps": np.array(self.steps)}
        for name, arrays in self.state.items():
            state.update({f"{name}.{i}": a.copy() for i, a in enumerate(arrays)})
        return state

    def load_state_dict(self, state: Mapping[str, np.ndarray]) -> None:
        """Restore what :meth:`state_dict` exported; raises ValueError on a mismatch."""
        expected = {"steps"} | {f"{n}.{i}" for n in self.state for i in range(len(self.params))}
        if set(state) != expected:
            raise ValueError(
                f"{type(self).__name__} state needs the keys {sorted(expected)}, "
                f"got {sorted(state)}"
            )
        for name, arrays in self.state.items():
            for i, param in enumerate(self.params):
                loaded = np.asarray(state[f"{name}.{i}"], dtype=param.value.dtype)
                if loaded.shape != param.shape:
                    raise ValueError(f"{name}.{i} has shape {loaded.shape}, expected {param.shape}")
                arrays[i] = loaded.copy()
        self.steps = int(state["steps"])


class SGD(Optimizer):
    """Stochastic gradient descent, with momentum when ``momentum`` > 0.

    With momentum: velocity = momentum * velocity + grad; value -= lr * velocity.
    """

    def __init__(self, params: Sequence[Variable], lr: float = 0.01, momentum: float = 0.0) -> None:
        if not 0 <= momentum < 1:
            raise ValueError(f"SGD: momentum must be in [0, 1), got {momentum}")
        self.momentum = momentum
        self.buffers = ("velocity",) if momentum else ()
        super().__init__(params, lr)

    def update(self, index: int, param: Variable, grad: np.ndarray) -> None:
        if self.momentum:
            velocity = self.state["velocity"][index]
            velocity *= self.momentum
            velocity += grad
            grad = velocity
        param.value -= self.lr * grad


class Adam(Optimizer):
    """Adam (Kingma & Ba): per-element steps from bias-corrected running moments of the grad."""

    buffers = ("m", "v")

    def __init__(
        self,
        params: Sequence[Variable],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        if not all(0 <= b < 1 for b in betas):
            raise ValueError(f"Adam: betas must lie in [0, 1), got {betas}")
        self.betas, self.eps = betas, eps
        super().__init__(params, lr)

    def update(self, index: int, param: Variable, grad: np.ndarray) -> None:
        beta1, beta2 = self.betas
        m, v = self.state["m"][index], self.state["v"][index]
        m *= beta1
        m += (1 - beta1) * grad
        v *= beta2
        v += (1 - beta2) * grad * grad
        m_hat = m / (1 - beta1**self.steps)
        v_hat = v / (1 - beta2**self.steps)
        param.value -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
