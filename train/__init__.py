"""Training, evaluation and export: the stages that turn sentences and an encoder into a shipped model."""
