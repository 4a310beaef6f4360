"""shuangyong: hand out a statistics form, check what comes back, and consolidate it."""

__version__ = "0.1.0"
