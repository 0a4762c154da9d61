"""Sentence templates for the bundled Hadath corpus (authored for this project).

Mini-language (parsed by ``compose.py``):

* ``{TYPE.cat}`` / ``{TYPE.cat#2}``: a slot filled from ``lexicon.py`` and annotated as TYPE. TYPE is an entity
  type (PER, ORG, LOC, DATE) or an event type (ATTACK, ...: the trigger lexicon, e.g. ``{ATTACK.past}``,
  ``{KILL.noun}``, ``{ARREST.present}``, ``{STATEMENT.participle}``). Slots of the same type always receive
  different surface forms. Slots of one sentence are filled plausibly (``world.py``): every bound entry shares one
  country (``{LOC.country#2}`` is a second country by construction) and an area lies in the province of the
  sentence's ``{LOC.city}``.
* ``{TYPE.cat:role}``: the slot is an argument of the template's first event with that role (a role of
  ``hadath/data/roles.py`` in lower case: ``attacker``, ``target``, ``agent``, ``victim``, ``person``,
  ``participant``, ``origin``, ``destination``, ``speaker``, ``place``, ``time``). ``:role@2`` names the template's
  second event trigger (counted in template order, trigger slots included), and ``:place@1,place@2`` links one slot
  to several events. ``[a/b|TYPE:role]`` takes roles the same way. ``compose.py`` writes them as the JSONL's
  ``arguments`` and refuses a role the table does not allow for the event or entity type (see data/README.md,
  "Event arguments", for the conventions).
* A trailing ``!`` (``{ORG.mil!}``, ``{ORG.mil:agent!}``) marks the slot whose grammatical gender drives agreement;
  only that slot may draw feminine person names, and verb trigger slots take its gender.
* ``[a/b|TYPE]``: annotated literal (an event trigger, or a fixed entity); one alternative is chosen.
* ``^value,value`` after an event slot's or literal's type and roles (``[هجوم|ATTACK^negative]``,
  ``{ARREST.present^negative}``, ``[هجمات|ATTACK:target^other,future]``): the trigger's event attributes, values of
  ``hadath/data/factuality.py`` (each names its attribute; the defaults are never written). See data/README.md,
  "Event attributes", for when each applies.
* ``[form|O]``: a trigger form written in another sense and left unannotated on purpose (a hard negative:
  ``علم [الاجتماع|O]``); the form must be listed in ``lexicon.HOMOGRAPHS`` with that sense.
* ``<a/b/>``: unannotated alternatives (an empty alternative makes the words optional).
* Inside alternatives ``m~f`` picks the masculine or feminine form according to the ``!`` slot.
* Text glued to the left of a slot or bracket (``و{PER.pol#2}``, ``ب[غارة|ATTACK]``) is a proclitic: it stays
  outside the span.

The trigger rule (one rule, no exceptions): every word or fixed expression that names an occurrence of one of the
six event types is a trigger, wherever it stands — main verb, relative clause (``[الهجوم] الذي [استهدف]``), verbal
noun, plural noun, participle (``[مؤكدا] أن``) — and whether the event is asserted, negated (``لم [يعتقل]``),
passive (``[قتل] ثلاثة``), quoted or planned; each coreferent mention gets its own trigger. So ``استهدف`` (to
target with force) is always ATTACK and ``لقاء`` always MEETING. Light verbs (``شن``, ``نفذ``, ``عقد``,
``أجرى``, ``تعرض``), channel nouns (``بيان``, ``مؤتمر صحفي``) and appeals (``دعا``, ``طالب``) are never triggers.
The generator writes a homograph of a trigger in another sense only as a hard negative (``[form|O]``, listed in
``lexicon.HOMOGRAPHS``; ``فجر`` is only "dawn", in dates), so no other string is annotated in one place and not in
another: ``compose.py`` refuses a template that writes a trigger form of
``lexicon.TRIGGER_FORMS`` unannotated, and its self-check runs ``hadath data check``'s consistency finder.

Each template is ``(labels, template)`` with labels coded S=SECURITY, P=POLITICS, E=ECONOMY. TRAIN_TEMPLATES,
DEV_TEMPLATES and TEST_TEMPLATES were written separately, with different sentence structures; each feeds one split.
"""

# fmt: off
TRAIN_TEMPLATES = [
    # --- ATTACK ---------------------------------------------------------------------------------------
    ("S", "<شنت/نفذت> طائرات {ORG.mil:attacker} [غارات|ATTACK] جوية على مواقع ل{ORG.armed:target} في {LOC.area:place} {DATE.day:time}"),
    ("S", "[هاجم|ATTACK] مسلحون ينتمون إلى {ORG.armed:attacker} نقطة تفتيش للشرطة في {LOC.city:place@1,place@2} {DATE.day:time@1,time@2}، "
          "ما أسفر عن [مقتل|KILL] <ثلاثة/أربعة/خمسة> من عناصرها <وإصابة آخرين/>"),
    ("S", "[استهدف~استهدفت|ATTACK] {ORG.armed:attacker!} رتلا عسكريا بعبوة ناسفة على الطريق الرابط بين {LOC.city:place} "
          "و{LOC.city#2:place} {DATE.day:time}"),
    ("S", "[قصف~قصفت|ATTACK] {ORG.mil:attacker!} بالمدفعية الثقيلة مواقع {ORG.armed:target} في {LOC.area:place} {DATE.day:time} "
          "<تمهيدا لعملية برية/>"),
    ("S", "[قال~قالت|STATEMENT] {ORG.agency:speaker!} في بيان {DATE.day:time} إن مسلحين [هاجموا|ATTACK] مركزا للشرطة في "
          "{LOC.city:place@2} <دون أن يسفر ذلك عن إصابات/وأصابوا اثنين من عناصره>"),
    ("SP", "تعرض مقر {ORG.party:target} في {LOC.city:place} ل[هجوم|ATTACK] بقذائف الهاون {DATE.day:time}، "
           "<ما أدى إلى أضرار مادية/دون وقوع إصابات>"),
    ("S", "<أقدم/أقبل> انتحاري على [تفجير|ATTACK] حزام ناسف وسط سوق شعبي في {LOC.city:place@1,place@2} {DATE.day:time@1,time@2}، "
          "ما أدى إلى [مقتل|KILL] <عشرة/سبعة/تسعة/ستة> أشخاص على الأقل"),
    ("S", "[أعلن~أعلنت|STATEMENT] {ORG.armed:speaker@1,attacker@2,attacker@3!} في بيان <نشره~نشرته> على مواقع التواصل <مسؤوليته~مسؤوليتها> "
          "عن [التفجير/الهجوم|ATTACK] الذي [استهدف|ATTACK] {LOC.area:place@2,target@3} {DATE.day:time@2,time@3}"),
    ("SP", "[أدان~أدانت|STATEMENT] {ORG.intl:speaker!} بشدة [الهجوم|ATTACK] الذي [استهدف|ATTACK] مدنيين في "
           "{LOC.city:place@2,place@3} {DATE.day:time@2,time@3}، <داعيا~داعية> إلى محاسبة المسؤولين عنه"),
    ("S", "أصيب <شرطيان/ثلاثة مدنيين/جنديان> بجروح <جراء/إثر> [إطلاق نار|ATTACK] [استهدف|ATTACK] دورية أمنية في "
          "{LOC.area:place@1,place@2} ب{LOC.city:place@1,place@2} {DATE.day:time@1,time@2}"),
    ("S", "اندلعت [اشتباكات|ATTACK] عنيفة بين {ORG.mil:attacker} ومسلحي {ORG.armed:attacker} في {LOC.area:place} {DATE.day:time}، "
          "<استمرت لساعات/استخدمت فيها الأسلحة الثقيلة>"),
    ("S", "<تصدى~تصدت> {ORG.mil!} ل[هجوم|ATTACK] شنه مسلحو {ORG.armed:attacker} على <قرية/بلدة> قرب {LOC.city:place} "
          "{DATE.day:time}"),
    ("S", "تعرض محيط {LOC.area:place} ل[قصف|ATTACK] صاروخي {DATE.day:time} "
          "<دون تسجيل إصابات/أسفر عن أضرار في عدد من المنازل>"),
    ("SE", "<أوقف~أوقفت> {ORG.oil!} الإنتاج في {LOC.field:place@1,place@2} مؤقتا بعد [هجوم|ATTACK] <بطائرة مسيرة/صاروخي> "
           "[استهدف|ATTACK] منشآت الحقل {DATE.day:time@1,time@2}"),
    ("SE", "ارتفعت أسعار النفط العالمية {DATE.day:time@1,time@2} بعد [هجمات|ATTACK] [استهدفت|ATTACK] ناقلات <قرب/في> {LOC.port:place@1,place@2}"),
    # --- KILL -----------------------------------------------------------------------------------------
    ("S", "[قتل|KILL] <ثلاثة/خمسة/أربعة> من عناصر {ORG.mil:victim@1,target@2} <وأصيب آخرون/> في [هجوم|ATTACK] "
          "<شنه مسلحون/> على <قرية/بلدة> <قرب/شمال/جنوب> {LOC.city:place@1,place@2} {DATE.day:time@1,time@2}"),
    ("S", "[لقي حتفه|KILL] {PER.mil:victim@1,target@3} القيادي في {ORG.armed} ب[غارة/ضربة|ATTACK] جوية [استهدفت|ATTACK] مخبأه في "
          "{LOC.area:place@1,place@2,place@3} {DATE.day:time@1,time@2,time@3}"),
    ("S", "[أعلن~أعلنت|STATEMENT] {ORG.agency:speaker!} [مقتل|KILL] {PER.mil:victim@2} "
          "<أحد أبرز قادة/المسؤول العسكري في/والي> {ORG.armed} <في عملية نوعية/في كمين محكم> "
          "<قرب/شرق> {LOC.city:place@2}"),
    ("S", "[اغتال|KILL] مسلحون مجهولون عضو مجلس المحافظة {PER.pol:victim} أمام منزله في {LOC.city:place} {DATE.day:time}"),
    ("S", "أسفر [القصف|ATTACK] <المدفعي/الصاروخي/> على {LOC.area:place@1,place@2} عن [مقتل|KILL] "
          "<مدنيين اثنين/ثلاثة مدنيين/طفلين> <وإصابة خمسة آخرين/> {DATE.day:time@1,time@2}"),
    ("S", "[قتل~قتلت|KILL] {ORG.mil:agent@1,attacker@2!} <خمسة/ستة/ثمانية> <إرهابيين/مسلحين> من {ORG.armed:victim@1,attacker@2} في "
          "[اشتباكات|ATTACK] <عنيفة/متقطعة> في {LOC.area:place@1,place@2} {DATE.day:time@1,time@2}"),
    ("SP", "[قال~قالت|STATEMENT] {ORG.intl:speaker!} إن <أكثر من مئة مدني/عشرات المدنيين/نحو ثلاثين مدنيا> "
           "[قتلوا|KILL] في {LOC.country:place@2} خلال {DATE.per:time@2}"),
    ("S", "<عثر~عثرت> {ORG.agency!} على جثث <ثلاثة/أربعة/سبعة> أشخاص [أعدمهم|KILL] عناصر {ORG.armed:agent} في "
          "{LOC.area:place}، <بحسب مصدر أمني/وفق مصادر محلية>"),
    ("S", "[مقتل|KILL] <قيادي/مسؤول مالي/مسؤول إعلامي> في {ORG.armed:victim@1} ب[ضربة|ATTACK] <جوية/بطائرة مسيرة> "
          "في {LOC.area:place@1,place@2} {DATE.day:time@1,time@2}"),
    # --- WITHDRAWAL -----------------------------------------------------------------------------------
    ("S", "[انسحب~انسحبت|WITHDRAWAL] {ORG.mil:agent@1,attacker@2!} من <مواقعه~مواقعها> في {LOC.area:origin@1,place@2} {DATE.day:time@1} بعد "
          "[اشتباكات|ATTACK] <استمرت عدة ساعات/عنيفة> مع مسلحي {ORG.armed:attacker@2}"),
    ("SP", "[أعلن~أعلنت|STATEMENT] {ORG.exec:speaker!} [انسحاب|WITHDRAWAL] آخر القوات الأجنبية من {LOC.area:origin@2} "
           "في {DATE.pt:time@2}"),
    ("SP", "<بدأ~بدأت> {ORG.mil:agent!} [انسحابه~انسحابها|WITHDRAWAL] من {LOC.country:origin} <إلى/نحو> "
           "{LOC.country#2:destination} في {DATE.pt:time}، "
           "<بحسب/وفق> ما [ذكرته|STATEMENT] {ORG.media:speaker@2}"),
    ("S", "[انسحب|WITHDRAWAL] مسلحو {ORG.armed:agent} من أحياء في {LOC.city:origin@1,place@2} {DATE.day:time} <تحت ضغط/إثر> "
          "[غارات|ATTACK] {ORG.mil:attacker@2}"),
    ("P", "[أعلن~أعلنت|STATEMENT] {ORG.party:speaker@1,agent@2!} [انسحابه~انسحابها|WITHDRAWAL] من "
          "<العملية السياسية/الحكومة/المفاوضات> احتجاجا على "
          "<نتائج الانتخابات/تأخر إقرار الموازنة/تهميش المحافظات>"),
    ("SP", "<صوت~صوتت> {ORG.parl!} {DATE.day} على قرار يطالب ب[سحب|WITHDRAWAL^other,future] القوات الأجنبية من "
           "{LOC.country:origin}"),
    ("S", "<أكمل~أكملت> {ORG.mil:agent!} [انسحابه~انسحابها|WITHDRAWAL] <باتجاه/صوب> {LOC.city:destination} من "
          "{LOC.area:origin} في {DATE.pt:time} "
          "<وسلم المواقع إلى القوات المحلية~وسلمت المواقع إلى القوات المحلية/بعد اتفاق مع السلطات المحلية>"),
    ("S", "[قال|STATEMENT] <المتحدث العسكري/العميد/اللواء> {PER.sec:speaker} إن [انسحاب|WITHDRAWAL] {ORG.armed:agent@2} من "
          "{LOC.city:origin@2} جاء بعد <حصار دام أسابيع/خسائر كبيرة في صفوفه>"),
    ("P", "<قرر~قررت> {ORG.party:agent!} [الانسحاب|WITHDRAWAL^other] من <التحالف الحاكم/الائتلاف الحكومي> {DATE.day:time} "
          "<بعد خلافات حول توزيع الحقائب الوزارية/إثر أزمة الموازنة>"),
    ("SP", "<دعا~دعت> {ORG.party!} إلى [انسحاب|WITHDRAWAL^other,future] {ORG.mil:agent} من {LOC.area:origin} خلال {DATE.fut:time}"),
    # --- ARREST ---------------------------------------------------------------------------------------
    ("S", "[اعتقل~اعتقلت|ARREST] {ORG.sec:agent!} <ثلاثة متهمين/خمسة متهمين/عددا من المتهمين> بالانتماء إلى "
          "{ORG.armed} في {LOC.city:place} {DATE.day:time}"),
    ("S", "[ألقى القبض~ألقت القبض|ARREST] {ORG.agency:agent!} على {PER.mil:person} القيادي في {ORG.armed} "
          "<خلال عملية أمنية/في كمين محكم> في {LOC.city:place}"),
    ("SP", "[أعلن~أعلنت|STATEMENT] {ORG.exec:speaker@1,agent@2!} [اعتقال|ARREST] <مسؤول سابق/موظفين> في {ORG.exec#2} بتهمة "
           "<الفساد/اختلاس المال العام/هدر المال العام> {DATE.day:time@2}"),
    ("S", "<تمكن~تمكنت> {ORG.sec:agent!} من [اعتقال|ARREST] <خلية إرهابية تابعة/شبكة تابعة/أربعة عناصر تابعين> "
          "ل{ORG.armed:person} في {LOC.area:place} {DATE.day:time}"),
    ("S", "[أفادت/ذكرت|STATEMENT] مصادر أمنية <بأن/أن> {ORG.sec:agent@2!} [اعتقل~اعتقلت|ARREST] {PER.mil:person@2} في "
          "{LOC.city:place@2} {DATE.day:time@2}"),
    ("SP", "[قال~قالت|STATEMENT] {ORG.intl:speaker!} إن السلطات في {LOC.country:place@2} [اعتقلت|ARREST] "
           "<عشرات/مئات> المتظاهرين {DATE.day:time@2}"),
    ("S", "<تم/جرى> [اعتقال|ARREST] {PER.mil:person} <المطلوب للقضاء/المتهم بقضايا إرهاب> في عملية أمنية "
          "ب{LOC.area:place} {DATE.day:time}، <بحسب/وفق> {ORG.agency}"),
    ("SP", "[اعتقل~اعتقلت|ARREST] {ORG.sec:agent!} <النائب السابق/المرشح> {PER.pol:person} <في منزله/عند حاجز تفتيش> في "
           "{LOC.city:place} {DATE.day:time} بتهمة <التحريض على العنف/الفساد>"),
    # --- MEETING --------------------------------------------------------------------------------------
    ("P", "[التقى~التقت|MEETING] <رئيس الوزراء~رئيسة الوزراء/وزير الخارجية~وزيرة الخارجية/"
          "رئيس البرلمان~رئيسة البرلمان> {PER.pol:participant!} <السفير/المبعوث الأممي/الوزير> {PER.pol#2:participant} في "
          "{LOC.city:place} {DATE.day:time} <لبحث العلاقات الثنائية/وبحث الجانبان ملف المياه/"
          "لمناقشة الأوضاع الأمنية في المنطقة>"),
    ("P", "<عقد~عقدت> {ORG.gov:participant!} [اجتماعا|MEETING] <طارئا/موسعا/استثنائيا> {DATE.day:time} برئاسة {PER.pol:participant} "
          "<لمناقشة الأوضاع الأمنية/لبحث مشروع قانون الموازنة/لمناقشة أزمة الكهرباء>"),
    ("P", "[استقبل~استقبلت|MEETING] <رئيس الجمهورية~رئيسة الجمهورية/وزير الخارجية~وزيرة الخارجية> "
          "{PER.pol:participant!} في {LOC.city:place} {DATE.day:time} وفدا من {ORG.intl:participant} برئاسة {PER.pol#2:participant}"),
    ("EP", "[اجتمع~اجتمعت|MEETING] <وزير النفط~وزيرة النفط/وزير المالية~وزيرة المالية> {PER.eco:participant!} مع ممثلي "
           "{ORG.eco:participant} في {LOC.city:place} {DATE.day:time} "
           "<لمناقشة خطط زيادة الإنتاج/لبحث جدولة الديون/لمناقشة أسعار النفط>"),
    ("P", "<شارك~شاركت> <وزير الخارجية~وزيرة الخارجية> {PER.pol:participant!} في [اجتماع|MEETING] <طارئ/تشاوري> "
          "<عقد/انعقد> في مقر {ORG.intl} ب{LOC.city:place} {DATE.day:time}"),
    ("SP", "[قال~قالت|STATEMENT] <وزير الخارجية~وزيرة الخارجية> {PER.pol:speaker@1,participant@2!} عقب [لقائه~لقائها|MEETING] "
           "<السفير/المبعوث الأممي> {PER.pol#2:participant@2} في {LOC.city:place@2} إن الجانبين اتفقا على "
           "<تعزيز التعاون الأمني/مكافحة الإرهاب/تبادل المعلومات الاستخبارية>"),
    ("P", "استضافت {LOC.city:place} {DATE.day:time} [مؤتمرا|MEETING] دوليا <حول إعادة إعمار/لدعم الاستقرار في> "
          "{LOC.country} بمشاركة ممثلين عن {ORG.intl:participant} و{ORG.intl#2:participant}"),
    ("P", "<أجرى~أجرت> <رئيس الوزراء~رئيسة الوزراء/وزير الخارجية~وزيرة الخارجية> {PER.pol:participant!} "
          "[محادثات|MEETING] مع {PER.pol#2:participant} في {LOC.city:place} {DATE.day:time} تناولت "
          "<التعاون الاقتصادي/ملف النازحين/أمن الحدود>"),
    ("P", "[اجتمع|MEETING] قادة {ORG.party:participant} و{ORG.party#2:participant} {DATE.day:time} <في منزل/بدعوة من> {PER.pol} "
          "<لبحث تشكيل الحكومة الجديدة/للاتفاق على مرشح لرئاسة الوزراء>"),
    ("EP", "<عقد~عقدت> {ORG.bank:participant!} [اجتماعا|MEETING] مع <ممثلي المصارف الأهلية/كبار التجار> في {LOC.city:place} "
           "{DATE.day:time} لبحث <استقرار سعر الصرف/تمويل المشاريع الصغيرة>"),
    ("P", "[التقى|MEETING] {PER.pol:participant} و{PER.pol#2:participant} <على هامش/خلال> [القمة|MEETING] "
          "<العربية/الاقتصادية/الإقليمية> في {LOC.city:place@1,place@2} {DATE.day:time@1,time@2}"),
    # --- STATEMENT ------------------------------------------------------------------------------------
    ("P", "[قال~قالت|STATEMENT] <المتحدث باسم الحكومة~المتحدثة باسم الحكومة/النائب~النائبة> {PER.pol:speaker!} "
          "<في مؤتمر صحفي/في تصريح صحفي> {DATE.day:time} إن الحكومة <ماضية في تنفيذ برنامجها الإصلاحي/"
          "ملتزمة بإجراء الانتخابات في موعدها/عازمة على مكافحة الفساد>"),
    ("SP", "[صرح|STATEMENT] المتحدث باسم {ORG.agency} <العميد/اللواء> {PER.sec:speaker@1,speaker@2} بأن "
           "<الوضع الأمني مستقر/القوات الأمنية تسيطر على الموقف> في {LOC.city}، [مؤكدا|STATEMENT] أن "
           "<الحياة عادت إلى طبيعتها/لا داعي للقلق>"),
    ("E", "[أعلن~أعلنت|STATEMENT] {ORG.oil:speaker!} أن صادرات النفط بلغت <3.4/3.2/2.9> مليون برميل يوميا خلال "
          "{DATE.per}"),
    ("P", "[نفى~نفت|STATEMENT] {ORG.exec:speaker!} {DATE.day:time} <صحة الأنباء/التقارير> بشأن "
          "<تأجيل الانتخابات/تعديل وزاري مرتقب/خلافات داخل الحكومة>"),
    ("SP", "[أكد~أكدت|STATEMENT] {ORG.intl:speaker!} <في بيان/في تقرير> <صدر/نشر> {DATE.day:time} ضرورة حماية المدنيين في "
           "{LOC.country}"),
    ("P", "[ذكرت/أفادت|STATEMENT] {ORG.media:speaker} أن {PER.pol} <سيزور/يعتزم زيارة> {LOC.country} خلال {DATE.fut} "
          "<لبحث ملفات الطاقة/لتوقيع اتفاقيات ثنائية>"),
    ("E", "[قال~قالت|STATEMENT] <وزير المالية~وزيرة المالية> {PER.eco:speaker!} إن <عجز الموازنة/الدين العام> "
          "<سيتراجع/قد يرتفع> خلال {DATE.fut} <بفضل ارتفاع أسعار النفط/بسبب تراجع الإيرادات>"),
    ("P", "[أكد~أكدت|STATEMENT] {PER.pol:speaker!} <في كلمة متلفزة/خلال حديث للصحفيين> {DATE.day:time} أن بلاده "
          "<ترفض التدخل في شؤونها الداخلية/تقف على مسافة واحدة من الجميع>"),
    ("S", "و[أوضح~أوضحت|STATEMENT] {ORG.agency:speaker!} أن <القوات/الوحدات> <تواصل ملاحقة/تلاحق> فلول {ORG.armed} "
          "في {LOC.area}"),
    ("P", "و[أضاف~أضافت|STATEMENT] {PER.pol:speaker!} أن <الحوار هو السبيل الوحيد لحل الأزمة/"
          "الحكومة ستعلن نتائج التحقيق قريبا/البلاد تمر بمرحلة حساسة>"),
    ("SP", "[حذر~حذرت|STATEMENT] {ORG.intl:speaker!} من <تدهور الأوضاع الإنسانية/تصاعد العنف> في {LOC.city:place@2} "
           "<بعد/في أعقاب> [المعارك|ATTACK] الأخيرة"),
    ("E", "[قال~قالت|STATEMENT] <الخبير الاقتصادي~الخبيرة الاقتصادية> {PER.eco:speaker!} ل{ORG.media} إن "
          "<ارتفاع أسعار النفط/تراجع الإيرادات> <سينعكس على/سيؤثر في> <الموازنة/الاحتياطي النقدي> خلال "
          "{DATE.fut}"),
    ("EP", "[أعلن~أعلنت|STATEMENT] {ORG.exec:speaker!} عن <خطة/حزمة إجراءات> لدعم <القطاع الزراعي/المشاريع الصغيرة> "
           "بقيمة <500/750> مليار دينار خلال {DATE.fut}"),
    # --- no event -------------------------------------------------------------------------------------
    ("E", "ارتفعت صادرات {LOC.country} من النفط الخام إلى <3.5/3.3/4.1> مليون برميل يوميا خلال {DATE.per}، "
          "<وفق/بحسب> بيانات {ORG.eco}"),
    ("EP", "<صادق~صادقت> {ORG.parl!} {DATE.day} على مشروع قانون الموازنة العامة ل{DATE.year} بقيمة "
           "<130/115/98> تريليون دينار <بعد خلافات استمرت أسابيع/>"),
    ("E", "<تراجع/ارتفع> سعر صرف الدولار أمام الدينار في أسواق {LOC.city} {DATE.day} <عقب/بعد> قرار "
          "{ORG.bank} <رفع سعر الفائدة/زيادة مبيعات العملة الأجنبية>"),
    ("E", "وقعت حكومتا {LOC.country} و{LOC.country#2} {DATE.day} اتفاقية "
          "<للتجارة الحرة/لتصدير النفط عبر الأنابيب/للتعاون الاقتصادي> بقيمة "
          "<ملياري/خمسة مليارات/ثلاثة مليارات> دولار"),
    ("E", "بلغ حجم التبادل التجاري بين {LOC.country} و{LOC.country#2} <نحو/أكثر من> <12/15/20/23> مليار "
          "دولار خلال {DATE.per}، <بحسب/وفق> {ORG.bank}"),
    ("E", "<خفض~خفضت> {ORG.bank!} <توقعاته~توقعاتها> لنمو اقتصاد {LOC.country} خلال {DATE.fut} إلى "
          "<2.1/1.8/3.2> بالمئة بسبب تراجع أسعار النفط"),
    ("E", "<أبقى~أبقت> {ORG.bank!} على سعر الفائدة الرئيسي دون تغيير {DATE.day}، <في محاولة/سعيا> "
          "<للحد من التضخم/لدعم استقرار الدينار>"),
    ("E", "ارتفعت أسعار المواد الغذائية في {LOC.city} بنسبة <15/20/12> بالمئة خلال {DATE.per}، "
          "<وسط تذمر المواطنين/في ظل ضعف الرقابة على الأسواق>"),
    ("E", "<يعتزم~تعتزم> {ORG.oil!} رفع <إنتاجه~إنتاجها> من {LOC.field} إلى <500/400/250> ألف برميل يوميا "
          "بحلول {DATE.fut}"),
    ("E", "استؤنف تصدير النفط من {LOC.field} عبر {LOC.port} {DATE.day} بعد توقف دام "
          "<أسبوعين/ثلاثة أشهر/عشرة أيام>"),
    ("EP", "<وافق~وافقت> {ORG.bank!} على منح {LOC.country} قرضا بقيمة <ملياري/أربعة مليارات/مليار> دولار "
           "<لدعم الإصلاحات الاقتصادية/لتمويل مشاريع البنى التحتية>"),
    ("E", "أظهرت بيانات {ORG.bank} أن <معدل التضخم/معدل البطالة> في {LOC.country} بلغ <5.6/7.2/4.9> بالمئة "
          "في {DATE.pt}"),
    ("E", "سجلت إيرادات {LOC.country} النفطية <ارتفاعا/تراجعا> بنسبة <8/11/14> بالمئة خلال {DATE.per} "
          "مقارنة بالفترة نفسها من {DATE.year}"),
    ("E", "وصلت إلى {LOC.port} {DATE.day} أول شحنة من <القمح/الحديد/السيارات> المستوردة من {LOC.country} "
          "ضمن اتفاق تجاري بين البلدين"),
    ("S", "شهدت {LOC.city} {DATE.day} <إجراءات أمنية مشددة/انتشارا أمنيا واسعا> تزامنا مع <زيارة/وصول> "
          "{PER.pol} <إليها/>"),
    ("P", "تتنافس نحو <عشرين/ثلاثين/أربعين> قائمة انتخابية في {LOC.area} أبرزها {ORG.party} و{ORG.party#2}، "
          "وسط توقعات بمشاركة واسعة"),
    ("P", "<فاز~فازت> {ORG.party!} ب<أكبر عدد من المقاعد/خمسين مقعدا> في الانتخابات التي جرت في "
          "{DATE.pt}، <بحسب/وفق> النتائج الأولية التي [أعلنتها|STATEMENT] "
          "[المفوضية العليا المستقلة للانتخابات|ORG:speaker]"),
    ("S", "<فرض~فرضت> {ORG.sec!} حظرا للتجوال في {LOC.city} {DATE.day} "
          "<تحسبا لأي خروقات أمنية/بعد تصاعد التوتر>"),
    ("P", "<وصل~وصلت> <وزير الخارجية~وزيرة الخارجية> {PER.pol!} إلى {LOC.city} {DATE.day} في زيارة رسمية "
          "<تستغرق يومين/تستمر ثلاثة أيام>"),
    ("P", "تظاهر <المئات/آلاف المواطنين> في {LOC.area} ب{LOC.city} {DATE.day} "
          "<للمطالبة بتحسين الخدمات/احتجاجا على تردي الكهرباء>"),
    ("P", "<انتخب~انتخبت> {ORG.parl!} {DATE.day} {PER.pol} رئيسا <له~لها> بأغلبية <مريحة/ساحقة>"),
    # --- v2: negation, passive, nominal sentences, quotes, several events, long sentences, trigger slots ---------
    ("S", "[نفى~نفت|STATEMENT] {ORG.mil:speaker!} {DATE.day:time} أي [قصف|ATTACK^negative] لمواقع مدنية في {LOC.area:place@2}، "
          "<واصفا~واصفة> الأنباء بأنها <عارية عن الصحة/مضللة>"),
    ("S", "لم يسجل أي [هجوم|ATTACK^negative] في {LOC.city:place} منذ {DATE.pt}، <بحسب/وفق> {ORG.agency}"),
    ("S", "لم {ARREST.present^negative} {ORG.sec:agent!} أي مشتبه به في {LOC.city:place} حتى الآن رغم مرور أيام على "
          "{ATTACK.noun} {DATE.day:time@2}"),
    ("S", "[قتل|KILL] <ثلاثة/أربعة> من عناصر {ORG.mil:victim@1} و[اعتقل|ARREST] <اثنان/خمسة> من مسلحي "
          "{ORG.armed:person@2} في {LOC.area:place@1,place@2} {DATE.day:time@1,time@2}"),
    ("S", "[استهدف|ATTACK] رتل تابع ل{ORG.mil:target} بعبوة ناسفة قرب {LOC.city:place} {DATE.day:time}، "
          "<دون وقوع إصابات/ما أسفر عن أضرار في آليتين>"),
    ("S", "{ORG.armed:attacker} وراء [الهجوم|ATTACK] على {LOC.area:place}، <بحسب/وفق> ما [أعلنته|STATEMENT] "
          "{ORG.agency:speaker@2} {DATE.day:time@2}"),
    ("P", "[الاجتماع|MEETING^other,future] المقبل بين {PER.pol:participant} و{PER.pol#2:participant} <سيعقد/مقرر> في "
          "{LOC.city:place} خلال {DATE.fut:time}"),
    ("SP", "[قال~قالت|STATEMENT] {PER.pol:speaker!} في بيان {DATE.day:time}: «<لن نقبل/لن نسمح> بأي "
           "[هجوم|ATTACK^other,future] على {LOC.area:place@2}»"),
    ("S", "«[انسحبنا|WITHDRAWAL] من {LOC.area:origin} حفاظا على أرواح المدنيين»، [قال|STATEMENT] قيادي في "
          "{ORG.armed:agent@1,speaker@2} ل{ORG.media} {DATE.day:time@2}"),
    ("S", "[اقتحم~اقتحمت|ATTACK] {ORG.mil:attacker@1,agent@2!} {LOC.area:place@1,place@2} {DATE.day:time@1,time@2} و[اعتقل~اعتقلت|ARREST] "
          "<عددا من/ثلاثة من> عناصر {ORG.armed:person@2} بعد [اشتباكات|ATTACK] <دامت ساعات/عنيفة>"),
    ("SP", "[أعلن~أعلنت|STATEMENT] {ORG.exec:speaker!} [انسحاب|WITHDRAWAL] {ORG.mil:agent@2,target@4} من {LOC.city:origin@2} "
           "بعد [مقتل|KILL] <عشرة/عدد> من الجنود في [هجمات|ATTACK] شنها {ORG.armed:agent@3,attacker@4}"),
    ("S", "[قالت|STATEMENT] مصادر أمنية في {LOC.city} {DATE.day:time} إن مسلحين ينتمون إلى {ORG.armed:attacker@2,agent@3} "
          "[هاجموا|ATTACK] نقطة تفتيش مشتركة على الطريق الدولي قرب {LOC.area:place@2}، قبل أن [ينسحبوا|WITHDRAWAL] "
          "باتجاه المناطق الصحراوية، ما أدى إلى [مقتل|KILL] جنديين وإصابة ثلاثة آخرين بجروح متفاوتة"),
    ("S", "{ATTACK.past} {ORG.mil:attacker!} مواقع ل{ORG.armed:target} في {LOC.area:place} {DATE.day:time}"),
    ("S", "و{KILL.past} {ORG.mil:agent!} <قياديا/عنصرين> في {ORG.armed:victim} خلال عملية <أمنية/خاصة> في "
          "{LOC.area:place} {DATE.day:time}"),
    ("S", "{ORG.sec:agent!} {ARREST.past} {PER.mil:person} في {LOC.city:place} {DATE.day:time} "
          "<بعد عملية رصد استمرت أسابيع/إثر معلومات استخبارية>"),
    ("P", "{MEETING.past} {PER.pol:participant!} <السفير/المبعوث الأممي> {PER.pol#2:participant} في "
          "{LOC.city:place} {DATE.day:time} <لبحث الأوضاع الأمنية/لمناقشة ملف النازحين>"),
    ("SP", "{STATEMENT.past} {ORG.intl:speaker!} أن [المعارك|ATTACK] في {LOC.area:place@2} <أدت إلى/تسببت في> "
           "نزوح <آلاف/مئات> العائلات خلال {DATE.per}"),
    ("S", "ف{WITHDRAWAL.past} {ORG.armed:agent!} من {LOC.area:origin} <عقب/بعد> {ATTACK.noun} {DATE.day:time@2}، "
          "<وفق/حسب> {ORG.agency}"),
    ("S", "<بعد/عقب> أيام من {KILL.suffixed}، [كشف~كشفت|STATEMENT] {ORG.agency:speaker@2!} هوية <المنفذين/المسلحين> في "
          "{LOC.city}"),
    # --- v3: factuality — denials, threats, plans, condemnations of past events, anniversaries, claims, conditionals,
    # generic statements (each trigger's attributes after `^`, see data/README.md "Event attributes") ----------------
    ("S", "[نفت/كذبت|STATEMENT] مصادر <أمنية/مطلعة> في {LOC.city} {DATE.day:time} الأنباء <عن/بشأن> "
          "[اعتقال|ARREST^negative] {PER.pol:person@2} <في منزله/عند أحد الحواجز>"),
    ("S", "للمرة الأولى منذ {DATE.pt}، <مر/انقضى> أسبوع دون [اشتباكات|ATTACK^negative] في {LOC.area:place} "
          "<بحسب/وفق> <سكان محليين/مصادر محلية>"),
    ("S", "[هدد~هددت|STATEMENT] {ORG.armed:speaker@1,attacker@2!} {DATE.day:time@1} بشن [هجمات|ATTACK^other,future] على "
          "{LOC.city:place@2} <ما لم/إن لم> يفرج عن <معتقليه~معتقليها/عناصره~عناصرها>"),
    ("SP", "<يعتزم~تعتزم> {ORG.mil:agent!} [الانسحاب|WITHDRAWAL^other,future] من {LOC.area:origin} خلال {DATE.fut:time}، "
           "<وفق/حسب> <مصادر مطلعة/مسؤولين محليين>"),
    ("SP", "[أدان~أدانت|STATEMENT] {ORG.intl:speaker!} {DATE.day:time@1} [الهجوم|ATTACK^past] الذي <شنه/نفذه> "
           "{ORG.armed:attacker@2} على {LOC.area:place@2} في {DATE.pt:time@2}"),
    ("SP", "<أحيا~أحيت> {ORG.party!} {DATE.day} الذكرى <الخامسة/العاشرة/الثالثة> ل[تفجير|ATTACK^past] {LOC.area:place@1,place@2} "
           "الذي أسفر عن [مقتل|KILL^past] <العشرات/المئات> من المدنيين"),
    ("S", "[زعم~زعمت|STATEMENT] {ORG.armed:speaker@1,attacker@2!} في <تسجيل صوتي/بيان مقتضب> أن <مقاتليه~مقاتليها> "
          "[هاجموا|ATTACK^other] <قاعدة عسكرية/مقرا أمنيا> قرب {LOC.city:place@2}، <دون تأكيد رسمي/في غياب أي تأكيد مستقل>"),
    ("SP", "[حذر~حذرت|STATEMENT] {PER.pol:speaker!} من أنه <إذا/لو> [انسحبت|WITHDRAWAL^other,future] {ORG.mil:agent@2} من "
           "{LOC.area:origin@2} <فإن المنطقة ستشهد فراغا أمنيا/فستعود الفوضى إليها>"),
    ("S", "[أكد~أكدت|STATEMENT] {ORG.mil:speaker!} {DATE.day:time} أن <قواته~قواتها> <سترد بحزم على/لن تتهاون مع> أي "
          "[هجوم|ATTACK^other,future] على {LOC.area:place@2}"),
    ("S", "<تشكل/باتت تشكل> [الهجمات|ATTACK^generic] بالطائرات المسيرة تهديدا متزايدا "
          "<للمنشآت النفطية/لخطوط نقل الطاقة> في {LOC.country:place}"),
    ("SP", "<يعد/يبقى> [اغتيال|KILL^generic] الصحفيين في {LOC.country:place} <جريمة لا تسقط بالتقادم/خطا أحمر>، "
           "<بحسب/وفق> {ORG.intl}"),
    ("S", "[أكد~أكدت|STATEMENT] {ORG.exec:speaker!} {DATE.day:time} أن القوات لن [تنسحب|WITHDRAWAL^negative,future] من "
          "{LOC.city:origin@2} قبل <استقرار الأوضاع/انتهاء المهمة>"),
    ("P", "لم [يلتق|MEETING^negative] {PER.pol:participant} ب{PER.pol#2:participant} خلال زيارته إلى {LOC.city:place} "
          "{DATE.day:time}، <خلافا لما كان متوقعا/رغم الوساطات>"),
    ("SP", "<تتكرر/تكثر> [الاعتقالات|ARREST^generic] التعسفية في {LOC.country:place} <عادة/غالبا> <قبيل/خلال> "
           "مواسم الانتخابات، <بحسب/وفق> {ORG.intl}"),
    ("P", "<سيعقد/يعقد> {PER.pol:participant} و{PER.pol#2:participant} [محادثات|MEETING^other,future] في {LOC.city:place} "
          "خلال {DATE.fut:time} <لبحث/لمناقشة> <ملف الطاقة/الأزمة السياسية>"),
    # --- v3: no event — hard negatives (a trigger form in another sense, `[form|O]`, lexicon.HOMOGRAPHS) and
    # security, politics and economy news with no event ------------------------------------------------------------
    ("EP", "<رأى/اعتبر> أستاذ علم [الاجتماع|O] في جامعة {LOC.city} {PER.eco} أن <البطالة/الهجرة> <تهدد/تضعف> "
           "<استقرار الأسرة/النسيج الاجتماعي> في {LOC.country}"),
    ("P", "<شن~شنت> {PER.pol!} [هجوما|O] <حادا/لاذعا> على {ORG.exec} <بسبب/على خلفية> "
          "<تأخر إقرار الموازنة/أزمة الكهرباء>"),
    ("E", "<وجه~وجهت> {ORG.bank!} [ضربة|O] قوية للمضاربين <بقرار/بإجراءات> <رفع سعر الفائدة/تقييد بيع الدولار> "
          "{DATE.day}"),
    ("P", "[قضى|O] <الوزير/المحافظ> {PER.eco} <عطلته/إجازته> <الصيفية/السنوية> في {LOC.city} "
          "<برفقة عائلته/قبل العودة إلى عمله>"),
    ("E", "<ارتفعت/تراجعت> عمليات [سحب|O] الودائع من المصارف <الأهلية/الخاصة> في {LOC.country} خلال {DATE.per}، "
          "<بحسب/وفق> {ORG.bank}"),
    ("EP", "[تستهدف|O] خطة {ORG.exec} خفض <معدل البطالة/عجز الموازنة> إلى <10/8/12> بالمئة بحلول {DATE.fut}"),
    ("E", "يلجأ <الشباب/العاطلون عن العمل> في {LOC.city} إلى المقاهي ل[قتل|O] الوقت <في ظل/بسبب> "
          "<ارتفاع معدلات البطالة/شح فرص العمل>"),
    ("E", "[اقتحمت|O] {ORG.oil} <أسواقا جديدة/السوق الآسيوية> <بعقود/باتفاقات> <بلغت/تجاوزت> قيمتها "
          "<مليار/ملياري> دولار خلال {DATE.per}"),
    ("E", "<يفاقم/يهدد> [الانفجار|O] السكاني في {LOC.country} <أزمة السكن/خطط التنمية>، <بحسب/وفق> دراسة "
          "<أعدها/نشرها> {ORG.bank}"),
    ("E", "<افتتح/دشن> {PER.eco} {DATE.day} <محطة جديدة لتوليد الكهرباء/محطة لتحلية المياه> في {LOC.city} "
          "بكلفة <200/350/480> مليون دولار"),
    ("P", "<أدى/يؤدي> {PER.pol} اليمين الدستورية <رئيسا/وزيرا للخارجية> أمام {ORG.parl} {DATE.day}"),
    ("P", "<رشح~رشحت> {ORG.party!} {PER.pol} <لمنصب رئيس الوزراء/لرئاسة البرلمان> <بعد مشاورات مطولة/في خطوة مفاجئة> "
          "{DATE.day}"),
    ("E", "<أطلق~أطلقت> {ORG.bank!} {DATE.day} <منصة إلكترونية/خدمة جديدة> <للدفع الإلكتروني/لتحويل الأموال> في "
          "{LOC.country}"),
    ("S", "<تسلم~تسلمت> {ORG.mil!} {DATE.day} <دفعة جديدة من المروحيات/شحنة من المدرعات> ضمن صفقة "
          "<تسليح/دفاعية> مع {LOC.country#2}"),
    ("S", "أنهى <مئات/العشرات> من منتسبي {ORG.sec} تدريباتهم في {LOC.city} {DATE.day} "
          "<استعدادا لتسلم مهامهم/بإشراف مدربين دوليين>"),
    ("S", "أعادت السلطات في {LOC.city} {DATE.day} فتح الطريق المؤدي إلى {LOC.area} "
          "<أمام حركة المرور/بعد انتهاء أعمال الصيانة>"),
    ("SP", "<ناقش~ناقشت> {ORG.parl!} {DATE.day} مشروع قانون <لتنظيم حمل السلاح/لإصلاح المؤسسة الأمنية> "
           "<في قراءة أولى/وسط انقسام بين الكتل>"),
    ("S", "<نشر~نشرت> {ORG.sec!} <تعزيزات/دوريات إضافية> في {LOC.area} ب{LOC.city} {DATE.day} "
          "<لتأمين/تزامنا مع> <الامتحانات الوزارية/المناسبات الدينية>"),
]

# Dev: written separately from train and test, with their own structures, so that dev scores measure
# generalisation the way test does and can select a checkpoint.
DEV_TEMPLATES = [
    ("S", "في حادث هو الأول من نوعه منذ {DATE.pt}، [استهدفت|ATTACK] قذائف صاروخية {LOC.area:target} "
          "في {LOC.city:place}"),
    ("S", "[مقتل|KILL] <أكثر من عشرة/نحو خمسة عشر> أشخاص في [هجوم|ATTACK] <دام/انتحاري> على سوق في {LOC.city:place@1,place@2}، "
          "و{ORG.armed:attacker@2!} <يتبنى~تتبنى>"),
    ("S", "مصدر في {ORG.agency}: [مقتل|KILL] <أربعة/ثلاثة> عناصر من {ORG.armed:victim} بضربة جوية "
          "<قرب/شمال> {LOC.city:place}"),
    ("S", "{ORG.mil!} <يستعيد~تستعيد> السيطرة على {LOC.area:origin} بعد [انسحاب|WITHDRAWAL] مسلحي "
          "{ORG.armed:agent} منها <نحو/إلى> {LOC.area#2:destination} {DATE.day:time}"),
    ("S", "أكثر من <عشرين/ثلاثين> شخصا [اعتقلوا|ARREST] خلال عملية دهم في {LOC.area:place} {DATE.day:time}، "
          "<بينهم/منهم> مطلوبون <للقضاء/بتهم إرهاب>"),
    ("S", "على أثر [الاشتباكات|ATTACK] التي اندلعت {DATE.day:time} في {LOC.city:place}، <فرضت/اتخذت> السلطات "
          "إجراءات <مشددة/استثنائية> في {LOC.area}"),
    ("S", "[مصرع|KILL] {PER.mil:victim} القيادي في {ORG.armed} <في كمين/بنيران> {ORG.mil:agent} "
          "<قرب/غرب> {LOC.city:place}"),
    ("SP", "<رئيس الوزراء/وزير الخارجية> {PER.pol:participant} و{PER.pol#2:participant} <يبحثان/يناقشان> "
           "<ملف المياه/أمن الحدود> في [اجتماع|MEETING] <مغلق/مطول> ب{LOC.city:place}"),
    ("P", "<بعد قطيعة دامت سنوات/في خطوة لافتة>، [استقبل|MEETING] {PER.pol:participant} نظيره "
          "{PER.pol#2:participant} في {LOC.city:place} {DATE.day:time}"),
    ("P", "انطلقت {DATE.day:time} في {LOC.city:place} [محادثات|MEETING] <غير مباشرة/مباشرة> برعاية "
          "{ORG.intl} <لإنهاء الأزمة/لتثبيت وقف إطلاق النار>"),
    ("SP", "«<الوضع تحت السيطرة/لا تهاون مع الإرهاب>»، بهذه العبارة [علق|STATEMENT] {PER.sec:speaker} على "
           "[الهجوم|ATTACK] الأخير في {LOC.city:place@2}"),
    ("P", "في رد على سؤال للصحفيين، [نفى|STATEMENT] {PER.pol:speaker} وجود <خلافات/أزمة> داخل "
          "{ORG.party} حول <الموازنة/تشكيل الحكومة>"),
    ("SP", "[حذرت|STATEMENT] {ORG.intl:speaker} في تقرير {DATE.day:time} من أن [القصف|ATTACK] المتواصل على "
           "{LOC.area:place@2} يهدد حياة <آلاف/عشرات الآلاف> من المدنيين"),
    ("P", "{ORG.party:agent!} <يقرر~تقرر> [الانسحاب|WITHDRAWAL^other] من <جلسة البرلمان/المفاوضات> احتجاجا على "
          "<تأجيل التصويت/غياب التوافق>"),
    ("S", "[اعتقال|ARREST] {PER.mil:person} في {LOC.city:place} بعد <ملاحقة/مطاردة> استمرت <أشهرا/أسابيع>، "
          "<حسب/وفق> {ORG.media}"),
    ("S", "أسفرت [الغارات|ATTACK] التي شنها {ORG.mil:attacker@1,agent@2} على {LOC.area:place} {DATE.day:time@1,time@2} عن "
          "[مقتل|KILL] <عدد من/العشرات من> المسلحين"),
    ("E", "<تراجعت/ارتفعت> احتياطيات {ORG.bank} من العملة الصعبة إلى <60/75/82> مليار دولار "
          "<بنهاية/في> {DATE.per}"),
    ("E", "{ORG.oil} <تستأنف/تعلق> العمل في {LOC.field} <بعد/بسبب> <خلافات مالية/أعمال صيانة> "
          "<استمرت أسابيع/مع الشركاء>"),
    ("EP", "صادق {ORG.parl} على اتفاقية قرض بقيمة <مليار/ملياري> دولار من {ORG.bank} لتمويل "
           "مشاريع <الكهرباء/المياه> في {LOC.country}"),
    ("P", "خرج <مئات/آلاف> المحتجين إلى شوارع {LOC.city} {DATE.day} <مطالبين بإصلاحات/رافضين "
          "لنتائج الانتخابات>"),
    ("S", "بعد ساعات من [اقتحام|ATTACK] مسلحين مبنى حكوميا في {LOC.city:place}، <تمكنت/نجحت> "
          "{ORG.mil:agent@2,agent@3} من [قتل|KILL] <اثنين منهم/المهاجمين> و[اعتقال|ARREST] <آخر/ثالث>"),
    ("SP", "«[سننسحب|WITHDRAWAL^other,future] من {LOC.area:origin} خلال {DATE.fut:time}»، [أكد|STATEMENT] متحدث باسم "
           "{ORG.mil:agent@1,speaker@2} في مؤتمر صحفي"),
    # --- v3: factuality and no-event sentences of dev's own ---------------------------------------------------
    ("S", "{ORG.agency}: لا صحة للأنباء المتداولة عن [اقتحام|ATTACK^negative] مسلحين مقرات حكومية في {LOC.city:place}"),
    ("S", "[توعد~توعدت|STATEMENT] {ORG.armed:speaker@1,attacker@2!} ب[استهداف|ATTACK^other,future] "
          "<القواعد الأجنبية/المصالح الحكومية> في {LOC.country:place@2} <ردا على العقوبات/في حال استمرار الحصار>"),
    ("SP", "<في حال/إذا> [هاجم~هاجمت|ATTACK^other,future] {ORG.armed:attacker!} {LOC.city:place} مجددا، فإن الحكومة "
           "<ستطلب/قد تطلب> دعما من {ORG.intl}"),
    ("SP", "غالبا ما <تطال/تصيب> [الغارات|ATTACK^generic] الجوية المدنيين في المناطق المكتظة، <بحسب/وفق> تقرير {ORG.intl}"),
    ("P", "في الذكرى <الأولى/الثانية> ل[اغتيال|KILL^past] {PER.pol:victim}، <طالب~طالبت> {ORG.party!} بكشف نتائج "
          "التحقيق <دون إبطاء/أمام الرأي العام>"),
    ("P", "<انتهت/انفضت> زيارة {PER.pol:participant} إلى {LOC.city:place} دون [لقاء|MEETING^negative] <مع/بنظيره> "
          "{PER.pol#2:participant}"),
    ("E", "<يواجه/يعاني> قطاع <العقارات/الإسكان> في {LOC.country} ضغوطا كبيرة بسبب [الانفجار|O] السكاني "
          "<وارتفاع أسعار الأراضي/وشح التمويل>"),
    ("EP", "<تسعى/ترمي> الحكومة في {LOC.country} عبر موازنة {DATE.year} إلى خفض <العجز/الدين العام>، وهي [تستهدف|O] "
           "نموا بنسبة <4/5> بالمئة"),
    ("E", "[سحب|O] <المودعون/التجار> <أكثر من/نحو> <ملياري/ثلاثة مليارات> دولار من المصارف في {LOC.city} خلال {DATE.per}"),
    ("P", "{PER.pol} يدعو إلى <إصلاح/تحديث> المناهج الدراسية <وتعزيز/ودعم> أقسام علم [الاجتماع|O] في جامعات {LOC.country}"),
    ("E", "أسعار <الذهب/الإسمنت/الأدوية> في {LOC.city} <تسجل/تواصل> <ارتفاعا/انخفاضا> <ملحوظا/قياسيا> خلال {DATE.per}"),
    ("S", "<تخرجت/احتفلت بتخريج> دفعة جديدة من ضباط {ORG.sec} في {LOC.city} {DATE.day} <بحضور/برعاية> {PER.sec}"),
    ("P", "احتفل أهالي {LOC.city} {DATE.day} <بافتتاح/بإعادة افتتاح> <الجسر/المكتبة المركزية> "
          "<بعد سنوات من الإغلاق/بحضور المحافظ>"),
]

TEST_TEMPLATES = [
    ("S", "{DATE.day:time}، [هاجم|ATTACK] مسلحون <يرتدون زيا عسكريا/مجهولون> منزل {PER.pol:target} في {LOC.area:place} "
          "<شمالي/جنوبي> {LOC.city:place}، <دون أن يصاب بأذى/وأصابوا اثنين من حراسه>"),
    ("S", "وفي {LOC.city:place@2,place@3}، [أفاد|STATEMENT] مصدر في {ORG.agency:speaker} بأن [انفجار|ATTACK] عبوة ناسفة "
          "[أودى بحياة|KILL] <ثلاثة من/اثنين من/عدد من> المارة قرب {LOC.area:place@2,place@3} {DATE.day:time@2,time@3}"),
    ("S", "[مصرع|KILL] <أربعة/ستة> من مسلحي {ORG.armed:victim@1,person@2} و[اعتقال|ARREST] <آخرين/اثنين آخرين> في عملية "
          "<مشتركة/استباقية> <نفذها~نفذتها> {ORG.mil:agent@1,agent@2!} في {LOC.area:place@1,place@2}"),
    ("S", "<بحسب/وفق> ما [أوضحه|STATEMENT] <الناطق باسم/المتحدث باسم> {ORG.agency} {PER.sec:speaker}، فإن "
          "<المسلحين/عناصر التنظيم> [انسحبوا|WITHDRAWAL] من {LOC.area:origin@2} <باتجاه/نحو> {LOC.country:destination@2} "
          "{DATE.day:time@2}"),
    ("S", "[اقتحم|ATTACK] مسلحون تابعون ل{ORG.armed:attacker@1,agent@2} مبنى <البلدية/المجلس المحلي> في {LOC.city:place}، قبل أن "
          "[ينسحبوا|WITHDRAWAL] منه <مع وصول/عند وصول> تعزيزات من {ORG.mil}"),
    ("S", "لا يزال الغموض يلف ظروف [اغتيال|KILL] {PER.pol:victim} الذي عثر على جثته في {LOC.area} {DATE.day}، "
          "<وسط تكتم أمني/بعد أيام من اختفائه>"),
    ("P", "خلال [لقاء|MEETING] جمعهما في {LOC.city:place} {DATE.day:time}، ناقش {PER.pol:participant} و{PER.pol#2:participant} "
          "<سبل تعزيز العلاقات/آخر مستجدات الأزمة السياسية>"),
    ("P", "[مباحثات|MEETING] <ثنائية/مطولة> بين {PER.pol:participant} و{PER.pol#2:participant} في {LOC.city:place} <تركزت على/تناولت> "
          "<ملف المياه/أمن الحدود/التبادل التجاري>، <وفق/حسب> بيان رسمي"),
    ("P", "من المقرر أن [يلتقي|MEETING^other,future] {PER.pol:participant} <بنظيره/مع> {PER.pol#2:participant} في {LOC.city:place} خلال {DATE.fut:time} "
          "لبحث <الملف النووي/التعاون في مجال الطاقة>"),
    ("P", "تنطلق في {LOC.city:place} {DATE.fut:time} أعمال [القمة|MEETING^other,future] <العربية/الخليجية> بمشاركة "
          "<قادة/زعماء> الدول الأعضاء في {ORG.intl:participant}"),
    ("S", "{ORG.agency:agent}: [توقيف|ARREST] <خمسة/ثلاثة> مطلوبين في {LOC.city:place} <بينهم/أحدهم> متورط في "
          "[تفجير|ATTACK] {LOC.area:place@2}"),
    ("SP", "يدخل [احتجاز|ARREST] الناشط {PER.pol:person} لدى {ORG.sec:agent} في {LOC.city:place} أسبوعه الثالث، "
           "<وسط مطالبات حقوقية بالإفراج عنه/في ظل صمت رسمي>"),
    ("E", "<أرباح/إيرادات> {ORG.bank} <ترتفع/تقفز> إلى <1.2/2.4/3.1> تريليون دينار في {DATE.year}"),
    ("EP", "في ظل تراجع أسعار الخام، <اضطرت/سعت> الحكومة في {LOC.country} إلى <الاقتراض من/طلب دعم> "
           "{ORG.bank} لتغطية رواتب <الموظفين/القطاع العام> حتى {DATE.fut}"),
    ("E", "من المتوقع أن <يرتفع/يتراجع> إنتاج {LOC.field} إلى <300/450> ألف برميل يوميا مع حلول {DATE.fut}، "
          "<حسبما/وفق ما> [أوضح|STATEMENT] <مدير الحقل/المهندس> {PER.eco:speaker}"),
    ("E", "{DATE.day}، <دشن/افتتح> {PER.eco} <المرحلة الثانية من/مشروع توسعة> {LOC.port} بكلفة "
          "<تتجاوز/تقارب> <مليار/600 مليون> دولار"),
    ("E", "قفزت الصادرات غير النفطية من {LOC.country} إلى {LOC.country#2} بنسبة <30/18/25> بالمئة خلال "
          "{DATE.per} مدفوعة بالطلب على <المنتجات الزراعية/مواد البناء>"),
    ("S", "[غارة|ATTACK] <بطائرة مسيرة/جوية> [تستهدف/استهدفت|ATTACK] سيارة <تقل/كانت تقل> {PER.mil:target@2,victim@3} "
          "<قرب/على أطراف> {LOC.city:place@1,place@2}، و<أنباء عن/معلومات عن> [مصرعه|KILL^other]"),
    ("S", "<ثلاث/أربع> [هجمات|ATTACK] متزامنة <تهز/طالت> {LOC.city:place} و{LOC.city#2:place} {DATE.day:time}، "
          "<وتبناها/وقد تبناها> {ORG.armed:attacker} <لاحقا/في وقت لاحق>"),
    ("S", "[انسحاب|WITHDRAWAL] <مفاجئ/تدريجي> ل{ORG.armed:agent@1,attacker@2} من {LOC.area:origin} بعد <أسبوع/أيام> من "
          "[المعارك|ATTACK] مع {ORG.mil:attacker@2}، <وفق/حسب> <شهود عيان/سكان محليين>"),
    ("SP", "ستكتمل عملية [سحب|WITHDRAWAL^other,future] <المستشارين/الجنود> الأجانب من {LOC.area:origin} قبل {DATE.fut:time}، "
           "بحسب ما [كشفه|STATEMENT] مسؤول في {ORG.exec:speaker@2}"),
    ("S", "<حاصر~حاصرت> {ORG.mil!} مواقع {ORG.armed} في {LOC.area:origin} لأيام، ف[انسحب|WITHDRAWAL] المسلحون "
          "<باتجاه/نحو> {LOC.area#2:destination} <تحت جنح الظلام/>"),
    ("P", "بعد [انسحاب|WITHDRAWAL] نواب {ORG.party:agent} من الجلسة، <أرجأ~أرجأت> {ORG.parl!} التصويت على "
          "<قانون الموازنة/قانون الانتخابات> إلى {DATE.fut}"),
    ("S", "<بث~بثت> {ORG.armed:agent!} <مقطعا مصورا/تسجيلا مرئيا> يظهر [إعدام|KILL] <عدد من/خمسة من> المختطفين "
          "في {LOC.area:place}، <حسبما/بحسب ما> [أفادت|STATEMENT] {ORG.media:speaker@2}"),
    ("S", "[قضى|KILL] <جنديان/ثلاثة جنود/شرطيان> من {ORG.mil:victim@1,target@2} إثر [انفجار|ATTACK] عبوة ناسفة في {LOC.area:place@1,place@2} "
          "{DATE.day:time@1,time@2}"),
    ("SP", "<أكثر من عشرين/نحو ثلاثين> <متظاهرا/ناشطا> [اعتقلوا|ARREST] في {LOC.area:place} ب{LOC.city:place} خلال "
           "{DATE.per:time}، <وفق/حسب> {ORG.intl}"),
    ("P", "<من جهته~من جهتها>، [أشار~أشارت|STATEMENT] <النائب~النائبة/السفير~السفيرة> {PER.pol:speaker!} إلى أن "
          "<المفاوضات/المحادثات> مع {ORG.intl} <وصلت إلى طريق مسدود/تسير في الاتجاه الصحيح>"),
    ("P", "<«لن نسمح بعودة الإرهاب»/«الحوار هو الطريق الوحيد»/«الانتخابات ستجري في موعدها»>، "
          "[قال|STATEMENT] {PER.pol:speaker} خلال زيارته {LOC.city} {DATE.day:time}"),
    ("SP", "[كشف|STATEMENT] التقرير الصادر عن {ORG.intl:speaker} أن [المعارك|ATTACK] في {LOC.country:place@2} "
           "<تسببت بنزوح/أدت إلى نزوح> <آلاف/مئات الآلاف> من السكان خلال {DATE.per:time@2}"),
    ("P", "{PER.pol:participant} [يلتقي/يستقبل|MEETING] <وفدا من/ممثلي> {ORG.intl:participant} في {LOC.city:place} "
          "<ويبحث معهم/لبحث> <ملف النازحين/الإصلاحات الانتخابية>"),
    ("E", "على وقع <ارتفاع/انخفاض> أسعار النفط، <حققت/سجلت> {ORG.oil} <أرباحا/إيرادات> "
          "<قياسية/غير مسبوقة> خلال {DATE.per}"),
    ("E", "<قرار/مقترح> {ORG.bank} <تعويم/تعديل> سعر الصرف <يثير/أثار> جدلا واسعا في أوساط التجار في "
          "{LOC.city}"),
    ("EP", "تدخل اتفاقية <إنشاء خط أنابيب/التجارة الحرة> بين {LOC.country} و{LOC.country#2} حيز التنفيذ في "
           "{DATE.pt}، <بعد مصادقة/عقب مصادقة> {ORG.parl} عليها"),
    ("S", "<قوة خاصة/وحدة خاصة> من {ORG.mil:attacker@1,agent@2} [اقتحمت|ATTACK] <مخبأ/وكرا> ل{ORG.armed:target} في {LOC.area:place@1,place@2} "
          "{DATE.day:time@1,time@2} و[قتلت|KILL] <ثلاثة/أربعة> مسلحين كانوا بداخله"),
    ("S", "<ضبط~ضبطت> {ORG.agency:agent!} شحنة أسلحة <مهربة/> في {LOC.area:place} {DATE.day:time} و[احتجز~احتجزت|ARREST] "
          "<سائقها/ثلاثة أشخاص>"),
    ("S", "<وحدات/ألوية> من {ORG.mil:agent} [تنسحب|WITHDRAWAL] من {LOC.city:origin} وتسلم الملف الأمني إلى {ORG.mil#2}"),
    ("SP", "[صرّح|STATEMENT] مسؤول رفيع في {ORG.exec:speaker} لـ{ORG.media} بأن الحكومة تدرس مقترحا ل[سحب|WITHDRAWAL^other,future] "
           "<القوات/الوحدات> المنتشرة في {LOC.area:origin@2} خلال {DATE.fut:time@2}"),
    ("S", "<بعد/عقب> <ساعات/يومين> من [توقيفه|ARREST] في {LOC.city:place}، <أحال~أحالت> {ORG.agency:agent!} {PER.mil:person} "
          "إلى القضاء بتهمة <تمويل الإرهاب/حيازة أسلحة غير مرخصة>"),
    # --- v3: factuality and no-event sentences of test's own --------------------------------------------------
    ("S", "{ORG.mil}: لا [انسحاب|WITHDRAWAL^negative,future] من {LOC.city:origin} قبل <استعادة الأمن/انتهاء العمليات> "
          "بالكامل"),
    ("S", "<رسائل تهديد/تهديدات> من {ORG.armed:attacker} ب[تفجير|ATTACK^other,future] <مقرات/مبان> حكومية في "
          "{LOC.city:place} تستنفر {ORG.sec}"),
    ("SP", "لو [انسحبت|WITHDRAWAL^other] القوات الأجنبية من {LOC.area:origin} <لكانت/لأصبحت> المنطقة "
           "<ساحة مفتوحة/عرضة> ل{ORG.armed}، بحسب {PER.sec}"),
    ("SP", "<يعد/يبقى> [الاعتقال|ARREST^generic] التعسفي من أبرز <الانتهاكات/المخاوف> التي <يرصدها/يوثقها> {ORG.intl} "
           "في {LOC.country:place}"),
    ("S", "<يصادف/صادف> {DATE.day} مرور <عام/عامين/ثلاثة أعوام> على [الهجوم|ATTACK^past] الذي <شنه/نفذه> "
          "{ORG.armed:attacker} على {LOC.area:place}"),
    ("SP", "[إدانات|STATEMENT] <عربية/دولية> واسعة ل[تفجير|ATTACK^past] {LOC.area:place@2} <الدامي/الإرهابي> "
           "{DATE.day:time@2}، ومطالبات بمحاسبة المنفذين"),
    ("P", "<يعتزم/ينوي> {PER.pol:participant} [استقبال|MEETING^other,future] {PER.pol#2:participant} في {LOC.city:place} "
          "خلال {DATE.fut:time}"),
    ("S", "<أنباء عن/تقارير عن> [اعتقال|ARREST^other] {PER.pol:person} في {LOC.city:place}، و{ORG.sec} "
          "<تلتزم الصمت/ترفض التعليق>"),
    ("S", "[القصف|ATTACK] الذي طال {LOC.area:place@1,place@2} {DATE.day:time@1} لم يسفر عن [مقتل|KILL^negative] أي من "
          "السكان"),
    ("E", "[ضربة|O] <موجعة/قاسية> لقطاع <السياحة/النقل> في {LOC.country} بعد <ارتفاع أسعار الوقود/تراجع أعداد الزوار> "
          "خلال {DATE.per}"),
    ("P", "[قضى|O] {PER.pol} <ثلاثين/عشرين> عاما في السلك الدبلوماسي قبل <توليه/تعيينه> حقيبة الخارجية في {DATE.year}"),
    ("E", "<مخاوف/قلق> من موجة [سحب|O] للودائع من مصارف {LOC.country} بعد قرار {ORG.bank} <تقييد/تعديل> سعر الصرف"),
    ("E", "<أسواق/متاجر> {LOC.city} <تشهد/شهدت> <إقبالا كبيرا/حركة نشطة> {DATE.day} <مع اقتراب/قبيل> "
          "<العيد/بدء العام الدراسي>"),
    ("S", "<خطة أمنية جديدة/إجراءات أمنية مشددة> في {LOC.city} لتأمين الانتخابات المحلية {DATE.fut} "
          "<وسط/في ظل> <مخاوف من خروقات/تحذيرات من التوتر>"),
    ("E", "<افتتاح/تدشين> <أكبر/أول> مصنع <للإسمنت/للأدوية> في {LOC.area} ب{LOC.city} <بطاقة/بقدرة> إنتاجية تبلغ "
          "<مليون/نصف مليون> طن سنويا"),
    ("EP", "{ORG.parl} يصوت {DATE.fut} على <قانون/مشروع قانون> <الاستثمار/الضمان الاجتماعي> وسط <خلافات/توافق> بين الكتل"),
    ("E", "<تسعى/تستعد> {LOC.country} ل[اقتحام|O] أسواق <الطاقة المتجددة/التصدير> عبر <شراكات/استثمارات> مع "
          "{LOC.country#2}"),
]
# fmt: on
