"""Peyvand's benchmarks: a deterministic data generator, a loader and an HTTP scenario runner.

``python -m bench load`` fills a database at a scale, ``python -m bench run`` serves Peyvand as
production does and times the named scenarios. The conventions and the published figures are in
docs/benchmarks.md.
"""
