"""Benchmarks of harbor-replication against raw httpx and the reference clients.

``make bench`` (``python -m bench``) runs every scenario against the simulator in a child
process, at 0 ms and 10 ms of injected latency, prints a table of medians with ratios
against raw httpx and against harborapi, and writes ``bench/results/`` (JSON and a PNG).
"""
