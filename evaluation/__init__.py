"""Evaluation and reporting: scores, bootstrap intervals, error analysis, reports and run comparison."""
