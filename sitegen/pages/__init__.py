"""Every output family of the site (news, pages, partners, platforms, funding, feeds, sitemap, search, redirects)."""
