"""The web editor at /admin/ (Decap CMS): its configuration generated from the data model."""
