"""Evaluation and reporting: scores, bootstrap intervals, error analysis, reports and run comparison."""

# Imported as `evaluation` (through the top-level link evaluation/) it would be a second copy of every module.
if __name__ != "hadath.evaluation":
    raise ImportError(f"import hadath.evaluation, not {__name__}: evaluation/ links to hadath/evaluation/")
