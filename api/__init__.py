"""The service: the `ipcredit` CLI, the FastAPI app and the visual pages."""
