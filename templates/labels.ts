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
  pageOf: (page: number, count: number) => `الصفحة ${page} من ${count}`,
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
} as const;
