"""Checks on what the build read and made: links and anchors, the raw HTML policy."""
