"""The MIB portal generator: Markdown and YAML in, a static bilingual site out."""

__version__ = "0.1.0"
