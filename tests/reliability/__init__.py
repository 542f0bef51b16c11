"""Reliability and security suite: concurrency, faults, hostile input, authorization."""
