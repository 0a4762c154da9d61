"""Sentence templates for the bundled Hadath corpus (authored for this project).

Mini-language (parsed by ``compose.py``):

* ``{TYPE.cat}`` / ``{TYPE.cat#2}``: a slot filled from ``lexicon.py`` and annotated as TYPE. TYPE is an entity
  type (PER, ORG, LOC, DATE) or an event type (ATTACK, ...: the trigger lexicon, e.g. ``{ATTACK.past}``,
  ``{KILL.noun}``, ``{ARREST.present}``, ``{STATEMENT.participle}``). Slots of the same type always receive
  different surface forms. Slots of one sentence are filled plausibly (``world.py``): every bound entry shares one
  country (``{LOC.country#2}`` is a second country by construction) and an area lies in the province of the
  sentence's ``{LOC.city}``.
* ``{TYPE.cat:role}``: the slot's role in the sentence's event (``agent``, ``attacker``, ``target``, ``victim``,
  ``person``, ``place``, ``origin``, ``time``, ``speaker``, ``participant``, ``source``, ...). Roles are parsed and
  carried with each rendered piece; they are not written to the JSONL yet (event arguments will read them).
  ``[a/b|TYPE:role]`` takes a role the same way.
* A trailing ``!`` (``{ORG.mil!}``, ``{ORG.mil:agent!}``) marks the slot whose grammatical gender drives agreement;
  only that slot may draw feminine person names, and verb trigger slots take its gender.
* ``[a/b|TYPE]``: annotated literal (an event trigger, or a fixed entity); one alternative is chosen.
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
The generator writes no homograph of a trigger in another sense (``فجر`` is only "dawn", in dates), so no string is
annotated in one place and not in another: ``compose.py`` refuses a template that writes a trigger form of
``lexicon.TRIGGER_FORMS`` unannotated, and its self-check runs ``hadath data check``'s consistency finder.

Each template is ``(labels, template)`` with labels coded S=SECURITY, P=POLITICS, E=ECONOMY. TRAIN_TEMPLATES,
DEV_TEMPLATES and TEST_TEMPLATES were written separately, with different sentence structures; each feeds one split.
"""

# fmt: off
TRAIN_TEMPLATES = [
    # --- ATTACK ---------------------------------------------------------------------------------------
    ("S", "<شنت/نفذت> طائرات {ORG.mil} [غارات|ATTACK] جوية على مواقع ل{ORG.armed} في {LOC.area} {DATE.day}"),
    ("S", "[هاجم|ATTACK] مسلحون ينتمون إلى {ORG.armed} نقطة تفتيش للشرطة في {LOC.city} {DATE.day}، "
          "ما أسفر عن [مقتل|KILL] <ثلاثة/أربعة/خمسة> من عناصرها <وإصابة آخرين/>"),
    ("S", "[استهدف~استهدفت|ATTACK] {ORG.armed!} رتلا عسكريا بعبوة ناسفة على الطريق الرابط بين {LOC.city} "
          "و{LOC.city#2} {DATE.day}"),
    ("S", "[قصف~قصفت|ATTACK] {ORG.mil!} بالمدفعية الثقيلة مواقع {ORG.armed} في {LOC.area} {DATE.day} "
          "<تمهيدا لعملية برية/>"),
    ("S", "[قال~قالت|STATEMENT] {ORG.agency!} في بيان {DATE.day} إن مسلحين [هاجموا|ATTACK] مركزا للشرطة في "
          "{LOC.city} <دون أن يسفر ذلك عن إصابات/وأصابوا اثنين من عناصره>"),
    ("SP", "تعرض مقر {ORG.party} في {LOC.city} ل[هجوم|ATTACK] بقذائف الهاون {DATE.day}، "
           "<ما أدى إلى أضرار مادية/دون وقوع إصابات>"),
    ("S", "<أقدم/أقبل> انتحاري على [تفجير|ATTACK] حزام ناسف وسط سوق شعبي في {LOC.city} {DATE.day}، "
          "ما أدى إلى [مقتل|KILL] <عشرة/سبعة/تسعة/ستة> أشخاص على الأقل"),
    ("S", "[أعلن~أعلنت|STATEMENT] {ORG.armed!} في بيان <نشره~نشرته> على مواقع التواصل <مسؤوليته~مسؤوليتها> "
          "عن [التفجير/الهجوم|ATTACK] الذي [استهدف|ATTACK] {LOC.area} {DATE.day}"),
    ("SP", "[أدان~أدانت|STATEMENT] {ORG.intl!} بشدة [الهجوم|ATTACK] الذي [استهدف|ATTACK] مدنيين في "
           "{LOC.city} {DATE.day}، <داعيا~داعية> إلى محاسبة المسؤولين عنه"),
    ("S", "أصيب <شرطيان/ثلاثة مدنيين/جنديان> بجروح <جراء/إثر> [إطلاق نار|ATTACK] [استهدف|ATTACK] دورية أمنية في "
          "{LOC.area} ب{LOC.city} {DATE.day}"),
    ("S", "اندلعت [اشتباكات|ATTACK] عنيفة بين {ORG.mil} ومسلحي {ORG.armed} في {LOC.area} {DATE.day}، "
          "<استمرت لساعات/استخدمت فيها الأسلحة الثقيلة>"),
    ("S", "<تصدى~تصدت> {ORG.mil!} ل[هجوم|ATTACK] شنه مسلحو {ORG.armed} على <قرية/بلدة> قرب {LOC.city} "
          "{DATE.day}"),
    ("S", "تعرض محيط {LOC.area} ل[قصف|ATTACK] صاروخي {DATE.day} "
          "<دون تسجيل إصابات/أسفر عن أضرار في عدد من المنازل>"),
    ("SE", "<أوقف~أوقفت> {ORG.oil!} الإنتاج في {LOC.field} مؤقتا بعد [هجوم|ATTACK] <بطائرة مسيرة/صاروخي> "
           "[استهدف|ATTACK] منشآت الحقل {DATE.day}"),
    ("SE", "ارتفعت أسعار النفط العالمية {DATE.day} بعد [هجمات|ATTACK] [استهدفت|ATTACK] ناقلات <قرب/في> {LOC.port}"),
    # --- KILL -----------------------------------------------------------------------------------------
    ("S", "[قتل|KILL] <ثلاثة/خمسة/أربعة> من عناصر {ORG.mil} <وأصيب آخرون/> في [هجوم|ATTACK] "
          "<شنه مسلحون/> على <قرية/بلدة> <قرب/شمال/جنوب> {LOC.city} {DATE.day}"),
    ("S", "[لقي حتفه|KILL] {PER.mil} القيادي في {ORG.armed} ب[غارة/ضربة|ATTACK] جوية [استهدفت|ATTACK] مخبأه في "
          "{LOC.area} {DATE.day}"),
    ("S", "[أعلن~أعلنت|STATEMENT] {ORG.agency!} [مقتل|KILL] {PER.mil} "
          "<أحد أبرز قادة/المسؤول العسكري في/والي> {ORG.armed} <في عملية نوعية/في كمين محكم> "
          "<قرب/شرق> {LOC.city}"),
    ("S", "[اغتال|KILL] مسلحون مجهولون عضو مجلس المحافظة {PER.pol} أمام منزله في {LOC.city} {DATE.day}"),
    ("S", "أسفر [القصف|ATTACK] <المدفعي/الصاروخي/> على {LOC.area} عن [مقتل|KILL] "
          "<مدنيين اثنين/ثلاثة مدنيين/طفلين> <وإصابة خمسة آخرين/> {DATE.day}"),
    ("S", "[قتل~قتلت|KILL] {ORG.mil!} <خمسة/ستة/ثمانية> <إرهابيين/مسلحين> من {ORG.armed} في "
          "[اشتباكات|ATTACK] <عنيفة/متقطعة> في {LOC.area} {DATE.day}"),
    ("SP", "[قال~قالت|STATEMENT] {ORG.intl!} إن <أكثر من مئة مدني/عشرات المدنيين/نحو ثلاثين مدنيا> "
           "[قتلوا|KILL] في {LOC.country} خلال {DATE.per}"),
    ("S", "<عثر~عثرت> {ORG.agency!} على جثث <ثلاثة/أربعة/سبعة> أشخاص [أعدمهم|KILL] عناصر {ORG.armed} في "
          "{LOC.area}، <بحسب مصدر أمني/وفق مصادر محلية>"),
    ("S", "[مقتل|KILL] <قيادي/مسؤول مالي/مسؤول إعلامي> في {ORG.armed} ب[ضربة|ATTACK] <جوية/بطائرة مسيرة> "
          "في {LOC.area} {DATE.day}"),
    # --- WITHDRAWAL -----------------------------------------------------------------------------------
    ("S", "[انسحب~انسحبت|WITHDRAWAL] {ORG.mil!} من <مواقعه~مواقعها> في {LOC.area} {DATE.day} بعد "
          "[اشتباكات|ATTACK] <استمرت عدة ساعات/عنيفة> مع مسلحي {ORG.armed}"),
    ("SP", "[أعلن~أعلنت|STATEMENT] {ORG.exec!} [انسحاب|WITHDRAWAL] آخر القوات الأجنبية من {LOC.area} "
           "في {DATE.pt}"),
    ("SP", "<بدأ~بدأت> {ORG.mil!} [انسحابه~انسحابها|WITHDRAWAL] من {LOC.country} في {DATE.pt}، "
           "<بحسب/وفق> ما [ذكرته|STATEMENT] {ORG.media}"),
    ("S", "[انسحب|WITHDRAWAL] مسلحو {ORG.armed} من أحياء في {LOC.city} {DATE.day} <تحت ضغط/إثر> "
          "[غارات|ATTACK] {ORG.mil}"),
    ("P", "[أعلن~أعلنت|STATEMENT] {ORG.party!} [انسحابه~انسحابها|WITHDRAWAL] من "
          "<العملية السياسية/الحكومة/المفاوضات> احتجاجا على "
          "<نتائج الانتخابات/تأخر إقرار الموازنة/تهميش المحافظات>"),
    ("SP", "<صوت~صوتت> {ORG.parl!} {DATE.day} على قرار يطالب ب[سحب|WITHDRAWAL] القوات الأجنبية من "
           "{LOC.country}"),
    ("S", "<أكمل~أكملت> {ORG.mil!} [انسحابه~انسحابها|WITHDRAWAL] من {LOC.area} في {DATE.pt} "
          "<وسلم المواقع إلى القوات المحلية~وسلمت المواقع إلى القوات المحلية/بعد اتفاق مع السلطات المحلية>"),
    ("S", "[قال|STATEMENT] <المتحدث العسكري/العميد/اللواء> {PER.sec} إن [انسحاب|WITHDRAWAL] {ORG.armed} من "
          "{LOC.city} جاء بعد <حصار دام أسابيع/خسائر كبيرة في صفوفه>"),
    ("P", "<قرر~قررت> {ORG.party!} [الانسحاب|WITHDRAWAL] من <التحالف الحاكم/الائتلاف الحكومي> {DATE.day} "
          "<بعد خلافات حول توزيع الحقائب الوزارية/إثر أزمة الموازنة>"),
    ("SP", "<دعا~دعت> {ORG.party!} إلى [انسحاب|WITHDRAWAL] {ORG.mil} من {LOC.area} خلال {DATE.fut}"),
    # --- ARREST ---------------------------------------------------------------------------------------
    ("S", "[اعتقل~اعتقلت|ARREST] {ORG.sec!} <ثلاثة متهمين/خمسة متهمين/عددا من المتهمين> بالانتماء إلى "
          "{ORG.armed} في {LOC.city} {DATE.day}"),
    ("S", "[ألقى القبض~ألقت القبض|ARREST] {ORG.agency!} على {PER.mil} القيادي في {ORG.armed} "
          "<خلال عملية أمنية/في كمين محكم> في {LOC.city}"),
    ("SP", "[أعلن~أعلنت|STATEMENT] {ORG.exec!} [اعتقال|ARREST] <مسؤول سابق/موظفين> في {ORG.exec#2} بتهمة "
           "<الفساد/اختلاس المال العام/هدر المال العام> {DATE.day}"),
    ("S", "<تمكن~تمكنت> {ORG.sec!} من [اعتقال|ARREST] <خلية إرهابية تابعة/شبكة تابعة/أربعة عناصر تابعين> "
          "ل{ORG.armed} في {LOC.area} {DATE.day}"),
    ("S", "[أفادت/ذكرت|STATEMENT] مصادر أمنية <بأن/أن> {ORG.sec!} [اعتقل~اعتقلت|ARREST] {PER.mil} في "
          "{LOC.city} {DATE.day}"),
    ("SP", "[قال~قالت|STATEMENT] {ORG.intl!} إن السلطات في {LOC.country} [اعتقلت|ARREST] "
           "<عشرات/مئات> المتظاهرين {DATE.day}"),
    ("S", "<تم/جرى> [اعتقال|ARREST] {PER.mil} <المطلوب للقضاء/المتهم بقضايا إرهاب> في عملية أمنية "
          "ب{LOC.area} {DATE.day}، <بحسب/وفق> {ORG.agency}"),
    ("SP", "[اعتقل~اعتقلت|ARREST] {ORG.sec!} <النائب السابق/المرشح> {PER.pol} <في منزله/عند حاجز تفتيش> في "
           "{LOC.city} {DATE.day} بتهمة <التحريض على العنف/الفساد>"),
    # --- MEETING --------------------------------------------------------------------------------------
    ("P", "[التقى~التقت|MEETING] <رئيس الوزراء~رئيسة الوزراء/وزير الخارجية~وزيرة الخارجية/"
          "رئيس البرلمان~رئيسة البرلمان> {PER.pol!} <السفير/المبعوث الأممي/الوزير> {PER.pol#2} في "
          "{LOC.city} {DATE.day} <لبحث العلاقات الثنائية/وبحث الجانبان ملف المياه/"
          "لمناقشة الأوضاع الأمنية في المنطقة>"),
    ("P", "<عقد~عقدت> {ORG.gov!} [اجتماعا|MEETING] <طارئا/موسعا/استثنائيا> {DATE.day} برئاسة {PER.pol} "
          "<لمناقشة الأوضاع الأمنية/لبحث مشروع قانون الموازنة/لمناقشة أزمة الكهرباء>"),
    ("P", "[استقبل~استقبلت|MEETING] <رئيس الجمهورية~رئيسة الجمهورية/وزير الخارجية~وزيرة الخارجية> "
          "{PER.pol!} في {LOC.city} {DATE.day} وفدا من {ORG.intl} برئاسة {PER.pol#2}"),
    ("EP", "[اجتمع~اجتمعت|MEETING] <وزير النفط~وزيرة النفط/وزير المالية~وزيرة المالية> {PER.eco!} مع ممثلي "
           "{ORG.eco} في {LOC.city} {DATE.day} "
           "<لمناقشة خطط زيادة الإنتاج/لبحث جدولة الديون/لمناقشة أسعار النفط>"),
    ("P", "<شارك~شاركت> <وزير الخارجية~وزيرة الخارجية> {PER.pol!} في [اجتماع|MEETING] <طارئ/تشاوري> "
          "<عقد/انعقد> في مقر {ORG.intl} ب{LOC.city} {DATE.day}"),
    ("SP", "[قال~قالت|STATEMENT] <وزير الخارجية~وزيرة الخارجية> {PER.pol!} عقب [لقائه~لقائها|MEETING] "
           "<السفير/المبعوث الأممي> {PER.pol#2} في {LOC.city} إن الجانبين اتفقا على "
           "<تعزيز التعاون الأمني/مكافحة الإرهاب/تبادل المعلومات الاستخبارية>"),
    ("P", "استضافت {LOC.city} {DATE.day} [مؤتمرا|MEETING] دوليا <حول إعادة إعمار/لدعم الاستقرار في> "
          "{LOC.country} بمشاركة ممثلين عن {ORG.intl} و{ORG.intl#2}"),
    ("P", "<أجرى~أجرت> <رئيس الوزراء~رئيسة الوزراء/وزير الخارجية~وزيرة الخارجية> {PER.pol!} "
          "[محادثات|MEETING] مع {PER.pol#2} في {LOC.city} {DATE.day} تناولت "
          "<التعاون الاقتصادي/ملف النازحين/أمن الحدود>"),
    ("P", "[اجتمع|MEETING] قادة {ORG.party} و{ORG.party#2} {DATE.day} <في منزل/بدعوة من> {PER.pol} "
          "<لبحث تشكيل الحكومة الجديدة/للاتفاق على مرشح لرئاسة الوزراء>"),
    ("EP", "<عقد~عقدت> {ORG.bank!} [اجتماعا|MEETING] مع <ممثلي المصارف الأهلية/كبار التجار> في {LOC.city} "
           "{DATE.day} لبحث <استقرار سعر الصرف/تمويل المشاريع الصغيرة>"),
    ("P", "[التقى|MEETING] {PER.pol} و{PER.pol#2} <على هامش/خلال> [القمة|MEETING] "
          "<العربية/الاقتصادية/الإقليمية> في {LOC.city} {DATE.day}"),
    # --- STATEMENT ------------------------------------------------------------------------------------
    ("P", "[قال~قالت|STATEMENT] <المتحدث باسم الحكومة~المتحدثة باسم الحكومة/النائب~النائبة> {PER.pol!} "
          "<في مؤتمر صحفي/في تصريح صحفي> {DATE.day} إن الحكومة <ماضية في تنفيذ برنامجها الإصلاحي/"
          "ملتزمة بإجراء الانتخابات في موعدها/عازمة على مكافحة الفساد>"),
    ("SP", "[صرح|STATEMENT] المتحدث باسم {ORG.agency} <العميد/اللواء> {PER.sec} بأن "
           "<الوضع الأمني مستقر/القوات الأمنية تسيطر على الموقف> في {LOC.city}، [مؤكدا|STATEMENT] أن "
           "<الحياة عادت إلى طبيعتها/لا داعي للقلق>"),
    ("E", "[أعلن~أعلنت|STATEMENT] {ORG.oil!} أن صادرات النفط بلغت <3.4/3.2/2.9> مليون برميل يوميا خلال "
          "{DATE.per}"),
    ("P", "[نفى~نفت|STATEMENT] {ORG.exec!} {DATE.day} <صحة الأنباء/التقارير> بشأن "
          "<تأجيل الانتخابات/تعديل وزاري مرتقب/خلافات داخل الحكومة>"),
    ("SP", "[أكد~أكدت|STATEMENT] {ORG.intl!} <في بيان/في تقرير> <صدر/نشر> {DATE.day} ضرورة حماية المدنيين في "
           "{LOC.country}"),
    ("P", "[ذكرت/أفادت|STATEMENT] {ORG.media} أن {PER.pol} <سيزور/يعتزم زيارة> {LOC.country} خلال {DATE.fut} "
          "<لبحث ملفات الطاقة/لتوقيع اتفاقيات ثنائية>"),
    ("E", "[قال~قالت|STATEMENT] <وزير المالية~وزيرة المالية> {PER.eco!} إن <عجز الموازنة/الدين العام> "
          "<سيتراجع/قد يرتفع> خلال {DATE.fut} <بفضل ارتفاع أسعار النفط/بسبب تراجع الإيرادات>"),
    ("P", "[أكد~أكدت|STATEMENT] {PER.pol!} <في كلمة متلفزة/خلال حديث للصحفيين> {DATE.day} أن بلاده "
          "<ترفض التدخل في شؤونها الداخلية/تقف على مسافة واحدة من الجميع>"),
    ("S", "و[أوضح~أوضحت|STATEMENT] {ORG.agency!} أن <القوات/الوحدات> <تواصل ملاحقة/تلاحق> فلول {ORG.armed} "
          "في {LOC.area}"),
    ("P", "و[أضاف~أضافت|STATEMENT] {PER.pol!} أن <الحوار هو السبيل الوحيد لحل الأزمة/"
          "الحكومة ستعلن نتائج التحقيق قريبا/البلاد تمر بمرحلة حساسة>"),
    ("SP", "[حذر~حذرت|STATEMENT] {ORG.intl!} من <تدهور الأوضاع الإنسانية/تصاعد العنف> في {LOC.city} "
           "<بعد/في أعقاب> [المعارك|ATTACK] الأخيرة"),
    ("E", "[قال~قالت|STATEMENT] <الخبير الاقتصادي~الخبيرة الاقتصادية> {PER.eco!} ل{ORG.media} إن "
          "<ارتفاع أسعار النفط/تراجع الإيرادات> <سينعكس على/سيؤثر في> <الموازنة/الاحتياطي النقدي> خلال "
          "{DATE.fut}"),
    ("EP", "[أعلن~أعلنت|STATEMENT] {ORG.exec!} عن <خطة/حزمة إجراءات> لدعم <القطاع الزراعي/المشاريع الصغيرة> "
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
          "[المفوضية العليا المستقلة للانتخابات|ORG]"),
    ("S", "<فرض~فرضت> {ORG.sec!} حظرا للتجوال في {LOC.city} {DATE.day} "
          "<تحسبا لأي خروقات أمنية/بعد تصاعد التوتر>"),
    ("P", "<وصل~وصلت> <وزير الخارجية~وزيرة الخارجية> {PER.pol!} إلى {LOC.city} {DATE.day} في زيارة رسمية "
          "<تستغرق يومين/تستمر ثلاثة أيام>"),
    ("P", "تظاهر <المئات/آلاف المواطنين> في {LOC.area} ب{LOC.city} {DATE.day} "
          "<للمطالبة بتحسين الخدمات/احتجاجا على تردي الكهرباء>"),
    ("P", "<انتخب~انتخبت> {ORG.parl!} {DATE.day} {PER.pol} رئيسا <له~لها> بأغلبية <مريحة/ساحقة>"),
    # --- v2: negation, passive, nominal sentences, quotes, several events, long sentences, trigger slots ---------
    ("S", "[نفى~نفت|STATEMENT] {ORG.mil:speaker!} {DATE.day:time} أي [قصف|ATTACK] لمواقع مدنية في {LOC.area:place}، "
          "<واصفا~واصفة> الأنباء بأنها <عارية عن الصحة/مضللة>"),
    ("S", "لم يسجل أي [هجوم|ATTACK] في {LOC.city:place} منذ {DATE.pt:time}، <بحسب/وفق> {ORG.agency:source}"),
    ("S", "لم {ARREST.present} {ORG.sec:agent!} أي مشتبه به في {LOC.city:place} حتى الآن رغم مرور أيام على "
          "{ATTACK.noun} {DATE.day:time}"),
    ("S", "[قتل|KILL] <ثلاثة/أربعة> من عناصر {ORG.mil:victim} و[اعتقل|ARREST] <اثنان/خمسة> من مسلحي "
          "{ORG.armed:person} في {LOC.area:place} {DATE.day:time}"),
    ("S", "[استهدف|ATTACK] رتل تابع ل{ORG.mil:target} بعبوة ناسفة قرب {LOC.city:place} {DATE.day:time}، "
          "<دون وقوع إصابات/ما أسفر عن أضرار في آليتين>"),
    ("S", "{ORG.armed:agent} وراء [الهجوم|ATTACK] على {LOC.area:place}، <بحسب/وفق> ما [أعلنته|STATEMENT] "
          "{ORG.agency:speaker} {DATE.day:time}"),
    ("P", "[الاجتماع|MEETING] المقبل بين {PER.pol:participant} و{PER.pol#2:participant} <سيعقد/مقرر> في "
          "{LOC.city:place} خلال {DATE.fut:time}"),
    ("SP", "[قال~قالت|STATEMENT] {PER.pol:speaker!} في بيان {DATE.day:time}: «<لن نقبل/لن نسمح> بأي "
           "[هجوم|ATTACK] على {LOC.area:place}»"),
    ("S", "«[انسحبنا|WITHDRAWAL] من {LOC.area:origin} حفاظا على أرواح المدنيين»، [قال|STATEMENT] قيادي في "
          "{ORG.armed:agent} ل{ORG.media:channel} {DATE.day:time}"),
    ("S", "[اقتحم~اقتحمت|ATTACK] {ORG.mil:agent!} {LOC.area:place} {DATE.day:time} و[اعتقل~اعتقلت|ARREST] "
          "<عددا من/ثلاثة من> عناصر {ORG.armed:person} بعد [اشتباكات|ATTACK] <دامت ساعات/عنيفة>"),
    ("SP", "[أعلن~أعلنت|STATEMENT] {ORG.exec:speaker!} [انسحاب|WITHDRAWAL] {ORG.mil:agent} من {LOC.city:origin} "
           "بعد [مقتل|KILL] <عشرة/عدد> من الجنود في [هجمات|ATTACK] شنها {ORG.armed:attacker}"),
    ("S", "[قالت|STATEMENT] مصادر أمنية في {LOC.city:place} {DATE.day:time} إن مسلحين ينتمون إلى {ORG.armed:attacker} "
          "[هاجموا|ATTACK] نقطة تفتيش مشتركة على الطريق الدولي قرب {LOC.area:place}، قبل أن [ينسحبوا|WITHDRAWAL] "
          "باتجاه المناطق الصحراوية، ما أدى إلى [مقتل|KILL] جنديين وإصابة ثلاثة آخرين بجروح متفاوتة"),
    ("S", "{ATTACK.past} {ORG.mil:attacker!} مواقع ل{ORG.armed:target} في {LOC.area:place} {DATE.day:time}"),
    ("S", "و{KILL.past} {ORG.mil:agent!} <قياديا/عنصرين> في {ORG.armed:victim} خلال عملية <أمنية/خاصة> في "
          "{LOC.area:place} {DATE.day:time}"),
    ("S", "{ORG.sec:agent!} {ARREST.past} {PER.mil:person} في {LOC.city:place} {DATE.day:time} "
          "<بعد عملية رصد استمرت أسابيع/إثر معلومات استخبارية>"),
    ("P", "{MEETING.past} {PER.pol:participant!} <السفير/المبعوث الأممي> {PER.pol#2:participant} في "
          "{LOC.city:place} {DATE.day:time} <لبحث الأوضاع الأمنية/لمناقشة ملف النازحين>"),
    ("SP", "{STATEMENT.past} {ORG.intl:speaker!} أن [المعارك|ATTACK] في {LOC.area:place} <أدت إلى/تسببت في> "
           "نزوح <آلاف/مئات> العائلات خلال {DATE.per:time}"),
    ("S", "ف{WITHDRAWAL.past} {ORG.armed:agent!} من {LOC.area:origin} <عقب/بعد> {ATTACK.noun} {DATE.day:time}، "
          "<وفق/حسب> {ORG.agency:source}"),
    ("S", "<بعد/عقب> أيام من {KILL.suffixed}، [كشف~كشفت|STATEMENT] {ORG.agency:speaker!} هوية <المنفذين/المسلحين> في "
          "{LOC.city:place}"),
]

# Dev: written separately from train and test, with their own structures, so that dev scores measure
# generalisation the way test does and can select a checkpoint.
DEV_TEMPLATES = [
    ("S", "في حادث هو الأول من نوعه منذ {DATE.pt:time}، [استهدفت|ATTACK] قذائف صاروخية {LOC.area:target} "
          "في {LOC.city:place}"),
    ("S", "[مقتل|KILL] <أكثر من عشرة/نحو خمسة عشر> أشخاص في [هجوم|ATTACK] <دام/انتحاري> على سوق في {LOC.city:place}، "
          "و{ORG.armed:attacker!} <يتبنى~تتبنى>"),
    ("S", "مصدر في {ORG.agency:source}: [مقتل|KILL] <أربعة/ثلاثة> عناصر من {ORG.armed:victim} بضربة جوية "
          "<قرب/شمال> {LOC.city:place}"),
    ("S", "{ORG.mil:agent!} <يستعيد~تستعيد> السيطرة على {LOC.area:place} بعد [انسحاب|WITHDRAWAL] مسلحي "
          "{ORG.armed:agent} منها {DATE.day:time}"),
    ("S", "أكثر من <عشرين/ثلاثين> شخصا [اعتقلوا|ARREST] خلال عملية دهم في {LOC.area:place} {DATE.day:time}، "
          "<بينهم/منهم> مطلوبون <للقضاء/بتهم إرهاب>"),
    ("S", "على أثر [الاشتباكات|ATTACK] التي اندلعت {DATE.day:time} في {LOC.city:place}، <فرضت/اتخذت> السلطات "
          "إجراءات <مشددة/استثنائية> في {LOC.area:place}"),
    ("S", "[مصرع|KILL] {PER.mil:victim} القيادي في {ORG.armed:victim_org} <في كمين/بنيران> {ORG.mil:agent} "
          "<قرب/غرب> {LOC.city:place}"),
    ("SP", "<رئيس الوزراء/وزير الخارجية> {PER.pol:participant} و{PER.pol#2:participant} <يبحثان/يناقشان> "
           "<ملف المياه/أمن الحدود> في [اجتماع|MEETING] <مغلق/مطول> ب{LOC.city:place}"),
    ("P", "<بعد قطيعة دامت سنوات/في خطوة لافتة>، [استقبل|MEETING] {PER.pol:participant} نظيره "
          "{PER.pol#2:participant} في {LOC.city:place} {DATE.day:time}"),
    ("P", "انطلقت {DATE.day:time} في {LOC.city:place} [محادثات|MEETING] <غير مباشرة/مباشرة> برعاية "
          "{ORG.intl:organizer} <لإنهاء الأزمة/لتثبيت وقف إطلاق النار>"),
    ("SP", "«<الوضع تحت السيطرة/لا تهاون مع الإرهاب>»، بهذه العبارة [علق|STATEMENT] {PER.sec:speaker} على "
           "[الهجوم|ATTACK] الأخير في {LOC.city:place}"),
    ("P", "في رد على سؤال للصحفيين، [نفى|STATEMENT] {PER.pol:speaker} وجود <خلافات/أزمة> داخل "
          "{ORG.party:subject} حول <الموازنة/تشكيل الحكومة>"),
    ("SP", "[حذرت|STATEMENT] {ORG.intl:speaker} في تقرير {DATE.day:time} من أن [القصف|ATTACK] المتواصل على "
           "{LOC.area:place} يهدد حياة <آلاف/عشرات الآلاف> من المدنيين"),
    ("P", "{ORG.party:agent!} <يقرر~تقرر> [الانسحاب|WITHDRAWAL] من <جلسة البرلمان/المفاوضات> احتجاجا على "
          "<تأجيل التصويت/غياب التوافق>"),
    ("S", "[اعتقال|ARREST] {PER.mil:person} في {LOC.city:place} بعد <ملاحقة/مطاردة> استمرت <أشهرا/أسابيع>، "
          "<حسب/وفق> {ORG.media:source}"),
    ("S", "أسفرت [الغارات|ATTACK] التي شنها {ORG.mil:attacker} على {LOC.area:place} {DATE.day:time} عن "
          "[مقتل|KILL] <عدد من/العشرات من> المسلحين"),
    ("E", "<تراجعت/ارتفعت> احتياطيات {ORG.bank:subject} من العملة الصعبة إلى <60/75/82> مليار دولار "
          "<بنهاية/في> {DATE.per:time}"),
    ("E", "{ORG.oil:agent} <تستأنف/تعلق> العمل في {LOC.field:place} <بعد/بسبب> <خلافات مالية/أعمال صيانة> "
          "<استمرت أسابيع/مع الشركاء>"),
    ("EP", "صادق {ORG.parl:agent} على اتفاقية قرض بقيمة <مليار/ملياري> دولار من {ORG.bank:lender} لتمويل "
           "مشاريع <الكهرباء/المياه> في {LOC.country:place}"),
    ("P", "خرج <مئات/آلاف> المحتجين إلى شوارع {LOC.city:place} {DATE.day:time} <مطالبين بإصلاحات/رافضين "
          "لنتائج الانتخابات>"),
    ("S", "بعد ساعات من [اقتحام|ATTACK] مسلحين مبنى حكوميا في {LOC.city:place}، <تمكنت/نجحت> "
          "{ORG.mil:agent} من [قتل|KILL] <اثنين منهم/المهاجمين> و[اعتقال|ARREST] <آخر/ثالث>"),
    ("SP", "«[سننسحب|WITHDRAWAL] من {LOC.area:origin} خلال {DATE.fut:time}»، [أكد|STATEMENT] متحدث باسم "
           "{ORG.mil:agent} في مؤتمر صحفي"),
]

TEST_TEMPLATES = [
    ("S", "{DATE.day}، [هاجم|ATTACK] مسلحون <يرتدون زيا عسكريا/مجهولون> منزل {PER.pol} في {LOC.area} "
          "<شمالي/جنوبي> {LOC.city}، <دون أن يصاب بأذى/وأصابوا اثنين من حراسه>"),
    ("S", "وفي {LOC.city}، [أفاد|STATEMENT] مصدر في {ORG.agency} بأن [انفجار|ATTACK] عبوة ناسفة "
          "[أودى بحياة|KILL] <ثلاثة من/اثنين من/عدد من> المارة قرب {LOC.area} {DATE.day}"),
    ("S", "[مصرع|KILL] <أربعة/ستة> من مسلحي {ORG.armed} و[اعتقال|ARREST] <آخرين/اثنين آخرين> في عملية "
          "<مشتركة/استباقية> <نفذها~نفذتها> {ORG.mil!} في {LOC.area}"),
    ("S", "<بحسب/وفق> ما [أوضحه|STATEMENT] <الناطق باسم/المتحدث باسم> {ORG.agency} {PER.sec}، فإن "
          "<المسلحين/عناصر التنظيم> [انسحبوا|WITHDRAWAL] من {LOC.area} <باتجاه/نحو> {LOC.country} "
          "{DATE.day}"),
    ("S", "[اقتحم|ATTACK] مسلحون تابعون ل{ORG.armed} مبنى <البلدية/المجلس المحلي> في {LOC.city}، قبل أن "
          "[ينسحبوا|WITHDRAWAL] منه <مع وصول/عند وصول> تعزيزات من {ORG.mil}"),
    ("S", "لا يزال الغموض يلف ظروف [اغتيال|KILL] {PER.pol} الذي عثر على جثته في {LOC.area} {DATE.day}، "
          "<وسط تكتم أمني/بعد أيام من اختفائه>"),
    ("P", "خلال [لقاء|MEETING] جمعهما في {LOC.city} {DATE.day}، ناقش {PER.pol} و{PER.pol#2} "
          "<سبل تعزيز العلاقات/آخر مستجدات الأزمة السياسية>"),
    ("P", "[مباحثات|MEETING] <ثنائية/مطولة> بين {PER.pol} و{PER.pol#2} في {LOC.city} <تركزت على/تناولت> "
          "<ملف المياه/أمن الحدود/التبادل التجاري>، <وفق/حسب> بيان رسمي"),
    ("P", "من المقرر أن [يلتقي|MEETING] {PER.pol} <بنظيره/مع> {PER.pol#2} في {LOC.city} خلال {DATE.fut} "
          "لبحث <الملف النووي/التعاون في مجال الطاقة>"),
    ("P", "تنطلق في {LOC.city} {DATE.fut} أعمال [القمة|MEETING] <العربية/الخليجية> بمشاركة "
          "<قادة/زعماء> الدول الأعضاء في {ORG.intl}"),
    ("S", "{ORG.agency}: [توقيف|ARREST] <خمسة/ثلاثة> مطلوبين في {LOC.city} <بينهم/أحدهم> متورط في "
          "[تفجير|ATTACK] {LOC.area}"),
    ("SP", "يدخل [احتجاز|ARREST] الناشط {PER.pol} لدى {ORG.sec} في {LOC.city} أسبوعه الثالث، "
           "<وسط مطالبات حقوقية بالإفراج عنه/في ظل صمت رسمي>"),
    ("E", "<أرباح/إيرادات> {ORG.bank} <ترتفع/تقفز> إلى <1.2/2.4/3.1> تريليون دينار في {DATE.year}"),
    ("EP", "في ظل تراجع أسعار الخام، <اضطرت/سعت> الحكومة في {LOC.country} إلى <الاقتراض من/طلب دعم> "
           "{ORG.bank} لتغطية رواتب <الموظفين/القطاع العام> حتى {DATE.fut}"),
    ("E", "من المتوقع أن <يرتفع/يتراجع> إنتاج {LOC.field} إلى <300/450> ألف برميل يوميا مع حلول {DATE.fut}، "
          "<حسبما/وفق ما> [أوضح|STATEMENT] <مدير الحقل/المهندس> {PER.eco}"),
    ("E", "{DATE.day}، <دشن/افتتح> {PER.eco} <المرحلة الثانية من/مشروع توسعة> {LOC.port} بكلفة "
          "<تتجاوز/تقارب> <مليار/600 مليون> دولار"),
    ("E", "قفزت الصادرات غير النفطية من {LOC.country} إلى {LOC.country#2} بنسبة <30/18/25> بالمئة خلال "
          "{DATE.per} مدفوعة بالطلب على <المنتجات الزراعية/مواد البناء>"),
    ("S", "[غارة|ATTACK] <بطائرة مسيرة/جوية> [تستهدف/استهدفت|ATTACK] سيارة <تقل/كانت تقل> {PER.mil} "
          "<قرب/على أطراف> {LOC.city}، و<أنباء عن/معلومات عن> [مصرعه|KILL]"),
    ("S", "<ثلاث/أربع> [هجمات|ATTACK] متزامنة <تهز/طالت> {LOC.city} و{LOC.city#2} {DATE.day}، "
          "<وتبناها/وقد تبناها> {ORG.armed} <لاحقا/في وقت لاحق>"),
    ("S", "[انسحاب|WITHDRAWAL] <مفاجئ/تدريجي> ل{ORG.armed} من {LOC.area} بعد <أسبوع/أيام> من "
          "[المعارك|ATTACK] مع {ORG.mil}، <وفق/حسب> <شهود عيان/سكان محليين>"),
    ("SP", "ستكتمل عملية [سحب|WITHDRAWAL] <المستشارين/الجنود> الأجانب من {LOC.area} قبل {DATE.fut}، "
           "بحسب ما [كشفه|STATEMENT] مسؤول في {ORG.exec}"),
    ("S", "<حاصر~حاصرت> {ORG.mil!} مواقع {ORG.armed} في {LOC.area} لأيام، ف[انسحب|WITHDRAWAL] المسلحون "
          "<باتجاه/نحو> {LOC.area#2} <تحت جنح الظلام/>"),
    ("P", "بعد [انسحاب|WITHDRAWAL] نواب {ORG.party} من الجلسة، <أرجأ~أرجأت> {ORG.parl!} التصويت على "
          "<قانون الموازنة/قانون الانتخابات> إلى {DATE.fut}"),
    ("S", "<بث~بثت> {ORG.armed!} <مقطعا مصورا/تسجيلا مرئيا> يظهر [إعدام|KILL] <عدد من/خمسة من> المختطفين "
          "في {LOC.area}، <حسبما/بحسب ما> [أفادت|STATEMENT] {ORG.media}"),
    ("S", "[قضى|KILL] <جنديان/ثلاثة جنود/شرطيان> من {ORG.mil} إثر [انفجار|ATTACK] عبوة ناسفة في {LOC.area} "
          "{DATE.day}"),
    ("SP", "<أكثر من عشرين/نحو ثلاثين> <متظاهرا/ناشطا> [اعتقلوا|ARREST] في {LOC.area} ب{LOC.city} خلال "
           "{DATE.per}، <وفق/حسب> {ORG.intl}"),
    ("P", "<من جهته~من جهتها>، [أشار~أشارت|STATEMENT] <النائب~النائبة/السفير~السفيرة> {PER.pol!} إلى أن "
          "<المفاوضات/المحادثات> مع {ORG.intl} <وصلت إلى طريق مسدود/تسير في الاتجاه الصحيح>"),
    ("P", "<«لن نسمح بعودة الإرهاب»/«الحوار هو الطريق الوحيد»/«الانتخابات ستجري في موعدها»>، "
          "[قال|STATEMENT] {PER.pol} خلال زيارته {LOC.city} {DATE.day}"),
    ("SP", "[كشف|STATEMENT] التقرير الصادر عن {ORG.intl} أن [المعارك|ATTACK] في {LOC.country} "
           "<تسببت بنزوح/أدت إلى نزوح> <آلاف/مئات الآلاف> من السكان خلال {DATE.per}"),
    ("P", "{PER.pol} [يلتقي/يستقبل|MEETING] <وفدا من/ممثلي> {ORG.intl} في {LOC.city} "
          "<ويبحث معهم/لبحث> <ملف النازحين/الإصلاحات الانتخابية>"),
    ("E", "على وقع <ارتفاع/انخفاض> أسعار النفط، <حققت/سجلت> {ORG.oil} <أرباحا/إيرادات> "
          "<قياسية/غير مسبوقة> خلال {DATE.per}"),
    ("E", "<قرار/مقترح> {ORG.bank} <تعويم/تعديل> سعر الصرف <يثير/أثار> جدلا واسعا في أوساط التجار في "
          "{LOC.city}"),
    ("EP", "تدخل اتفاقية <إنشاء خط أنابيب/التجارة الحرة> بين {LOC.country} و{LOC.country#2} حيز التنفيذ في "
           "{DATE.pt}، <بعد مصادقة/عقب مصادقة> {ORG.parl} عليها"),
    ("S", "<قوة خاصة/وحدة خاصة> من {ORG.mil} [اقتحمت|ATTACK] <مخبأ/وكرا> ل{ORG.armed} في {LOC.area} "
          "{DATE.day} و[قتلت|KILL] <ثلاثة/أربعة> مسلحين كانوا بداخله"),
    ("S", "<ضبط~ضبطت> {ORG.agency!} شحنة أسلحة <مهربة/> في {LOC.area} {DATE.day} و[احتجز~احتجزت|ARREST] "
          "<سائقها/ثلاثة أشخاص>"),
    ("S", "<وحدات/ألوية> من {ORG.mil} [تنسحب|WITHDRAWAL] من {LOC.city} وتسلم الملف الأمني إلى {ORG.mil#2}"),
    ("SP", "[صرّح|STATEMENT] مسؤول رفيع في {ORG.exec} لـ{ORG.media} بأن الحكومة تدرس مقترحا ل[سحب|WITHDRAWAL] "
           "<القوات/الوحدات> المنتشرة في {LOC.area} خلال {DATE.fut}"),
    ("S", "<بعد/عقب> <ساعات/يومين> من [توقيفه|ARREST] في {LOC.city}، <أحال~أحالت> {ORG.agency!} {PER.mil} "
          "إلى القضاء بتهمة <تمويل الإرهاب/حيازة أسلحة غير مرخصة>"),
]
# fmt: on
