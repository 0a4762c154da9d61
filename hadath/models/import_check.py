"""The check an imported encoder must pass: its sentence embeddings (e5's recipe: a `passage: ` prefix, mean pooling
over every token, L2 norm) against those of the package it came from, computed by that package's own engine."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from hadath.models.encoder_import import has_arabic

MIN_COSINE = 0.999
PREFIX = "passage: "

ARABIC_SENTENCES = (
    "نفذ التحالف الدولي غارات جوية على مواقع تنظيم داعش في وادي الشاي جنوب كركوك.",
    "أعلن رئيس الوزراء مصطفى الكاظمي عن خطة جديدة لإعادة الإعمار في المحافظات المحررة.",
    "قتل ثلاثة أشخاص وأصيب خمسة آخرون في انفجار عبوة ناسفة وسط بغداد صباح اليوم.",
    "انسحبت القوات الأمريكية من قاعدة عين الأسد في محافظة الأنبار.",
    "اعتقلت الشرطة مشتبها به في عملية سطو مسلح على مصرف في البصرة.",
    "التقى وزير الخارجية نظيره الأردني في عمان لبحث العلاقات الثنائية.",
    "ارتفعت أسعار النفط في الأسواق العالمية بعد قرار منظمة أوبك خفض الإنتاج.",
    "قال المتحدث باسم الحكومة إن الانتخابات ستجري في موعدها المحدد.",
    "شهدت العاصمة المصرية القاهرة تظاهرات حاشدة للمطالبة بتحسين الأوضاع المعيشية.",
    "وقعت المملكة العربية السعودية اتفاقية تعاون اقتصادي مع الإمارات العربية المتحدة.",
    "أصدرت محكمة الجنايات حكما بالسجن عشر سنوات على المتهمين في قضية الفساد.",
    "استقبل الرئيس اللبناني وفدا من البنك الدولي في قصر بعبدا.",
    "هاجم مسلحون مجهولون نقطة تفتيش للجيش شمال سيناء وقتلوا جنديين.",
    "أكدت وزارة الصحة تسجيل ألف ومئتي إصابة جديدة بفيروس كورونا خلال أربع وعشرين ساعة.",
    "فاز المنتخب المغربي على نظيره التونسي بهدفين مقابل هدف في مباراة ودية.",
    "دعا الأمين العام للأمم المتحدة إلى وقف فوري لإطلاق النار في اليمن.",
    "نفى المتحدث العسكري وقوع أي هجوم على القاعدة الجوية مساء أمس.",
    "هدد زعيم الجماعة بشن هجمات جديدة إذا لم تنسحب القوات الأجنبية.",
    "تحتفل الكويت اليوم بالذكرى الستين لاستقلالها.",
    "أعلنت شركة أرامكو عن أرباح قياسية في الربع الثالث من العام.",
    "غادر السفير الفرنسي دمشق بعد استدعائه للتشاور.",
    "تعرضت قافلة مساعدات إنسانية لإطلاق نار قرب مدينة حلب.",
    "اختطف مسلحون صحفيا محليا في مدينة الموصل واقتادوه إلى جهة مجهولة.",
    "يزور ولي العهد السعودي الأمير محمد بن سلمان باريس الأسبوع المقبل.",
    "شارك آلاف الطلاب في مسيرة سلمية في جامعة الخرطوم.",
    "بدأت عمليات البحث عن المفقودين بعد انهيار مبنى سكني في الإسكندرية.",
)
ENGLISH_SENTENCES = (
    "The coalition carried out airstrikes on militant positions south of Kirkuk.",
    "Prime Minister Mustafa al-Kadhimi announced a new reconstruction plan.",
    "Three people were killed and five injured in a bomb blast in central Baghdad.",
    "US forces withdrew from the Ain al-Asad air base in Anbar province.",
    "Police arrested a suspect in an armed robbery of a bank in Basra.",
    "The foreign minister met his Jordanian counterpart in Amman.",
    "Oil prices rose on world markets after OPEC decided to cut output.",
    "A government spokesman said the elections would be held on schedule.",
    "Thousands of people demonstrated in Cairo demanding better living conditions.",
    "Saudi Arabia signed an economic cooperation agreement with the United Arab Emirates.",
    "The criminal court sentenced the defendants to ten years in prison for corruption.",
    "The Lebanese president received a World Bank delegation at Baabda palace.",
    "Unknown gunmen attacked an army checkpoint in north Sinai, killing two soldiers.",
    "The health ministry recorded 1,200 new coronavirus infections in 24 hours.",
    "Morocco beat Tunisia two goals to one in a friendly match.",
    "The UN Secretary-General called for an immediate ceasefire in Yemen.",
    "The military spokesman denied that any attack had taken place on the air base.",
    "The group's leader threatened new attacks unless foreign troops withdraw.",
    "Kuwait celebrates the sixtieth anniversary of its independence today.",
    "Aramco announced record profits in the third quarter of the year.",
    "The French ambassador left Damascus after being recalled for consultations.",
    "A humanitarian aid convoy came under fire near the city of Aleppo.",
    "How much protein should a female eat per day?",
    "Summit defines the highest point of a mountain.",
    "The quick brown fox jumps over the lazy dog.",
    "Machine translation has improved a great deal in recent years.",
)
SENTENCES = ARABIC_SENTENCES + ENGLISH_SENTENCES


@dataclass(frozen=True)
class CheckResult:
    """How close the folder's embeddings came to the reference engine's."""

    sentences: int
    min_cosine: float
    mean_cosine: float

    @property
    def passed(self) -> bool:
        """At least MIN_COSINE on every sentence."""
        return self.min_cosine >= MIN_COSINE


def folder_embeddings(directory: Path, sentences: Sequence[str]) -> np.ndarray:
    """e5 sentence embeddings computed by transformers from the folder, loaded as any encoder is (offline)."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(directory)
    # No pooler is stored (e5 pools by mean): without one asked for, nothing is reported missing.
    model = AutoModel.from_pretrained(directory, use_safetensors=True, add_pooling_layer=False).eval()
    batch = tokenizer([PREFIX + sentence for sentence in sentences], padding=True, return_tensors="pt")
    with torch.no_grad():
        hidden = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * mask).sum(1) / mask.sum(1)
    return torch.nn.functional.normalize(pooled, dim=-1).numpy()


def compare(directory: Path, sentences: Sequence[str], reference: Callable[[list[str]], np.ndarray]) -> CheckResult:
    """Cosine of each sentence's embedding from the folder with the reference engine's (already L2-normalized)."""
    ours = folder_embeddings(directory, sentences)
    theirs = np.asarray(reference(list(sentences)), dtype=np.float32)
    theirs /= np.linalg.norm(theirs, axis=1, keepdims=True)
    cosines = (ours * theirs).sum(axis=1)
    return CheckResult(len(sentences), float(cosines.min()), float(cosines.mean()))


def check_sentences(arabic_only: bool) -> tuple[str, ...]:
    """The sentences a folder is checked on: all of them, or the Arabic ones for an Arabic vocabulary (English words
    lose their pieces there, so their embeddings are not meant to match)."""
    return tuple(s for s in SENTENCES if has_arabic(s)) if arabic_only else SENTENCES
