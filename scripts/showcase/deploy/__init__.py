"""Publishing a built site/: to S3-compatible object storage or a folder nginx serves
(`showcase deploy`), and the nginx server block for it (`showcase nginx-conf`)."""
