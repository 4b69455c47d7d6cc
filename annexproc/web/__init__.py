"""The web page: a Starlette application over the same engine as the command line (``annexproc serve``)."""
