"""Exports of a workspace: JSON documents (and import), Python and PyTorch scripts, pictures."""
