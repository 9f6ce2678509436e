"""The website's pages: page plan, listings, timeline, feed, page chrome, security headers."""
