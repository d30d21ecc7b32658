// SupportSetGenerator: finds the small sets of facts that can each answer a
// question, as in NeuralDB. Candidates come from the lexical and the dense
// index (every live fact when the store is small) and, in a large store, from
// the facts sharing a name with the best of them; each is scored alone, and
// those that pass the seed threshold start a set. A set grows one fact at a
// time (up to three) while the best next fact, scored given the facts already
// chosen, passes the grow threshold, so a join question gets the chain of
// facts it needs. Scores are a logistic
// model, trained by `nldb train ssg`, over ssg::Features plus a bilinear term
// q' W f between the mean word vectors of the question and of the fact, which
// learns which wordings mean the same relation ("born" ~ "native of").
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "nldb/database.h"
#include "spj/spj.h"
#include "ssg/features.h"

namespace nldb::ssg {

struct SupportSet {
  std::vector<FactId> facts;
  std::vector<std::string> texts;
  float score = 0;  // the weakest step's probability
};

struct SsgOptions {
  size_t candidates = 100;          // facts taken from the lexical index
  size_t similar = 50;              // and from the dense index, above exhaustive_below
  uint64_t exhaustive_below = 2000; // score every live fact in stores this small
  size_t neighbours = 30;           // facts sharing a name with a set, to grow it
  // At most this many sets (and no more than the reader reads). A question
  // over a whole relation ("Which book had the most writers?") needs one set
  // per fact of the relation: at 1,000 facts a cap of 100 held 73% of the
  // gold sets, 300 held 87%, 1,000 held 99%.
  size_t max_sets = 1000;
  size_t max_set_size = 3;
  size_t max_grown = 40;            // seeds that try to grow (best first)
  size_t grow_probe = 16;           // if none of this many seeds grew or found a partner, stop trying
  // Above exhaustive_below, the facts sharing a name with this many of the
  // best seeds are candidates too, as every fact is below it: a join's other
  // fact may share no word with the question ("What is the latest birth date
  // among the players of Larica Albion?" needs "Kaito Svoboda's birth date is
  // April 5, 1982."), and from it the set grows back to the seed, which
  // covers the question's names. Only for readers whose minimum set score is
  // at most the seed threshold (see Generate).
  size_t neighbour_seeds = 16;
  // Above exhaustive_below the indexes find only some of the facts a
  // question is about; with `expand`, at most `expanded_facts` more are
  // candidates. A question that names nothing ("What is the last year in
  // which an organisation was set up?") is about a whole relation, whose
  // facts share a few wordings: the facts holding every word of one of the
  // `wordings` distinct wordings of the best seeds (Analysis::wording: "dates
  // back founding" for "Acme dates back to its founding in 1901."). One that
  // names something: the facts holding one of its names (Analysis::entities).
  // A name or wording held by more facts than the reader reads sets is left
  // out: what it singles out is too large to be read whole. Only for readers
  // whose minimum set score is at most the seed threshold, as neighbour_seeds.
  bool expand = true;
  size_t wordings = 16;
  size_t expanded_facts = 1000;
  // A seed that tries to grow also gets a set with its partner: the next fact
  // that seeds a set alone and grows back to it, as that fact would in a
  // small store, where every fact is a candidate. A join's value fact ("X
  // has N residents.") is rarely among a large store's candidates, and the
  // scorer rates it low after its filter fact ("Y contains X.").
  bool partners = true;
};

struct SsgStats {
  size_t candidates = 0, scored = 0, seeds = 0, sets = 0;
  size_t similar = 0;       // candidates only the dense index found
  bool exhaustive = false;  // every live fact was a candidate
  double search_ms = 0;     // finding and reading the candidates
  size_t pruned = 0;        // sets not built or dropped: scored below the reader's minimum
  size_t name_searches = 0; // neighbour searches made to grow sets or find candidates
  size_t neighbours = 0;    // candidates only a seed's neighbour search found
  double names_ms = 0;      // time in them
  size_t worded = 0;        // candidates only the search for the seeds' wordings found
  size_t named = 0;         // candidates only the search for the question's names found
  size_t other_names = 0;   // facts passed over: a question's name only inside a longer one
};

// A fact seeds a set when its score alone is at least `seed`; a set grows by
// its best next fact when that scores at least `grow`. A fact that holds a
// name of the question only inside a longer name ("Fort Pelldorf" for
// "Pelldorf", Featurizer::Holds) is about something else and is in no set.
struct Thresholds {
  float seed = 0.5f, grow = 0.5f;
};

// The scorer's parameters.
struct Scorer {
  std::vector<float> linear;    // kFeatures
  std::vector<float> bilinear;  // dims x dims, row-major (question row, fact column)
  // Sets question.projected = q' W, so that each Logit's bilinear term is one
  // dot product; a question must be projected before it is scored.
  void Project(Analysis& question) const;
  float Logit(const Features& f, const Analysis& question, const Analysis& fact) const;
};

// One candidate fact with what the features read from it.
struct Candidate {
  FactId id = 0;
  std::string text;
  Analysis analysis;
  float bm25 = 0;
};

class SupportSetGenerator {
 public:
  SupportSetGenerator(const text::WordVectors& vectors, Scorer scorer, Thresholds thresholds,
                      SsgOptions options = {});
  // Reads DIR/ssg.json (scorer and thresholds).
  static Result<std::unique_ptr<SupportSetGenerator>> Load(const std::string& dir,
                                                           const text::WordVectors& vectors,
                                                           SsgOptions options = {});

  // The support sets for `question` over the facts live at `as_of`, in the
  // order of their seeds' scores (a grown set scores its weakest step, so it
  // may score below a later one), that the reader reads (`read`, its
  // spj::SpjOperator::Reads: sets it reads worse than it leaves are not built).
  Result<std::vector<SupportSet>> Generate(Database& db, const std::string& question,
                                           Version as_of, SsgStats* stats = nullptr,
                                           const spj::SetsToRead& read = {}) const;

  // The facts the indexes find for a question (Generate adds the facts
  // beside its best seeds; see SsgOptions::neighbour_seeds).
  Result<std::vector<Candidate>> Candidates(Database& db, const std::string& question,
                                            Version as_of, SsgStats* stats = nullptr) const;
  // How Neighbours finds the facts sharing a name: where they hold it as a
  // name (the names index), or where they hold its every word (the lexical
  // index). Training takes the latter: its wider net gives the scorer the
  // facts of longer names ("Fort Pelldorf" for "Pelldorf") as negatives, and
  // a scorer trained without them found fewer sets (docs/experiments.md).
  enum class NameSearch { kWhole, kEveryWord };
  // Facts holding a name (not one of the question's) of `chosen`; a set
  // grows only by those that hold one whole (Featurizer::Holds).
  Result<std::vector<Candidate>> Neighbours(Database& db, const Analysis& question,
                                            const std::vector<const Candidate*>& chosen,
                                            Version as_of,
                                            NameSearch how = NameSearch::kWhole) const;

  // The probability that `fact` belongs in a set with `chosen` for `question`.
  float Probability(const Analysis& question, const std::vector<const Analysis*>& chosen,
                    const Analysis& fact, float bm25) const;
  const Featurizer& featurizer() const { return featurizer_; }
  const SsgOptions& options() const { return options_; }

 private:
  Featurizer featurizer_;
  Scorer scorer_;
  Thresholds thresholds_;
  SsgOptions options_;
};

}  // namespace nldb::ssg
