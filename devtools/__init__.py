"""Development tools: a local Telegram Bot API server for tests and benchmarks."""
