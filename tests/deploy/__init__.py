"""Hosting tests: nginx serving the built site, and the CI workflow (a package, so its conftest does not shadow tests/conftest.py)."""
