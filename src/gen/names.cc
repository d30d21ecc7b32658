#include "gen/names.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "gen/gen_data.h"

namespace nldb::gen {

namespace {

using json = nlohmann::json;

constexpr const char* kIsoDir = "/usr/share/iso-codes/json/";
constexpr const char* kZoneTab = "/usr/share/zoneinfo/zone1970.tab";

// Real names with brackets, commas or slashes read badly inside sentences.
bool Clean(const std::string& name) {
  return !name.empty() && name.size() <= 32 && name.find_first_of("(),[]/;") == std::string::npos;
}

Result<json> ReadJson(const std::string& path) {
  std::ifstream f(path);
  if (!f) return Status::NotFound("cannot read " + path + " (install the iso-codes package)");
  try {
    return json::parse(f);
  } catch (const json::exception& e) {
    return Status::Corruption(path + " is not valid JSON: " + e.what());
  }
}

std::vector<std::string> ZoneCities() {
  std::vector<std::string> out;
  std::ifstream f(kZoneTab);
  std::string line;
  while (std::getline(f, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string codes, coords, zone;
    fields >> codes >> coords >> zone;
    std::string city = zone.substr(zone.rfind('/') + 1);
    for (char& c : city) c = c == '_' ? ' ' : c;
    if (Clean(city)) out.push_back(city);
  }
  return out;
}

std::string Roman(int n) {
  static const char* kRoman[] = {"II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"};
  return n < 9 ? kRoman[n] : std::to_string(n + 2);
}

template <typename T>
const T& Pick(const std::vector<T>& v, std::mt19937_64& rng) {
  return v[rng() % v.size()];
}

}  // namespace

uint64_t StableHash(std::string_view s) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

bool InSplit(std::string_view s, Split split) {
  if (split == Split::kAll) return true;
  const bool heldout = StableHash(s) % 5 == 0;
  return heldout == (split == Split::kHeldout);
}

Result<std::unique_ptr<Namer>> Namer::Create(Split entities, double initials) {
  std::unique_ptr<Namer> namer(new Namer());
  namer->initials_ = initials;
  json vocab;
  try {
    vocab = json::parse(GenData("vocabulary"));
  } catch (const json::exception& e) {
    return Status::Corruption(std::string("data/gen/vocabulary.json: ") + e.what());
  }
  auto& lists = namer->lists_;
  // Word lists are split; patterns (the shapes of names) are not.
  auto add_words = [&](const std::string& key, const json& words) {
    for (const auto& w : words) {
      const std::string s = w.get<std::string>();
      if (InSplit(s, entities)) lists[key].push_back(s);
    }
  };
  auto add_patterns = [&](const std::string& key, const json& patterns) {
    for (const auto& p : patterns) lists[key].push_back(p.get<std::string>());
  };
  try {
    add_words("first_names", vocab.at("first_names"));
    add_words("last_names", vocab.at("last_names"));
    add_words("place.prefixes", vocab.at("place_parts").at("prefixes"));
    add_words("place.roots", vocab.at("place_parts").at("roots"));
    add_words("place.suffixes", vocab.at("place_parts").at("suffixes"));
    add_patterns("organisation.patterns", vocab.at("organisation_patterns"));
    add_words("organisation.adj", vocab.at("organisation_words").at("adj"));
    add_patterns("university.patterns", vocab.at("university_patterns"));
    add_patterns("club.patterns", vocab.at("club_patterns"));
    add_patterns("league.patterns", vocab.at("league_patterns"));
    for (const char* kind : {"film", "book"}) {
      const json& t = vocab.at(std::string(kind) + "_title");
      add_patterns(std::string(kind) + ".patterns", t.at("patterns"));
      add_words(std::string(kind) + ".adj", t.at("adj"));
      add_words(std::string(kind) + ".noun", t.at("noun"));
    }
    add_patterns("invention.patterns", vocab.at("invention_patterns"));
    add_words("invention.device", vocab.at("devices"));
    add_patterns("product.patterns", vocab.at("product_patterns"));
    add_words("product.brand", vocab.at("brands"));
    add_words("product.model", vocab.at("models"));
    add_patterns("event.patterns", vocab.at("event_patterns"));
    add_patterns("attraction.patterns", vocab.at("attraction_patterns"));
    add_words("occupation", vocab.at("occupations"));
  } catch (const json::exception& e) {
    return Status::Corruption(std::string("data/gen/vocabulary.json: ") + e.what());
  }
  lists["gender"] = {"male", "female"};

  auto countries = ReadJson(std::string(kIsoDir) + "iso_3166-1.json");
  if (!countries.ok()) return countries.status();
  for (const auto& c : (*countries)["3166-1"]) {
    std::string name = c.value("common_name", c.value("name", ""));
    if (Clean(name) && InSplit(name, entities)) lists["country"].push_back(name);
  }
  auto currencies = ReadJson(std::string(kIsoDir) + "iso_4217.json");
  if (!currencies.ok()) return currencies.status();
  for (const auto& c : (*currencies)["4217"]) {
    const std::string name = c.value("name", "");
    const std::string code = c.value("alpha_3", "");
    const bool special = code.empty() || code[0] == 'X';  // gold, SDR, test codes
    if (!special && Clean(name) && InSplit(name, entities)) lists["currency"].push_back(name);
  }
  auto regions = ReadJson(std::string(kIsoDir) + "iso_3166-2.json");
  if (!regions.ok()) return regions.status();
  for (const auto& r : (*regions)["3166-2"]) {
    const std::string name = r.value("name", "");
    if (Clean(name) && InSplit(name, entities)) lists["real_place"].push_back(name);
  }
  for (const std::string& city : ZoneCities()) {
    if (InSplit(city, entities)) lists["real_place"].push_back(city);
  }
  for (const auto& [key, list] : lists) {
    if (list.empty()) return Status::Corruption("the generator's word list " + key + " is empty");
  }
  return namer;
}

const std::vector<std::string>& Namer::List(const std::string& key) const {
  static const std::vector<std::string> kNone = {"?"};
  auto it = lists_.find(key);
  return it == lists_.end() ? kNone : it->second;
}

bool Namer::IsClosedKind(const std::string& kind) const {
  return kind == "country" || kind == "currency" || kind == "gender" || kind == "occupation";
}

std::string Namer::Place(std::mt19937_64& rng) const {
  if (rng() % 2 == 0) return Pick(List("real_place"), rng);
  std::string name = Pick(List("place.roots"), rng) + Pick(List("place.suffixes"), rng);
  if (rng() % 4 == 0) name = Pick(List("place.prefixes"), rng) + " " + name;
  return name;
}

std::string Namer::Fill(const std::string& pattern, const std::string& kind,
                        std::mt19937_64& rng) const {
  std::string out;
  for (size_t i = 0; i < pattern.size();) {
    const size_t close = pattern[i] == '{' ? pattern.find('}', i) : std::string::npos;
    if (close == std::string::npos) {
      out += pattern[i++];
      continue;
    }
    const std::string slot = pattern.substr(i + 1, close - i - 1);
    i = close + 1;
    auto own_or = [&](const std::string& own, const std::string& fallback) {
      return lists_.count(kind + "." + own) ? Pick(List(kind + "." + own), rng)
                                            : Pick(List(fallback), rng);
    };
    if (slot == "surname") out += Pick(List("last_names"), rng);
    else if (slot == "place") out += Place(rng);
    else if (slot == "country") out += Pick(List("country"), rng);
    else if (slot == "root") out += Pick(List("place.roots"), rng);
    else if (slot == "adj") out += own_or("adj", "organisation.adj");
    else if (slot == "noun") out += own_or("noun", "film.noun");
    else if (slot == "device") out += Pick(List("invention.device"), rng);
    else if (slot == "brand") out += Pick(List("product.brand"), rng);
    else if (slot == "model") out += Pick(List("product.model"), rng);
    else if (slot == "year") out += std::to_string(1950 + rng() % 74);
    else out += "{" + slot + "}";
  }
  return out;
}

std::string Namer::Name(const std::string& kind, std::mt19937_64& rng,
                        std::unordered_set<std::string>& used) const {
  if (IsClosedKind(kind)) return Pick(List(kind), rng);
  std::string name;
  for (int attempt = 0;; ++attempt) {
    if (kind == "person") {
      name = Pick(List("first_names"), rng) + " ";
      // Middle initials once plain names run short: "Ana M. Silva", "Ana M. K. Silva".
      int initials = std::min(attempt / 8, 2);
      if (initials_ > 0 && initials == 0 && std::uniform_real_distribution<>(0, 1)(rng) < initials_) {
        initials = 1 + static_cast<int>(rng() % 2);
      }
      for (int i = 0; i < initials; ++i) {
        name.append(1, static_cast<char>('A' + rng() % 26)).append(". ");
      }
      name += Pick(List("last_names"), rng);
    } else if (kind == "place") {
      name = Place(rng);
    } else {
      name = Fill(Pick(List(kind + ".patterns"), rng), kind, rng);
    }
    if (attempt >= 40) name.append(" ").append(Roman(attempt - 40));
    // "The Lyon Marathon 1999": a name keeps one spelling at a sentence's start.
    if (name.rfind("the ", 0) == 0) name[0] = 'T';
    if (used.insert(name).second) return name;
  }
}

}  // namespace nldb::gen
