"""Benchmarks that print figures; run by hand, not part of the test run."""
