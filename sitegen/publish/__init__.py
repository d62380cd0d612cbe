"""Getting the built site out: atomic publishing, static files, host files, the search index, build metadata."""
