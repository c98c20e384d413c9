"""Benchmarks: `make bench` (bench/run.py) writes bench/results/."""
