"""The `assistant` fixture (a real Rasa server and action server) lives in tests/conftest.py."""
