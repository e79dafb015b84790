"""The real-format adapters: readers of public source formats (USPTO grant XML, TIPO trademark XML,
FollowTheMoney JSON lines), each streaming validated records or rejects with the reason, and what they
share (`common`). The canonical layout's reader is `loaders.canonical`."""
