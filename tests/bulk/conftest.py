# Shared fixtures live in tests/conftest.py; helpers for case files in tests/bulk/files.py.
