"""Where workspaces are kept: the store interface with its SQLite and PostgreSQL backends,
the journal and snapshots written to it, and the registry of live workspaces."""
