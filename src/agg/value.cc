#include "agg/value.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <vector>

namespace nldb::agg {
namespace {

bool IsSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return !s.empty();
}

int ToInt(std::string_view digits) {  // at most 4 digits, checked by callers
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

struct Suffix {
  std::string_view name;
  int exponent;  // the power of ten it multiplies by
  NumberUnit unit;
};

// The ParseNumber suffix `suffix` (lowercase, trimmed), or nullptr when it is not one.
const Suffix* FindSuffix(std::string_view suffix) {
  using enum NumberUnit;
  static constexpr Suffix kSuffixes[] = {
      {"", 0, kNone}, {"%", 0, kPercent}, {"percent", 0, kPercent}, {"per cent", 0, kPercent},
      {"thousand", 3, kNone}, {"million", 6, kNone}, {"billion", 9, kNone}, {"trillion", 12, kNone},
      {"m", 0, kLength}, {"metre", 0, kLength}, {"metres", 0, kLength}, {"meter", 0, kLength},
      {"meters", 0, kLength}, {"cm", -2, kLength}, {"centimetre", -2, kLength},
      {"centimetres", -2, kLength}, {"centimeter", -2, kLength}, {"centimeters", -2, kLength},
      {"mm", -3, kLength}, {"millimetre", -3, kLength}, {"millimetres", -3, kLength},
      {"millimeter", -3, kLength}, {"millimeters", -3, kLength}, {"km", 3, kLength},
      {"kilometre", 3, kLength}, {"kilometres", 3, kLength}, {"kilometer", 3, kLength},
      {"kilometers", 3, kLength},
  };
  for (const Suffix& u : kSuffixes) {
    if (u.name == suffix) return &u;
  }
  return nullptr;
}

// 1..12 for a month name or its abbreviation (lowercase), else 0.
int MonthNumber(std::string_view word) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  if (word == "sept") return 9;
  for (int m = 0; m < 12; ++m) {
    if (word == kMonths[m] || (word.size() == 3 && kMonths[m].starts_with(word))) return m + 1;
  }
  return 0;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// `d` when its fields make a real date, else nullopt.
std::optional<Date> Checked(Date d) {
  if (d.year < 1 || d.month < 0 || d.month > 12 || d.day < 0) return std::nullopt;
  if (d.month == 0 && d.day != 0) return std::nullopt;
  if (d.day != 0 && d.day > DaysInMonth(d.year, d.month)) return std::nullopt;
  return d;
}

// "1971-03-03" or "1971-03", with one- or two-digit month and day.
std::optional<Date> ParseIsoDate(std::string_view s) {
  std::vector<std::string_view> parts;
  for (size_t dash; (dash = s.find('-')) != std::string_view::npos; s.remove_prefix(dash + 1)) {
    parts.push_back(s.substr(0, dash));
  }
  parts.push_back(s);
  if (parts.size() < 2 || parts.size() > 3 || parts[0].size() != 4) return std::nullopt;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (!AllDigits(parts[i]) || (i > 0 && parts[i].size() > 2)) return std::nullopt;
  }
  Date d{ToInt(parts[0]), ToInt(parts[1]), parts.size() == 3 ? ToInt(parts[2]) : 0};
  if (d.month == 0 || (parts.size() == 3 && d.day == 0)) return std::nullopt;
  return Checked(d);
}

}  // namespace

std::optional<double> ParseNumber(std::string_view s, NumberUnit* unit) {
  s = Trim(s);
  std::string decimal;  // what from_chars reads: [-]digits[.digits]e<exponent>
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    if (s[i] == '-') decimal += '-';
    ++i;
  }
  size_t digits = 0, group = 0;  // digits in all, and since the last comma
  bool grouped = false;
  for (; i < s.size(); ++i) {
    if (IsDigit(s[i])) {
      decimal += s[i];
      ++digits;
      ++group;
    } else if (s[i] == ',' && i + 1 < s.size() && IsDigit(s[i + 1]) &&
               group >= 1 && group <= 3 && (!grouped || group == 3)) {
      grouped = true;
      group = 0;
    } else {
      break;
    }
  }
  if (grouped && group != 3) return std::nullopt;
  if (i + 1 < s.size() && s[i] == '.' && IsDigit(s[i + 1])) {
    decimal += s[i++];
    for (; i < s.size() && IsDigit(s[i]); ++i, ++digits) decimal += s[i];
  }
  if (digits == 0) return std::nullopt;
  const Suffix* suffix = FindSuffix(ToLower(Trim(s.substr(i))));
  if (!suffix) return std::nullopt;
  decimal += 'e' + std::to_string(suffix->exponent);
  double value;
  const auto [end, ec] = std::from_chars(decimal.data(), decimal.data() + decimal.size(), value);
  if (ec != std::errc() || end != decimal.data() + decimal.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  if (unit) *unit = suffix->unit;
  return value;
}

std::optional<Date> ParseDate(std::string_view s, bool allow_bare_year) {
  s = Trim(s);
  if (std::optional<Date> iso = ParseIsoDate(s)) return iso;
  // Tokens split on whitespace and commas, each a month, day or year.
  enum Kind : char { kMonth = 'M', kDay = 'D', kYear = 'Y' };
  std::string kinds;
  std::vector<int> values;
  const std::string lower = ToLower(s);
  std::string_view rest = lower;
  while (true) {
    while (!rest.empty() && (IsSpace(rest.front()) || rest.front() == ',')) rest.remove_prefix(1);
    if (rest.empty()) break;
    size_t n = 0;
    while (n < rest.size() && !IsSpace(rest[n]) && rest[n] != ',') ++n;
    std::string_view word = rest.substr(0, n);
    rest.remove_prefix(n);
    if (word == "of") continue;
    if (word.size() > 2 && word.back() == '.') word.remove_suffix(1);
    size_t num = 0;
    while (num < word.size() && IsDigit(word[num])) ++num;
    const std::string_view suffix = word.substr(num);
    if (int month = MonthNumber(word)) {
      kinds += kMonth;
      values.push_back(month);
    } else if (num == 4 && suffix.empty()) {
      kinds += kYear;
      values.push_back(ToInt(word));
    } else if ((num == 1 || num == 2) && ToInt(word.substr(0, num)) > 0 &&
               (suffix.empty() || suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th")) {
      kinds += kDay;
      values.push_back(ToInt(word.substr(0, num)));
    } else {
      return std::nullopt;
    }
  }
  if (kinds == "DMY") return Checked({values[2], values[1], values[0]});
  if (kinds == "MDY") return Checked({values[2], values[0], values[1]});
  if (kinds == "MY") return Checked({values[1], values[0], 0});
  if (kinds == "Y" && allow_bare_year) return Checked({values[0], 0, 0});
  return std::nullopt;
}

std::string FormatDate(const Date& d) {
  char buf[32];
  if (d.month == 0) {
    std::snprintf(buf, sizeof buf, "%04d", d.year);
  } else if (d.day == 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02d", d.year, d.month);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  }
  return buf;
}

std::string FormatNumber(double x) {
  if (x == 0) return "0";  // not "-0"
  char buf[400];  // the longest is a tiny negative denormal: "-0." and 323 zeros and a digit
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed);
  return std::string(buf, ec == std::errc() ? end : buf);
}

std::string CleanAnswer(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : Trim(s)) {
    if (!IsSpace(c)) {
      out += c;
    } else if (out.back() != ' ') {  // Trim keeps a non-space first byte
      out += ' ';
    }
  }
  while (!out.empty() && std::string_view(" .,;:!?").find(out.back()) != std::string_view::npos) {
    out.pop_back();
  }
  return out;
}

std::string NormalizeAnswer(std::string_view s) {
  std::string out = CleanAnswer(s);
  for (char& c : out) c = Lower(c);
  if (std::optional<Date> d = ParseDate(out)) return FormatDate(*d);
  if (std::optional<double> x = ParseNumber(out)) return FormatNumber(*x);
  return out;
}

}  // namespace nldb::agg
