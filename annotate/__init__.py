"""Annotation with people in the loop: sentences chosen for annotation and pre-annotated by a model (`suggest`), and
their corrected exports brought back as training data (`merge`)."""
