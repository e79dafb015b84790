"""Supervision by level (issue 14): regions, random inspections by level, statistics and the annual report.

Pure rules live in the modules here (no store); each has a thin orchestration function that fetches
and stores through `queries.supervision`. Policy numbers come from `credit/supervision.toml`.
"""
