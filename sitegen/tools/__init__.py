"""The editor's tools around the build: preview server, scaffolding, schema export, progress, translation report."""
