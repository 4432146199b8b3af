"""Statistics, charts and exports: the figures a story quotes, reproducible from the case."""
