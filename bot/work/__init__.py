"""The work behind a summary, apart from the process that talks to Discord: its CPU-heavy steps
as plain functions (`steps`) and the worker processes that run them (`pool`)."""
