"""Names that look unused to vulture but are called by a framework, one reason per line (`make lint` reads this)."""

from types import SimpleNamespace

_ = SimpleNamespace()

_.request_error  # FastAPI calls the @app.exception_handler function (hadath/serve.py)
_.get_health  # FastAPI route GET /health (hadath/serve.py)
_.post_predict  # FastAPI route POST /predict (hadath/serve.py)
_.get_page  # FastAPI route GET / (hadath/serve.py)
_.forward  # torch calls Module.forward through Module.__call__ (hadath/models/joint.py, hadath/export/onnx_export.py)
_.__getattr__  # Python calls a module's __getattr__ for `hadath.Tagger` (hadath/__init__.py)
_.mode  # OnnxBackend.train(mode) keeps nn.Module.train's signature so either backend can be switched alike
_.eval_dataset  # HadathTrainer.evaluate keeps transformers.Trainer.evaluate's signature (Trainer passes it)
_.ignore_keys  # HadathTrainer.evaluate keeps transformers.Trainer.evaluate's signature (Trainer passes it)
_.graph_optimization_level  # read by onnxruntime from the SessionOptions it is given (hadath/inference/backends.py)
_.intra_op_num_threads  # read by onnxruntime from the SessionOptions it is given (hadath/inference/backends.py)
_.pre_tokenizer  # read by the tokenizers Tokenizer it is set on (hadath/models/scratch.py)
_.decoder  # read by the tokenizers Tokenizer it is set on (hadath/models/scratch.py)
_.logging_dir  # read by transformers' TensorBoardCallback when training begins (hadath/train/trainer.py)
