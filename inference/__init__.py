"""Inference runtime: the Tagger API, its PyTorch and ONNX backends, and the model folder's metadata."""
