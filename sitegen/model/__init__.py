"""What the site is made of: settings, schemas, YAML, the Markdown and data sources, and the assembled site."""
