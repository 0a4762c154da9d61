"""Export: the model folder (PyTorch and ONNX), its manifest and model card."""

# Imported as `export` (through the top-level link export/) it would be a second copy of every module.
if __name__ != "hadath.export":
    raise ImportError(f"import hadath.export, not {__name__}: export/ links to hadath/export/")
