import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { DateStyle } from "../src/site/config.ts";
import { type ArticleDate, formatArabicDate, parseArticleDate } from "../src/site/dates.ts";

const zone = "Asia/Yerevan";
const seedStyle: DateStyle = { months: "both", digits: "latn", hijri: false };

/** Parses a value that must be accepted, failing the test with the parser's message otherwise. */
function accepted(value: string, timeZone = zone): ArticleDate {
  const parsed = parseArticleDate(value, timeZone);
  assert.ok(!("error" in parsed), `"${value}" was rejected: ${"error" in parsed ? parsed.error : ""}`);
  return parsed;
}

/** Parses a value that must be rejected and returns the error text. */
function rejected(value: string): string {
  const parsed = parseArticleDate(value, zone);
  assert.ok("error" in parsed, `"${value}" was accepted as ${"iso" in parsed ? parsed.iso : ""}`);
  return parsed.error;
}

const parse = suite("parseArticleDate");

parse("a day without a time stays a date-only value", () => {
  const date = accepted("2022-01-08");
  assert.is(date.iso, "2022-01-08");
  assert.is(date.dateOnly, true);
  assert.is(date.dateTime.zoneName, zone);
  assert.is(date.dateTime.toISO(), "2022-01-08T00:00:00.000+04:00");
});

parse("impossible offsets are refused, not rolled into another day", () => {
  for (const value of ["2022-01-08T14:30+99:99", "2022-01-08T14:30+25:00", "2022-01-08T14:30-23:75"]) {
    const result = parseArticleDate(value, zone);
    assert.ok("error" in result, `${value} must be refused`);
    assert.match(result.error, `"${value}" has an impossible time zone offset`);
  }
  assert.is(accepted("2022-01-08T14:30+14:00").iso, "2022-01-08T14:30+14:00");
});

parse("a time without an offset is read in the newsroom's zone", () => {
  const date = accepted("2022-01-08T14:30");
  assert.is(date.iso, "2022-01-08T14:30+04:00");
  assert.is(date.dateOnly, false);
  assert.is(date.dateTime.zoneName, zone);
  assert.is(date.dateTime.toUTC().toISO(), "2022-01-08T10:30:00.000Z");
});

parse("the zone decides the offset of a time written without one", () => {
  const date = accepted("2022-07-08T14:30", "Europe/Berlin");
  assert.is(date.iso, "2022-07-08T14:30+02:00");
  assert.is(date.dateTime.toUTC().toISO(), "2022-07-08T12:30:00.000Z");
});

parse("seconds are kept when written", () => {
  const date = accepted("2022-01-08T14:30:15");
  assert.is(date.iso, "2022-01-08T14:30:15+04:00");
  assert.is(date.dateOnly, false);
  assert.is(date.dateTime.second, 15);
});

parse("an explicit offset is kept in iso and the instant is right", () => {
  const date = accepted("2022-01-08T14:30+02:00");
  assert.is(date.iso, "2022-01-08T14:30+02:00");
  assert.is(date.dateOnly, false);
  assert.is(date.dateTime.toUTC().toISO(), "2022-01-08T12:30:00.000Z");
  // Shown in the newsroom's zone.
  assert.is(date.dateTime.zoneName, zone);
  assert.is(date.dateTime.hour, 16);
});

parse("Z is kept in iso and read as UTC", () => {
  const date = accepted("2022-01-08T14:30Z");
  assert.is(date.iso, "2022-01-08T14:30Z");
  assert.is(date.dateTime.toUTC().toISO(), "2022-01-08T14:30:00.000Z");
  assert.is(date.dateTime.hour, 18);
});

parse("29 February is accepted in a leap year", () => {
  const date = accepted("2024-02-29");
  assert.is(date.iso, "2024-02-29");
  assert.is(date.dateTime.month, 2);
  assert.is(date.dateTime.day, 29);
});

for (const bad of [
  "2022-13-45",
  "2022-02-30",
  "2022-02-29",
  "08/01/2022",
  "yesterday",
  "2022-1-8",
  "2022-01-08T25:00",
]) {
  parse(`"${bad}" is rejected with an error naming it and the accepted forms`, () => {
    const error = rejected(bad);
    assert.match(error, `"${bad}"`);
    assert.match(error, "2022-01-08T14:30");
  });
}

parse("impossible dates are reported as not real, not as a bad shape", () => {
  assert.match(rejected("2022-13-45"), "not a real date");
  assert.match(rejected("2022-02-30"), "not a real date");
  assert.match(rejected("2022-02-29"), "not a real date");
  assert.match(rejected("2022-01-08T25:00"), "not a real date");
  assert.match(rejected("08/01/2022"), "is not an ISO 8601 date");
});

parse.run();

const format = suite("formatArabicDate");

const jan7 = () => accepted("2022-01-07");

format("the default style writes both month names with Western digits", () => {
  assert.is(formatArabicDate(jan7(), seedStyle), "7 كانون الثاني/يناير 2022");
});

format("levantine month names", () => {
  assert.is(formatArabicDate(jan7(), { months: "levantine", digits: "latn", hijri: false }), "7 كانون الثاني 2022");
});

format("egyptian month names", () => {
  assert.is(formatArabicDate(jan7(), { months: "egyptian", digits: "latn", hijri: false }), "7 يناير 2022");
});

format("Eastern Arabic digits", () => {
  assert.is(formatArabicDate(jan7(), { months: "both", digits: "arab", hijri: false }), "٧ كانون الثاني/يناير ٢٠٢٢");
});

format("a time follows the date after an Arabic comma", () => {
  assert.is(formatArabicDate(accepted("2022-01-07T20:00"), seedStyle), "7 كانون الثاني/يناير 2022، 20:00");
  assert.is(
    formatArabicDate(accepted("2022-01-07T09:05"), { months: "egyptian", digits: "arab", hijri: false }),
    "٧ يناير ٢٠٢٢، ٠٩:٠٥",
  );
});

format("Hijri dates follow the Gregorian ones, in the Umm al-Qura calendar, with the configured digits", () => {
  const pairs = [
    [
      "2022-01-08",
      "8 كانون الثاني/يناير 2022، الموافق 5 جمادى الآخرة 1443 هـ",
      "٨ كانون الثاني/يناير ٢٠٢٢، الموافق ٥ جمادى الآخرة ١٤٤٣ هـ",
    ],
    [
      "2024-06-16",
      "16 حزيران/يونيو 2024، الموافق 10 ذو الحجة 1445 هـ",
      "١٦ حزيران/يونيو ٢٠٢٤، الموافق ١٠ ذو الحجة ١٤٤٥ هـ",
    ],
    ["2025-03-01", "1 آذار/مارس 2025، الموافق 1 رمضان 1446 هـ", "١ آذار/مارس ٢٠٢٥، الموافق ١ رمضان ١٤٤٦ هـ"],
  ];
  for (const [day, western, eastern] of pairs) {
    assert.is(formatArabicDate(accepted(day!), { ...seedStyle, hijri: true }), western);
    assert.is(formatArabicDate(accepted(day!), { ...seedStyle, digits: "arab", hijri: true }), eastern);
  }
  assert.is(
    formatArabicDate(accepted("2022-01-08T13:45"), { ...seedStyle, hijri: true }),
    "8 كانون الثاني/يناير 2022، الموافق 5 جمادى الآخرة 1443 هـ، 13:45",
    "the time comes last",
  );
});

format("all twelve months in the default style", () => {
  const months = [
    "كانون الثاني/يناير",
    "شباط/فبراير",
    "آذار/مارس",
    "نيسان/أبريل",
    "أيار/مايو",
    "حزيران/يونيو",
    "تموز/يوليو",
    "آب/أغسطس",
    "أيلول/سبتمبر",
    "تشرين الأول/أكتوبر",
    "تشرين الثاني/نوفمبر",
    "كانون الأول/ديسمبر",
  ];
  months.forEach((month, index) => {
    const value = `2022-${String(index + 1).padStart(2, "0")}-15`;
    assert.is(formatArabicDate(accepted(value), seedStyle), `15 ${month} 2022`, value);
  });
});

format("a time with an offset is shown in the newsroom's zone", () => {
  assert.is(formatArabicDate(accepted("2022-01-07T23:30-05:00"), seedStyle), "8 كانون الثاني/يناير 2022، 08:30");
});

format("output does not depend on the machine's time zone", () => {
  const saved = process.env.TZ;
  const render = () => {
    const nearMidnight = accepted("2022-01-07T23:30");
    const elsewhere = accepted("2022-01-07T23:30-05:00");
    return {
      localOffset: new Date(2022, 0, 7, 23, 30).getTimezoneOffset(),
      nearMidnight: [nearMidnight.iso, nearMidnight.dateTime.day, formatArabicDate(nearMidnight, seedStyle)],
      elsewhere: [elsewhere.iso, elsewhere.dateTime.day, formatArabicDate(elsewhere, seedStyle)],
      dateOnly: formatArabicDate(accepted("2022-01-07"), { months: "levantine", digits: "arab", hijri: false }),
    };
  };
  try {
    process.env.TZ = "America/New_York";
    const newYork = render();
    process.env.TZ = "Pacific/Kiritimati";
    const kiritimati = render();
    // The machine zone really changed between the two runs (UTC-5 vs UTC+14)...
    assert.is(newYork.localOffset, 300);
    assert.is(kiritimati.localOffset, -840);
    // ...and the dates did not.
    assert.equal(newYork.nearMidnight, ["2022-01-07T23:30+04:00", 7, "7 كانون الثاني/يناير 2022، 23:30"]);
    assert.equal(newYork.elsewhere, ["2022-01-07T23:30-05:00", 8, "8 كانون الثاني/يناير 2022، 08:30"]);
    assert.is(newYork.dateOnly, "٧ كانون الثاني ٢٠٢٢");
    assert.equal(kiritimati.nearMidnight, newYork.nearMidnight);
    assert.equal(kiritimati.elsewhere, newYork.elsewhere);
    assert.is(kiritimati.dateOnly, newYork.dateOnly);
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
});

format.run();
