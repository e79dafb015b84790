"""The API's routers: thin, each a few lines over `api.service`, `api.analyst` or `api.domain`."""
