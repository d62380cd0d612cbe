"""Turning values into text: Markdown, Jinja2 templates, charts."""
