"""Starting the whole stack on one machine: migrations, content, model training and services."""
