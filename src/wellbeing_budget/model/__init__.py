"""Frozen pydantic models of what users write: frameworks, indicators, proposals, crosswalks.

No files, no numpy, no pandas: the models validate themselves and nothing else.
"""
