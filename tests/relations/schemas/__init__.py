"""The relation-test schema, declared once per dialect with the same class and column names."""
