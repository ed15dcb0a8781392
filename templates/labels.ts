/** Every fixed Arabic string readers see, in one place. */
export const labels = {
  skipToContent: "انتقل إلى المحتوى",
  sectionsNav: "الأقسام",
  showMore: "إظهار المزيد",
  newer: "الأحدث",
  backToTop: "زر الذهاب إلى الأعلى",
  published: "نُشر في",
  updated: "آخر تحديث",
  readingTime: "مدة القراءة",
  correction: "تصحيح",
  /** "دقيقة، دقيقتان، 3-10 دقائق، 11 دقيقة وأكثر", by the plural category of the number of minutes. */
  minutes: {
    zero: (count: string) => `${count} دقيقة`,
    one: () => "دقيقة",
    two: () => "دقيقتان",
    few: (count: string) => `${count} دقائق`,
    many: (count: string) => `${count} دقيقة`,
    other: (count: string) => `${count} دقيقة`,
  },
  by: "بقلم",
  source: "المصدر",
  photoCredit: "تصوير",
  tags: "الوسوم",
  tag: "وسم",
  authors: "الكتّاب",
  stories: "القصص",
  story: "القصة",
  wholeStory: "القصة كاملة",
  chronology: "التسلسل الزمني للقصة",
  archive: "أرشيف",
  otherMonths: "أشهر أخرى",
  olderMonth: "الشهر السابق",
  newerMonth: "الشهر التالي",
  related: "مقالات ذات صلة",
  moreIn: (category: string) => `المزيد من ${category}`,
  /** Numbered page k of a listing, counted from its oldest articles. */
  pageNumber: (page: number) => `الصفحة ${page}`,
  /** The pager of a listing's first page, which has no number. */
  otherPages: "صفحات أخرى",
  noArticles: "لا توجد مقالات في هذا القسم بعد.",
  draft: "مسودة",
  notFoundTitle: "الصفحة غير موجودة",
  notFoundText: "لم نجد الصفحة التي طلبتها. ربما نُقلت أو حُذفت، أو أن الرابط غير صحيح.",
  backHome: "العودة إلى الصفحة الرئيسية",
  latest: "آخر الأخبار",
  /**
   * The home page's lead block: named apart from the lead category's own section below it, so no two regions share a
   * name.
   */
  leadStories: "أهم الأخبار",
  search: {
    /** The header's link to the search page. */
    link: "بحث",
    heading: "البحث في الأرشيف",
    label: "ابحث عن",
    category: "القسم",
    allCategories: "كل الأقسام",
    sort: "الترتيب",
    best: "الأقرب إلى البحث",
    newest: "الأحدث أولًا",
    submit: "ابحث",
    searching: "جارٍ البحث…",
    /** After the count: which years' articles were searched (the newest first; `{years}` like 2024–2026). */
    within: "في مقالات {years}",
    /** The button that adds the next older part of the archive to the search. */
    older: "ابحث أيضًا في مقالات {years}",
    none: "لا نتائج لهذا البحث. جرّب كلمة أخرى أو قسمًا آخر.",
    failed: "تعذّر البحث الآن. أعد المحاولة بعد قليل، أو تصفّح الأرشيف من الروابط أدناه.",
    /** The number of results, by its plural category (`{n}` is the number in the site's digits). */
    results: {
      one: "نتيجة واحدة",
      two: "نتيجتان",
      few: "{n} نتائج",
      many: "{n} نتيجة",
      other: "{n} نتيجة",
    },
    needsScript:
      "يحتاج البحث إلى تفعيل JavaScript في المتصفح. يمكنك من دونه تصفّح الأرشيف بالأقسام والوسوم والكتّاب والسنوات:",
    browse: "تصفّح الأرشيف",
  },
} as const;
