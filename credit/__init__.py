"""The credit model: behaviour catalogue and policy (data files), evaluation, objections and repair."""
