"""The daemon's aiohttp layer: security middlewares, thin handlers, the WebSocket event hub."""
