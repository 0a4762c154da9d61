"""Export: the model folder (PyTorch and ONNX), its manifest and model card."""
