"""Custom Rasa NLU components (the only Rasa-specific code outside actions/)."""
