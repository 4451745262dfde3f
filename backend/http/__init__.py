"""The HTTP edge: the FastAPI app, its routes, dependencies, middleware, error mapping and
OpenAPI additions. The only part that speaks HTTP."""
