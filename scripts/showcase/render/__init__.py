"""Rendering shared by the site, the feed and print: safe Markdown, the Jinja environment, HTML text."""
