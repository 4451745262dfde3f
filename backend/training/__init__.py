"""The training playground: datasets, an MLP built on the engine, and a background job."""
