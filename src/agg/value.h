// Values inside answers: numbers, dates, and the canonical form answers are
// compared in.
//
// A bare integer such as "1971" is a number, never a date, for ParseNumber,
// ParseDate (unless asked) and NormalizeAnswer alike; a year is ordered the
// same either way, so nothing is lost. Only when a comparison also holds
// full dates (see aggregate.h) is a bare year read as a date.
//
// Everything here accepts any byte string, invalid UTF-8 included.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace nldb::agg {

// A calendar date; month and day are 0 when the text did not give them.
// Ordered by year, then month, then day, so "March 1971" (1971-03-00)
// comes just before "1 March 1971".
struct Date {
  int year = 0;   // 1..9999
  int month = 0;  // 1..12, or 0
  int day = 0;    // 1..31, or 0 (always 0 when month is 0)
  auto operator<=>(const Date&) const = default;
};

// What a number's suffix says it counts: nothing in particular (no suffix,
// or a scale word such as "million"), a percentage, or a length.
enum class NumberUnit { kNone, kPercent, kLength };

// The number `s` states, or nullopt. Accepted, around optional whitespace:
// an optional sign, digits with an optional fraction ("-4.5", "128217.0"),
// where commas may group the integer digits in threes ("15,388,000" but
// not "1,23"), then optionally one suffix (case-insensitive, with or
// without a space before it):
//   "%", "percent", "per cent"                    the number itself
//   "thousand", "million", "billion", "trillion"  times 10^3, 6, 9, 12
//   lengths, converted to metres: "m", "metre(s)", "meter(s)", "cm",
//   "centimetre(s)", "centimeter(s)", "mm", "millimetre(s)",
//   "millimeter(s)", "km", "kilometre(s)", "kilometer(s)".
// Anything else ("Lyon", "1971-03-03", "3 March 1971", "1e5") is not a
// number. The result is the correctly rounded double of the decimal value
// ("182 cm" is exactly the double 1.82). For a number, `*unit` (when not
// null) is set to the unit its suffix names.
std::optional<double> ParseNumber(std::string_view s, NumberUnit* unit = nullptr);

// The date `s` states, or nullopt. Accepted, case-insensitive, with full
// or three-letter month names ("Sept" too, a trailing "." allowed), commas
// and an "of" ignored, ordinal day suffixes allowed ("3rd"):
//   "3 March 1971", "3rd of March, 1971", "March 3, 1971", "Mar 3 1971",
//   "1971-03-03" (or "1971-3-3"), "1971-03", "March 1971",
//   and a bare four-digit year "1971" only when `allow_bare_year`.
// Years have four digits; a day must exist in its month ("30 February
// 1971" is not a date).
std::optional<Date> ParseDate(std::string_view s, bool allow_bare_year = false);

// `d` in ISO form: "1971-03-03", "1971-03" or "1971".
std::string FormatDate(const Date& d);

// The shortest decimal that reads back as `x`, without exponent, sign for
// zero or trailing zeros: 128217 -> "128217", 1.5 -> "1.5", -0 -> "0";
// "inf", "-inf" or "nan" for those.
std::string FormatNumber(double x);

// `s` with ASCII whitespace runs made one space and the ends trimmed of
// whitespace and of trailing ". , ; : ! ?" ("+128217. " -> "+128217").
std::string CleanAnswer(std::string_view s);

// The canonical form two answers are compared in (they match when these are
// equal): CleanAnswer, with ASCII letters lowercased (other bytes are kept as
// they are). Then a date becomes its FormatDate
// ("March 3, 1971" -> "1971-03-03"), else a number its FormatNumber
// ("+128217", "128,217", "128217.0" -> "128217"), else the text stays.
// So "TRUE" -> "true" and "St Albans City F.C." -> "st albans city f.c".
std::string NormalizeAnswer(std::string_view s);

}  // namespace nldb::agg
