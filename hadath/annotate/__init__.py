"""Annotation with people in the loop: sentences chosen for annotation and pre-annotated by a model (`suggest`), and
their corrected exports brought back as training data (`merge`)."""

# Imported as `annotate` (through the top-level link annotate/) it would be a second copy of every module.
if __name__ != "hadath.annotate":
    raise ImportError(f"import hadath.annotate, not {__name__}: annotate/ links to hadath/annotate/")
