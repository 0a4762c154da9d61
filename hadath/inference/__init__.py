"""Inference runtime: the Tagger API, its PyTorch and ONNX backends, and the model folder's metadata."""

# Imported as `inference` (through the top-level link inference/) it would be a second copy of every module.
if __name__ != "hadath.inference":
    raise ImportError(f"import hadath.inference, not {__name__}: inference/ links to hadath/inference/")
