"""The domain: a Workspace (an engine Context with names, history, events), the operations
that change it, and what it reads, counts and says."""
