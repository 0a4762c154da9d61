"""Event arguments: the role table, JSONL and BRAT links, validation messages, the pair head and its NumPy twin, and
the ACE-convention scores."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from hadath.cli import main
from hadath.data.argument_pairs import (
    CUE_WORDS,
    ID_TABLES,
    PAD_PAIR,
    PAIR_COLUMNS,
    PAIR_IDS,
    TABLE_SIZES,
    between,
    cue_id,
    pair_context,
    pair_geometry,
    training_pairs,
)
from hadath.data.errors import DataError
from hadath.data.readers import read_sentences
from hadath.data.readers.jsonl import parse_record
from hadath.data.roles import NO_ROLE, ROLES, argument_labels, role_problem, roles_table
from hadath.data.schemes import TagSpan
from hadath.data.writers import jsonl_record, write_sentences
from hadath.evaluation.arguments import argument_scores, link_counts
from hadath.inference.arguments import ArgumentScorer, WordStates
from hadath.models.arguments import ArgumentHead, pool_spans

ROOT = Path(__file__).resolve().parents[1]
TEXT = "هاجم مسلحون من تنظيم داعش مدينة الموصل يوم الأحد"


def span(text: str, part: str, label: str) -> list[object]:
    start = text.index(part)
    return [start, start + len(part), label]


RECORD = {
    "text": TEXT,
    "entities": [span(TEXT, "تنظيم داعش", "ORG"), span(TEXT, "الموصل", "LOC"), span(TEXT, "يوم الأحد", "DATE")],
    "events": [span(TEXT, "هاجم", "ATTACK")],
    "arguments": [[0, 0, "Attacker"], [0, 1, "Target"], [0, 2, "Time"]],
    "labels": ["SECURITY"],
}


def test_role_table_is_the_label_space_and_names_what_is_wrong() -> None:
    labels = argument_labels()
    assert labels[0] == NO_ROLE and len(labels) == len(set(labels))
    assert {"Attacker", "Victim", "Person", "Participant", "Origin", "Destination", "Speaker"} <= set(labels)
    assert role_problem("ATTACK", "ORG", "Attacker") is None
    assert role_problem("ATTACK", "DATE", "Attacker") == "ATTACK.Attacker takes PER/ORG, not DATE"
    assert "has no role Victim" in str(role_problem("ATTACK", "PER", "Victim"))
    assert all(f"| `{role}` |" in roles_table() for roles in ROLES.values() for role in roles)


def test_readme_role_table_is_the_code_table() -> None:
    assert roles_table() in (ROOT / "data" / "README.md").read_text(encoding="utf-8")


def test_jsonl_arguments_round_trip_through_word_spans() -> None:
    sentence = parse_record(RECORD, Path("a.jsonl"), 1)
    words = sentence.words
    linked = {(" ".join(words[e.start : e.end]), role) for _, e, role in sentence.typed_arguments()}
    assert linked == {("تنظيم داعش", "Attacker"), ("الموصل", "Target"), ("يوم الأحد", "Time")}
    assert json.loads(json.dumps(jsonl_record(sentence), ensure_ascii=False)) == RECORD


def test_argument_index_out_of_range_is_a_file_line_error() -> None:
    bad = {**RECORD, "arguments": [[0, 3, "Place"]]}
    with pytest.raises(DataError, match=r"a\.jsonl:7: argument \[0, 3, 'Place'\] points past the record's 1 events"):
        parse_record(bad, Path("a.jsonl"), 7)
    with pytest.raises(DataError, match=r"a\.jsonl:7: bad argument"):
        parse_record({**RECORD, "arguments": [[0, "x", "Place"]]}, Path("a.jsonl"), 7)


def test_validate_reports_disallowed_roles_and_entity_types(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    good = json.dumps(RECORD, ensure_ascii=False)
    wrong_role = json.dumps({**RECORD, "arguments": [[0, 0, "Victim"]]}, ensure_ascii=False)
    wrong_type = json.dumps({**RECORD, "arguments": [[0, 2, "Place"]]}, ensure_ascii=False)
    path = tmp_path / "links.jsonl"
    path.write_text("\n".join([good, wrong_role, wrong_type]) + "\n", encoding="utf-8")
    assert main(["data", "validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:2: argument Victim of ATTACK → ORG `تنظيم داعش`: ATTACK has no role Victim" in out
    assert f"{path}:3: argument Place of ATTACK → DATE `يوم الأحد`: ATTACK.Place takes LOC, not DATE" in out
    assert f"{path}:1:" not in out


def test_brat_e_line_arguments_are_read(tmp_path: Path) -> None:
    (tmp_path / "doc.txt").write_text("قال الكاظمي\n" + TEXT + "\n", encoding="utf-8")
    base = len("قال الكاظمي\n")
    org, loc, trigger = (span(TEXT, part, "X")[:2] for part in ("تنظيم داعش", "الموصل", "هاجم"))
    ann = (
        f"T1\tORG {base + org[0]} {base + org[1]}\tتنظيم داعش\n"
        f"T2\tLOC {base + loc[0]} {base + loc[1]}\tالموصل\n"
        f"T3\tAttack {base + trigger[0]} {base + trigger[1]}\tهاجم\n"
        "E1\tAttack:T3 Attacker:T1 Target2:T2\n"
    )
    (tmp_path / "doc.ann").write_text(ann, encoding="utf-8")
    first, second = read_sentences(tmp_path / "doc.ann")
    assert first.arguments == []
    links = {(second.words[e.start], t.label, role) for t, e, role in second.typed_arguments()}
    assert links == {("تنظيم", "Attack", "Attacker"), ("الموصل", "Attack", "Target")}


def test_brat_and_jsonl_writers_keep_links_conll_says_it_drops_them(tmp_path: Path) -> None:
    sentence = parse_record(RECORD, Path("a.jsonl"), 1)
    notes = write_sentences([sentence], tmp_path / "out.ann")
    assert "Attacker:T" in (tmp_path / "out.ann").read_text(encoding="utf-8")
    (back,) = read_sentences(tmp_path / "out.ann")
    assert sorted(back.arguments) == sorted(sentence.arguments)
    assert not any("argument" in note for note in notes)
    notes = write_sentences([sentence], tmp_path / "out.conll")
    assert "3 event argument links dropped (CoNLL cannot hold links)" in notes


def test_training_pairs_cover_every_trigger_entity_pair_of_the_window() -> None:
    sentence = parse_record(RECORD, Path("a.jsonl"), 1)
    owners = [-1, *[w for w in range(len(sentence.words)) for _ in range(2)], -1]  # two pieces per word
    types = ["<unknown>", "ATTACK", "DATE", "LOC", "ORG"]
    rows = training_pairs(sentence, owners, argument_labels(), types)
    assert len(rows) == 3 and all(len(row) == PAIR_COLUMNS for row in rows)
    by_role = {argument_labels()[row[-1]]: row for row in rows}
    assert set(by_role) == {"Attacker", "Target", "Time"}
    # trigger = word 0 (هاجم), entity = words 3-4 (تنظيم داعش, after من), two words between, entity after, ATTACK and
    # ORG, nothing nearer on its side, no other trigger, no rival before the trigger; the cue من is CUE_WORDS[1];
    # nothing before the trigger.
    assert by_role["Attacker"][:PAIR_IDS] == [2, 1, 1, 4, 0, 0, 0, 0, 0, 0, 2, 0]
    assert by_role["Attacker"][PAIR_IDS : PAIR_IDS + 4] == [1, 3, 7, 11]  # the trigger's and entity's pieces
    allowed = by_role["Attacker"][-2]
    assert [role for i, role in enumerate(argument_labels()) if allowed >> i & 1] == ["none", "Attacker", "Target"]
    assert training_pairs(sentence, owners[:5], argument_labels(), types) == []  # the window ends inside the entity
    unknown = training_pairs(sentence, owners, [NO_ROLE, "Attacker"], types)
    assert len(unknown) == 1  # links with roles outside the label space are left out, not taught as none


def test_pair_geometry_context_and_cues() -> None:
    assert pair_geometry((0, 1), (3, 5)) == (2, 1) and pair_geometry((5, 6), (0, 1)) == (4, 0)
    assert pair_geometry((9, 10), (0, 3)) == (5, 0) and pair_geometry((0, 1), (40, 41)) == (8, 1)
    assert between((5, 6), (0, 2)) == (2, 5) and between((0, 1), (1, 3)) == (1, 1) and between((2, 4), (1, 3)) == (4, 4)
    first, second, third = TagSpan(0, 1, "ATTACK"), TagSpan(4, 5, "KILL"), TagSpan(9, 10, "ATTACK")
    places = [TagSpan(2, 3, "LOC"), TagSpan(6, 7, "LOC"), TagSpan(7, 8, "DATE"), TagSpan(8, 9, "LOC")]
    triggers = [first, second, third]
    # (same type nearer, triggers between, triggers nearer the entity, any type nearer, rivals nearer, rivals on the
    # other side)
    assert pair_context(first, places[0], triggers, places) == (0, 0, 0, 0, 0, 0)
    # One LOC nearer, KILL in between, KILL and the second ATTACK both nearer the entity than the first ATTACK.
    assert pair_context(first, places[1], triggers, places) == (1, 1, 2, 1, 1, 0)
    assert pair_context(first, places[3], triggers, places) == (2, 1, 2, 2, 2, 0)  # counts stop at 2
    assert pair_context(second, places[1], triggers, places) == (0, 0, 0, 0, 0, 1)  # a LOC before KILL: a Place too
    # A DATE nearer does not compete with a LOC for ATTACK's roles (Place/Target vs Time); a PER does (Target).
    people = [TagSpan(2, 3, "DATE"), TagSpan(3, 4, "PER"), TagSpan(5, 6, "LOC")]
    assert pair_context(first, people[2], [first], people)[3:] == (2, 1, 0)
    assert pair_context(TagSpan(4, 5, "ATTACK"), people[2], [first], people)[3:] == (0, 0, 1)  # the PER before
    words = ["وفي", "الموصل", "انسحب", "المسلحون", "باتجاهـ", "سوريا", "عند", "الفجر"]
    assert cue_id(words, 1) == CUE_WORDS.index("في") + 1  # the و is dropped
    assert cue_id(words, 5) == CUE_WORDS.index("باتجاه") + 1  # tatweel ignored
    assert cue_id(words, 0) == 0 and cue_id(words, 4) == 0  # sentence start; a noun is no cue


def test_head_masks_roles_the_table_forbids_and_learns() -> None:
    torch.manual_seed(0)
    roles = argument_labels()
    head = ArgumentHead(len(roles), 5)
    ids = torch.zeros(1, 2, PAIR_IDS, dtype=torch.long)
    only_victim = 1 | 1 << roles.index("Victim")
    masks, labels = torch.tensor([[[only_victim], [1]]]), torch.tensor([[[roles.index("Victim")], [-100]]])
    pairs = torch.cat([ids, torch.tensor([[[0, 1, 0, 1]] * 2]), masks, labels], -1)
    assert pairs.shape == (1, 2, PAIR_COLUMNS) and head(ids).shape == (1, 2, len(roles))
    optimizer = torch.optim.SGD(head.parameters(), lr=0.5)
    first = float(head.loss(pairs).detach())
    for _ in range(20):
        optimizer.zero_grad()
        loss = head.loss(pairs)
        loss.backward()
        optimizer.step()
    # Two allowed classes: the loss starts near log 2 (not log of every role) and falls as the head learns Victim.
    assert abs(first - np.log(2)) < 0.3 and float(head.loss(pairs).detach()) < 0.1
    padding = torch.tensor([[list(PAD_PAIR)]])
    assert float(head.loss(padding).detach()) == 0.0  # a batch of padding rows only


def test_numpy_scorer_matches_the_torch_head() -> None:
    torch.manual_seed(0)
    head = ArgumentHead(len(argument_labels()), 3).eval()
    columns = [TABLE_SIZES.get(table, 3) for table in ID_TABLES]
    ids = torch.stack([torch.randint(0, size, (5,)) for size in columns], -1)
    with torch.no_grad():
        expected = head(ids).numpy()
    scorer = ArgumentScorer.from_head(head, argument_labels(), ["<unknown>", "ATTACK", "LOC"])
    got = scorer.logits(ids.numpy())
    assert np.allclose(expected, got, atol=1e-5)


def test_linking_only_allows_roles_of_the_table() -> None:
    roles = argument_labels()
    types = ["<unknown>", "ATTACK", "DATE", "LOC"]
    weights = {f"{table}.weight": np.zeros((TABLE_SIZES.get(table, len(types)), 32), np.float32) for table in ID_TABLES}
    weights |= {
        "hidden.weight": np.zeros((4, PAIR_IDS * 32), np.float32),
        "hidden.bias": np.ones(4, np.float32),
        "out.weight": np.zeros((len(roles), 4), np.float32),
        "out.bias": np.zeros(len(roles), np.float32),
    }
    weights["out.bias"][roles.index("Victim")] = 5.0  # a KILL role: never allowed for an ATTACK
    weights["out.bias"][roles.index("Place")] = 3.0
    scorer = ArgumentScorer(weights, roles, types)
    words = ["هاجم", "مسلحون", "الموصل", "أمس"]
    found = scorer.link(words, [TagSpan(0, 1, "ATTACK")], [TagSpan(2, 3, "LOC")])
    assert [(a.role, a.entity) for a in found] == [("Place", TagSpan(2, 3, "LOC"))]
    assert found[0].score == pytest.approx(np.exp(3) / (np.exp(3) + 2))  # softmax over none, Target, Place
    assert scorer.link(words, [TagSpan(0, 1, "ATTACK")], [TagSpan(3, 4, "DATE")]) == []


def test_ace_scores_need_trigger_span_and_type_entity_span_and_role() -> None:
    attack, kill = TagSpan(0, 1, "ATTACK"), TagSpan(0, 1, "KILL")
    org, loc = TagSpan(2, 4, "ORG"), TagSpan(5, 6, "LOC")
    gold = [[(attack, org, "Attacker"), (attack, loc, "Place")]]
    predicted = [
        [
            (attack, org, "Target"),  # identified, wrong role
            (kill, loc, "Place"),  # wrong trigger type: neither
            (attack, TagSpan(2, 3, "ORG"), "Attacker"),  # entity span differs: neither
        ]
    ]
    scores = argument_scores(gold, predicted)
    assert scores["identification"] == {"precision": round(1 / 3, 6), "recall": 0.5, "f1": 0.4, "support": 2}
    assert scores["classification"]["f1"] == 0.0
    perfect = argument_scores(gold, gold)
    assert perfect["classification"]["f1"] == 1.0 and perfect["per_type"]["Place"]["support"] == 1
    assert argument_scores([[]], [[]])["classification"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}


def test_link_counts_are_the_per_sentence_hits_behind_the_scores() -> None:
    attack = TagSpan(0, 1, "ATTACK")
    org, loc = TagSpan(2, 4, "ORG"), TagSpan(5, 6, "LOC")
    gold = [(attack, org, "Attacker"), (attack, loc, "Place")]
    predicted = [(attack, org, "Target"), (attack, loc, "Place")]
    assert link_counts(gold, predicted) == (1, 2, 2)
    assert link_counts(gold, predicted, with_role=False) == (2, 2, 2)
    assert link_counts([], predicted) == (0, 2, 0)


def test_argument_layout_is_absent_without_the_head() -> None:
    from transformers import BertConfig, BertForTokenClassification

    from hadath.models.joint import JointTagger

    config = BertConfig(vocab_size=30, hidden_size=8, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=16, num_labels=3)  # fmt: skip
    plain = JointTagger(BertForTokenClassification(config), {"entities": 3}, 0)
    assert plain.argument_head is None
    ids = torch.tensor([[1, 2, 3]])
    assert not any("argument" in name for name, _ in plain.named_parameters())
    linked = JointTagger(BertForTokenClassification(config), {"entities": 3}, 0, argument_roles=5, argument_types=2)
    row = [*(0,) * PAIR_IDS, 0b10001, 4]  # none or the 5th role allowed; it is the 5th
    out = linked(input_ids=ids, attention_mask=torch.ones_like(ids), argument_pairs=torch.tensor([[row]]))
    assert set(out) == {"logits_entities", "loss"} and out["loss"].ndim == 0
    assert any(name.startswith("argument_head.") for name, _ in linked.named_parameters())


def test_span_states_pool_every_piece_of_each_span_and_numpy_matches_torch() -> None:
    torch.manual_seed(0)
    head = ArgumentHead(len(argument_labels()), 3, state_size=8).eval()
    hidden = torch.randn(1, 6, 8)
    ranges = torch.tensor([[[0, 2, 3, 6], [4, 5, 1, 2]]])  # trigger pieces 0-1, entity 3-5; trigger 4, entity 1
    with torch.no_grad():
        projected = head.span(hidden)
        pooled = pool_spans(projected, ranges)
    half = pooled.shape[-1] // 2
    assert torch.allclose(pooled[0, 0, :half], projected[0, 0:2, :half].mean(0), atol=1e-6)
    assert torch.allclose(pooled[0, 0, half:], projected[0, 3:6, half:].mean(0), atol=1e-6)
    assert torch.allclose(pooled[0, 1], torch.cat([projected[0, 4, :half], projected[0, 1, half:]]), atol=1e-6)
    columns = [TABLE_SIZES.get(table, 3) for table in ID_TABLES]
    ids = torch.stack([torch.randint(0, size, (1, 2)) for size in columns], -1)
    with torch.no_grad():
        expected = head(ids, pooled)[0].numpy()
    # NumPy pools per word (here a word per piece, words 0-1 a trigger, 3-5 an entity) from the per-word sums.
    states = WordStates(projected[0].numpy(), np.ones(6, dtype=np.float32))
    assert np.allclose(states.span_mean(TagSpan(3, 6, "LOC"))[half:], pooled[0, 0, half:].numpy(), atol=1e-6)
    scorer = ArgumentScorer.from_head(head, argument_labels(), ["<unknown>", "ATTACK", "LOC"])
    assert scorer.uses_states
    got = scorer.logits(ids[0].numpy(), pooled[0].numpy())
    assert np.allclose(expected, got, atol=1e-5)
    with pytest.raises(ValueError, match="reads span states"):
        scorer.link(["a"] * 6, [TagSpan(0, 2, "ATTACK")], [TagSpan(3, 6, "LOC")])
