"""A faithful reimplementation of transformers' `examples/pytorch/token-classification/run_ner.py` recipe, the
baseline Hadath is measured against: word-split input, `is_split_into_words` tokenization truncated at 128,
first-subword labels (`label_all_tokens=False`), `DataCollatorForTokenClassification`, plain Trainer, argmax
decoding — with the optimiser flags of the Hadath config it is compared with (`arguments`). Words cut off by
truncation get no prediction in run_ner; here they are scored as `O` against the full gold file, so both systems
are scored on every word (conlleval-equivalent, seqeval default).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import torch
from datasets import Dataset
from transformers import DataCollatorForTokenClassification, Trainer, TrainingArguments

from hadath.evaluation.metrics import layer_metrics

Tagged = list[tuple[list[str], list[str]]]


def config_splits(config: Any) -> tuple[Tagged, Tagged, Tagged]:
    """The entity layer's (words, IOB2 tags) of a Hadath config's train, dev and test splits, read by Hadath's
    readers: the recipe trains on exactly the sentences Hadath trains on (a `data.split.dev` carve-out held out of
    both), is scored on the dev sentences Hadath selects on (empty without a dev split: a run_ner user's
    `--do_eval`, so its learning rate can be chosen on dev too) and on the gold Hadath's predictions files hold, so
    the paired bootstrap pairs the same sentences."""
    from hadath.data.config_splits import read_splits

    splits = read_splits(config)
    train, dev, test = ([(list(s.words), s.tags("entities")) for s in split]
                        for split in (splits.train, splits.dev, splits.test))  # fmt: skip
    return train, dev, test


def encode(sentences: list[tuple[list[str], list[str]]], tokenizer: Any, label2id: dict[str, int]) -> Dataset:
    """run_ner's `tokenize_and_align_labels` with max_seq_length 128 and label_all_tokens False."""
    encoded = tokenizer([s for s, _ in sentences], is_split_into_words=True, truncation=True, max_length=128)
    labels = []
    for index, (_, tags) in enumerate(sentences):
        previous, row = None, []
        for word in encoded.word_ids(index):
            row.append(-100 if word is None or word == previous else label2id.get(tags[word], 0))
            previous = word
        labels.append(row)
    return Dataset.from_dict({"input_ids": encoded["input_ids"], "attention_mask": encoded["attention_mask"],
                              "labels": labels})  # fmt: skip


def arguments(output_dir: Path, training: Any, epochs: float, max_steps: int, seed: int) -> TrainingArguments:
    """run_ner's TrainingArguments with the flags a run_ner user would pass to match a Hadath config (`training`, a
    hadath.config.TrainingConfig): learning rate, batch size, warmup, weight decay, schedule, gradient clipping and
    length-grouped batches are Hadath's, so the comparison is between recipes, not between optimiser settings."""
    return TrainingArguments(
        output_dir=str(output_dir), num_train_epochs=epochs, max_steps=max_steps,
        per_device_train_batch_size=training.batch_size, learning_rate=training.learning_rate,
        weight_decay=training.weight_decay, warmup_steps=training.warmup_ratio,
        lr_scheduler_type=training.lr_scheduler, max_grad_norm=training.max_grad_norm,
        train_sampling_strategy="group_by_length" if training.group_by_length else "random",
        seed=seed, save_strategy="no", report_to="none", logging_steps=50, disable_tqdm=True,
        use_cpu=not torch.cuda.is_available(), dataloader_num_workers=0,
    )  # fmt: skip


def train(model: Any, tokenizer: Any, dataset: Dataset, args: TrainingArguments) -> tuple[Trainer, dict[str, Any]]:
    """Train with the plain Trainer; returns it and its train metrics."""
    trainer = Trainer(model=model, args=args, train_dataset=dataset,
                      data_collator=DataCollatorForTokenClassification(tokenizer))  # fmt: skip
    started = time.perf_counter()
    output = trainer.train()
    metrics = dict(output.metrics)
    metrics["wall_s"] = time.perf_counter() - started
    return trainer, metrics


def recipe_model(model: Any, labels: list[str], scratch_tokenizer: Path | None = None) -> tuple[Any, Any]:
    """run_ner's tokenizer and `AutoModelForTokenClassification` for a Hadath `model` config (a ModelConfig): a
    pretrained encoder (`name_or_path`, such as encoders/multilingual-e5-small-ar) with its own tokenizer, as a
    run_ner user passes `--model_name_or_path`; else the config's scratch BERT on the WordPiece vocabulary in
    `scratch_tokenizer` (a Hadath run's, so only the recipe differs)."""
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    from hadath.models.scratch import scratch_bert

    id2label, label2id = dict(enumerate(labels)), {label: i for i, label in enumerate(labels)}
    if model.name_or_path:
        tokenizer = AutoTokenizer.from_pretrained(model.name_or_path)
        network = AutoModelForTokenClassification.from_pretrained(
            model.name_or_path, num_labels=len(labels), id2label=id2label, label2id=label2id
        )
        return tokenizer, network
    if scratch_tokenizer is None:
        raise ValueError("a scratch encoder needs the WordPiece vocabulary folder it was learned into")
    tokenizer = AutoTokenizer.from_pretrained(scratch_tokenizer)
    network = scratch_bert(len(tokenizer), model.scratch, max_length=128, labels=labels)
    return tokenizer, network


@torch.inference_mode()
def predict_tags(
    model: Any, tokenizer: Any, sentences: list[tuple[list[str], list[str]]], id2label: dict[int, str]
) -> list[list[str]]:
    """Argmax per first subword; words beyond the truncation are predicted `O`."""
    model.eval()
    device = next(model.parameters()).device
    predicted = []
    for begin in range(0, len(sentences), 64):
        batch = sentences[begin : begin + 64]
        encoded = tokenizer([s for s, _ in batch], is_split_into_words=True, truncation=True, max_length=128,
                            padding=True, return_tensors="pt")  # fmt: skip
        logits = model(input_ids=encoded["input_ids"].to(device),
                       attention_mask=encoded["attention_mask"].to(device)).logits  # fmt: skip
        best = logits.argmax(-1).cpu().numpy()
        for row, (tokens, _) in enumerate(batch):
            tags = ["O"] * len(tokens)
            previous = None
            for position, word in enumerate(encoded.word_ids(row)):
                if word is not None and word != previous:
                    tags[word] = id2label[int(best[row, position])]
                previous = word
            predicted.append(tags)
    return predicted


def test_f1(
    model: Any, tokenizer: Any, sentences: list[tuple[list[str], list[str]]], id2label: dict[int, str]
) -> dict[str, Any]:
    """`predict_tags` scored on every gold word."""
    return layer_metrics([tags for _, tags in sentences], predict_tags(model, tokenizer, sentences, id2label))


def write_predictions(path: Path, sentences: list[tuple[list[str], list[str]]], predicted: list[list[str]]) -> None:
    """`token gold predicted` lines, a blank line after each sentence: the `predictions-<layer>.conll` that Hadath
    writes, so `hadath compare` and the paired bootstrap read the recipe's predictions like a Hadath run's."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for (tokens, gold), tags in zip(sentences, predicted, strict=True):
            for token, gold_tag, tag in zip(tokens, gold, tags, strict=True):
                handle.write(f"{''.join(token.split()) or '_'} {gold_tag} {tag}\n")
            handle.write("\n")


__all__ = [
    "arguments",
    "encode",
    "predict_tags",
    "config_splits",
    "recipe_model",
    "test_f1",
    "train",
    "write_predictions",
]
