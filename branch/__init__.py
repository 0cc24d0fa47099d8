"""The branch office: its profile (facts, hours, holidays, service standard, ticket prefix), where it is
stored, and the cached current profile every process reads. Knows nothing of the knowledge base."""
