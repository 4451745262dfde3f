"""The asyncio client: the same operations, awaited."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
from wengert_client import AsyncWorkspace, Forbidden, Invalid


def test_async_micrograd_subset_and_every_method(url: str) -> None:
    asyncio.run(_script(url))


async def _script(url: str) -> None:
    async with await AsyncWorkspace.create(url) as ws:
        a = await ws.variable("a", -4.0, requires_grad=True)
        b = await ws.variable("b", 2.0, requires_grad=True)
        ab = await ws.gate("mul", a, b)
        cube = await ws.gate("pow", b, 3)
        d = await ws.gate("add", ab, cube)  # d = ab + b³
        relu = await d.apply("relu")
        gradients = await relu.backprop()
        assert float(await d.value()) == 0.0  # -8 + 8
        # relu'(0) = 0 in the engine: nothing flows back.
        assert float(gradients["a"]) == 0.0
        e = (await ws.eval("e = a * b + b"))["e"]
        await ws.zero_grad()
        await e.backprop()
        assert float(await a.grad()) == 2.0  # de/da = b
        assert float(await b.grad()) == -3.0  # de/db = a + 1
        await ws.optimizer_step("sgd", 0.5, [a])
        assert float(await a.value()) == -5.0
        async with ws.no_grad():
            assert (await ws.state())["no_grad"] is True
        assert (await ws.state())["no_grad"] is False
        assert (await ws.export())["format"] == "wengert-workspace"
        assert "import engine" in await ws.export_script()
        status = await ws.training.configure({"dataset": {"kind": "moons", "n": 80}})
        assert status["state"] == "idle"
        assert (await ws.training.step())["step"] == 1
        assert "train_loss" in await ws.training.metrics()
        with pytest.raises(Invalid):
            await ws.gate("matmul", await ws.variable("m", np.ones((2, 3))), "m")
        assert ws.viewer_url is not None
        viewer = await AsyncWorkspace.open(ws.viewer_url)
        with pytest.raises(Forbidden):
            await viewer.variable("x", 1.0)
        await viewer.aclose()
        events = ws.events(last_event_id=0)
        first = await anext(events)
        assert first.type == "variable_created"
        await events.aclose()
        await ws.delete()
