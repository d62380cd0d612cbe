"""`build.py import jekyll|hugo SOURCE`: the posts (and pages) of a Jekyll or Hugo site brought in as this site's files."""
