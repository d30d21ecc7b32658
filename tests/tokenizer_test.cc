// The WordPiece tokenizer and the reader's features: offsets that copy
// answers exactly, targets located in the facts, examples with NULLs.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "gen/gen_data.h"
#include "gen/generator.h"
#include "model/examples.h"
#include "model/features.h"
#include "model/type_cues.h"
#include "test_util.h"
#include "text/synonyms.h"
#include "text/tokenizer.h"
#include "text/utf8.h"
#include "text/word_vectors.h"

namespace nldb {
namespace {

std::vector<std::string> Corpus() {
  return {"Ada Okafor was born in Lagos.", "Ada Okafor works for Northwind Logistics.",
          "Who was born in Lagos?", "The population of Lagos is 15,388,000.",
          "Zoë Brandt was born in Kraków on 3 March 1971."};
}

TEST(Tokenizer, SplitsWordsDigitsAndPunctuation) {
  const std::string s = "Zoë's 1,2 ok!";
  std::vector<std::string> words;
  for (auto [b, e] : text::SplitWords(s)) words.push_back(s.substr(b, e - b));
  EXPECT_EQ(words, (std::vector<std::string>{"Zoë", "'", "s", "1", ",", "2", "ok", "!"}));
}

TEST(Tokenizer, CoversEveryByteOfEveryWordAndRoundTrips) {
  auto tok = text::Tokenizer::Train(Corpus(), 200);
  testing::TempDir dir;
  ASSERT_TRUE(tok->Save(dir / "v.txt").ok());
  auto loaded = text::Tokenizer::Load(dir / "v.txt");
  ASSERT_TRUE(loaded.ok());
  for (const std::string& s : {std::string("Ada Okafor was born in Lagos."),
                               std::string("Unseen Qwxyz visited Kraków in 1999.")}) {
    const auto a = tok->Encode(s), b = (*loaded)->Encode(s);
    ASSERT_EQ(a.size(), b.size());
    std::string rebuilt;
    uint32_t last = 0;
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].id, b[i].id);
      EXPECT_GE(a[i].begin, last);
      rebuilt += s.substr(last, a[i].end - last);
      last = a[i].end;
    }
    EXPECT_EQ(rebuilt, s.substr(0, last));
    EXPECT_EQ(last, s.size());
  }
  // A frequent word is one piece; an unseen character is [UNK].
  const auto lagos = tok->Encode("Lagos");
  ASSERT_EQ(lagos.size(), 1u);
  EXPECT_EQ(tok->piece(lagos[0].id), "Lagos");
  EXPECT_EQ(tok->Encode("Ж")[0].id, text::Tokenizer::kUnk);
}

// No piece ends inside a character, so a character seen in training never
// reads as [UNK] (a piece "##r\xC3" would leave the rest of "ré" unknown).
TEST(Tokenizer, PiecesEndOnCharacterBoundaries) {
  std::vector<std::string> corpus;
  for (int i = 0; i < 50; ++i) corpus.push_back("Carré Andrés Irène Sørensen Guðmundsdóttir.");
  auto tok = text::Tokenizer::Train(corpus, 400);
  for (int id = 0; id < tok->vocab_size(); ++id) {
    const std::string& p = tok->piece(id);
    EXPECT_FALSE(text::FindInvalidUtf8(p).has_value()) << "piece " << id << " ends inside a character";
  }
  for (const char* word : {"Carré", "Andrés", "Irène", "Guðmundsdóttir"}) {
    for (const text::Token& t : tok->Encode(word)) {
      EXPECT_NE(t.id, text::Tokenizer::kUnk) << word;
    }
  }
}

TEST(Features, TargetsCopyTheAnswerExactly) {
  auto tok = text::Tokenizer::Train(Corpus(), 300);
  auto words = text::WordVectors::Load(text::DefaultWordVectorsPath());
  if (!words.ok()) GTEST_SKIP() << words.status().message();
  model::Featurizer f(*tok, **words, {.max_len = 128});
  const std::vector<std::string> facts = {"Ada Okafor was born in Lagos.",
                                          "The population of Lagos is 15,388,000."};
  const auto seq = f.Encode("Which place has the most people?", facts);
  EXPECT_EQ(seq.piece.size(), seq.text.size());
  auto t = f.MakeTarget(seq, facts, "Lagos [SEP] 15,388,000", 6);
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->kind, model::kPair);
  EXPECT_EQ(model::Featurizer::SpanText(seq, facts, t->s1, t->e1), "Lagos");
  EXPECT_EQ(model::Featurizer::SpanText(seq, facts, t->s2, t->e2), "15,388,000");
  EXPECT_EQ(f.MakeTarget(seq, facts, "", 0)->kind, model::kNull);
  EXPECT_EQ(f.MakeTarget(seq, facts, "TRUE", 1)->kind, model::kTrue);
  EXPECT_FALSE(f.MakeTarget(seq, facts, "Paris", 0).has_value());
  // "Lag" is inside a token: not a whole-token span.
  EXPECT_FALSE(f.MakeTarget(seq, facts, "Lag", 0).has_value());
  // An answer also written inside a longer word is found where it is whole.
  const std::vector<std::string> borders = {"Nigeria borders Niger."};
  const auto seq2 = f.Encode("What borders Nigeria?", borders);
  auto niger = f.MakeTarget(seq2, borders, "Niger", 0);
  ASSERT_TRUE(niger.has_value());
  EXPECT_EQ(model::Featurizer::SpanText(seq2, borders, niger->s1, niger->e1), "Niger");
  EXPECT_EQ(seq2.begin[niger->s1], 16u);
}

TEST(Features, APairReadBothWaysIsItsOwnKindInModelsThatHaveIt) {
  EXPECT_EQ(model::KindOf("Norway [SEP] Mali [LIST] Mali [SEP] Norway"), model::kPairBothWays);
  EXPECT_EQ(model::KindOf("Norway [SEP] Mali"), model::kPair);
  EXPECT_EQ(model::KindOf("Mali"), model::kSpan);
  EXPECT_EQ(model::KindOf(""), model::kNull);
  // Lists of other shapes have no kind.
  EXPECT_FALSE(model::KindOf("Norway [SEP] Mali [LIST] Mali [SEP] Chad").has_value());
  EXPECT_FALSE(model::KindOf("Norway [LIST] Mali").has_value());
  EXPECT_EQ(model::AnswerText(model::kPairBothWays, "Norway", "Mali"),
            "Norway [SEP] Mali [LIST] Mali [SEP] Norway");
  EXPECT_EQ(model::AnswerText(model::kPair, "Norway", "Mali"), "Norway [SEP] Mali");

  auto tok = text::Tokenizer::Train(Corpus(), 300);
  auto words = text::WordVectors::Load(text::DefaultWordVectorsPath());
  if (!words.ok()) GTEST_SKIP() << words.status().message();
  const std::vector<std::string> facts = {"Ada Okafor married Zoë Brandt."};
  const std::string both = "Ada Okafor [SEP] Zoë Brandt [LIST] Zoë Brandt [SEP] Ada Okafor";
  model::Featurizer one_way(*tok, **words, {.max_len = 128});
  const auto seq = one_way.Encode("Who has the most spouses?", facts);
  EXPECT_FALSE(one_way.MakeTarget(seq, facts, both, 6).has_value());
  model::Featurizer both_ways(*tok, **words, {.max_len = 128, .both_ways = true});
  const auto t = both_ways.MakeTarget(seq, facts, both, 6);
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->kind, model::kPairBothWays);
  EXPECT_EQ(model::Featurizer::SpanText(seq, facts, t->s1, t->e1), "Ada Okafor");
  EXPECT_EQ(model::Featurizer::SpanText(seq, facts, t->s2, t->e2), "Zoë Brandt");
}

TEST(TypeCues, ASuperlativeMeansAnExtremeAndAThingMeansNotAValue) {
  // kAll: every type but bool (a wh-question).
  constexpr uint8_t kAll = 0x7d, kExtremes = 0x78, kArgs = 0x60, kNoValues = 0x65;
  EXPECT_EQ(model::TypesTheWordingAllows("Where was Ada Okafor born?"), kNoValues);
  EXPECT_EQ(model::TypesTheWordingAllows("How many people work at Acme?"), kAll);
  EXPECT_EQ(model::TypesTheWordingAllows("Who has at least one spouse?"), kNoValues);
  EXPECT_EQ(model::TypesTheWordingAllows("What is the interest rate of Chad?"), kAll);
  EXPECT_EQ(model::TypesTheWordingAllows("What is the lowest population?"), kExtremes);
  EXPECT_EQ(model::TypesTheWordingAllows("What was the least attended event?"), kArgs);
  EXPECT_EQ(model::TypesTheWordingAllows("What is the lowest population of any place?"), kExtremes);
  EXPECT_EQ(model::TypesTheWordingAllows("When was the eldest person born?"), kExtremes);
  EXPECT_EQ(model::TypesTheWordingAllows("Which year saw the earliest founding?"), kExtremes);
  EXPECT_EQ(model::TypesTheWordingAllows("In which country is the unemployment rate smallest?"), kArgs);
  EXPECT_EQ(model::TypesTheWordingAllows("Among the players of Kraków FC, whose birth date is the latest?"),
            kArgs);
  EXPECT_EQ(model::TypesTheWordingAllows("Of all books, which publication year is the earliest?"),
            kExtremes);
  // A relative clause's "who" is not the question's.
  EXPECT_EQ(model::TypesTheWordingAllows("How tall is the tallest person who works for Acme?"),
            kExtremes);
  // A capitalised name ending in "est" is not a superlative.
  EXPECT_EQ(model::TypesTheWordingAllows("How many people live in Budapest?"), kAll);
}

TEST(TypeCues, AYesNoQuestionIsBoolAndAWhQuestionIsNot) {
  constexpr uint8_t kBool = 0x02, kAny = 0x7f;
  EXPECT_EQ(model::TypesTheWordingAllows("Did Ada Okafor go to Eldley School?"), kBool);
  EXPECT_EQ(model::TypesTheWordingAllows("Can Yozgat be found in Indonesia?"), kBool);
  EXPECT_EQ(model::TypesTheWordingAllows("Has the most prolific director won an award?"), kBool);
  // An auxiliary first and a wh-word or "or": either.
  EXPECT_EQ(model::TypesTheWordingAllows("Can you name the people who attended Acme?"), kAny);
  EXPECT_EQ(model::TypesTheWordingAllows("Is Ada Okafor male or female?"), kAny);
  EXPECT_EQ(model::TypesTheWordingAllows("Was Acme where Ada Okafor was born?"), kAny);
  EXPECT_EQ(model::TypesTheWordingAllows("Ada Okafor works where?") & kBool, 0);
}

// The cues must allow the type of every question the generator trains on.
TEST(TypeCues, AllowTheTypeOfEveryTrainQuestion) {
  auto type_of = [](std::string form) {
    for (const char* prefix : {"filter_", "group_"}) {
      if (form.starts_with(prefix)) form = form.substr(std::string(prefix).size());
    }
    if (form.starts_with("chain") || form.starts_with("three_hop")) return 0;
    return model::QueryTypeIndex(form.substr(0, form.find('_')));
  };
  auto check = [&](const std::string& form, const nlohmann::json& templates) {
    const int type = type_of(form);
    ASSERT_GE(type, 0) << form;
    for (const auto& t : templates) {
      std::string q = t.get<std::string>();
      for (size_t at; (at = q.find('$')) != std::string::npos;) {
        const size_t end = q.find_first_not_of("abcdefghijklmnopqrstuvwxyz_", at + 1);
        q.replace(at, (end == std::string::npos ? q.size() : end) - at, "Ada Okafor");
      }
      EXPECT_TRUE(model::TypesTheWordingAllows(q) >> type & 1) << form << ": " << q;
    }
  };
  const auto relations = nlohmann::json::parse(gen::GenData("relations"));
  for (const auto& [id, r] : relations.items()) {
    for (const auto& [form, q] : r["questions"].items()) check(form, q["train"]);
  }
  const auto joins = nlohmann::json::parse(gen::GenData("joins"));
  for (const auto& [family, list] : joins.items()) {
    for (const auto& j : list) check(family, j["train"]);
  }
}

TEST(Features, AnAnswerBeginningWithACapitalIsOneName) {
  for (const char* ok : {"Savannah Njoroge", "University of New Salem", "Halim and Partners",
                         "Return to Koulikoro", "The Heart from Bromfeld", "Özlem Dang",
                         "urban planner", "154 cm", "16 July 1931", "In", "Football player",
                         "In Search of the Restless Night", "Līvānu novads Castle",
                         "The 1991 Mid Western Open", "Yara S7 Lite", "The Perry lathe",
                         "SV Varakļānu novads", "Free University of Samarskaja oblast'",
                         "The Rosewood dynamo of Quenport", "The Crespo kettle of 1957", "The Wu vacuum cleaner of 1957",
                         "The Pinnacle gyroscope of Sveitarfélagið Skagafjörður",
                         "Côte d'Ivoire National League", "Skeiða- og Gnúpverjahreppur",
                         "October 7, 2002", "Monday 7 October, 2002", "October, 2002", "1,330,545", "Paris, Texas"}) {
    EXPECT_TRUE(model::CanBeOneAnswer(ok)) << ok;
  }
  for (const char* bad : {"Savannah Njoroge has Özlem Dang", "Gabon counts Ute Newman",
                          "In Grimfeld", "Yearly visitor numbers at Zanhausen Zoo",
                          "Fort Whitsund Polytechnic educated Anil Hawkins",
                          "Isla Takeuchi measures 2.09 metres", "Emre Wolf tied the knot",
                          "The Lions beat Real Madrid", "A border separates",
                          "The Last Days of Ribnica first appeared in print in 1958",
                          "298,175, Louisiana", "Saraburi, 419,726",
                          "Published in 1839, Takeuchi's Decade", "1839, Takeuchi's Decade"}) {
    EXPECT_FALSE(model::CanBeOneAnswer(bad)) << bad;
  }
}

// A span read by the reader may stop inside a word (a subword piece); the
// answer is the whole word.
TEST(Features, SpansAreWidenedToWholeWords) {
  std::vector<std::string> facts = {"Kuwait's Ana Ruiz is 1.94 m tall."};
  auto span = [&](uint32_t b, uint32_t e) {
    model::Sequence seq;
    seq.text = {0};
    seq.begin = {b};
    seq.end = {e};
    return model::Featurizer::SpanText(seq, facts, 0, 0);
  };
  EXPECT_EQ(span(0, 2), "Kuwait");     // "Ku"
  EXPECT_EQ(span(2, 6), "Kuwait");     // "wait"
  EXPECT_EQ(span(0, 6), "Kuwait");     // not "Kuwait's"
  EXPECT_EQ(span(9, 17), "Ana Ruiz");
  EXPECT_EQ(span(8, 15), "Ana Ruiz");  // " Ana Ru": the space dropped, "Ruiz" whole
  EXPECT_EQ(span(23, 25), "1.94");     // "94"
  EXPECT_EQ(span(21, 22), "1.94");     // "1"
  // Curly quotes and dashes above ASCII end words as ASCII ones do.
  facts = {"Maria Berg is Anna\u2019s mother; \u201cDune\u201d\u2014a book."};
  EXPECT_EQ(span(14, 16), "Anna");  // "An", not "Anna\u2019s"
  EXPECT_EQ(span(34, 36), "Dune");  // "Du", not "\u201cDune\u201d\u2014a"
}

// A hyphen between letters is inside a word ("Guinea-Bissau"); as an answer,
// one capitalised word takes the capitalised words around it: names are whole.
TEST(Features, AnswersAreWholeNames) {
  const std::vector<std::string> facts = {"Ayu Alexiou lives in Guinea-Bissau with Mikkel Muñoz."};
  model::Sequence seq;
  seq.text = {0};
  auto span = [&](uint32_t b, uint32_t e) {
    seq.begin = {b};
    seq.end = {e};
    return model::Featurizer::SpanText(seq, facts, 0, 0);
  };
  // The answer read from bytes [b, e) of the one fact `in`.
  auto answer_in = [&](const std::vector<std::string>& in, uint32_t b, uint32_t e) {
    seq.begin = {b};
    seq.end = {e};
    return model::Featurizer::AnswerSpanText(seq, "", in, 0, 0);
  };
  auto answer = [&](uint32_t b, uint32_t e) { return answer_in(facts, b, e); };
  EXPECT_EQ(span(21, 27), "Guinea-Bissau");  // "Guinea"
  EXPECT_EQ(span(28, 34), "Guinea-Bissau");  // "Bissau"
  EXPECT_EQ(span(0, 3), "Ayu");
  EXPECT_EQ(answer(0, 3), "Ayu Alexiou");
  EXPECT_EQ(answer(40, 46), "Mikkel Muñoz");
  EXPECT_EQ(answer(0, 11), "Ayu Alexiou");
  EXPECT_EQ(answer(12, 17), "lives");
  EXPECT_EQ(answer(18, 20), "in");
  // ... and the capitalised words before it, but no function word and no
  // word that punctuation ends.
  EXPECT_EQ(answer(4, 11), "Ayu Alexiou");
  EXPECT_EQ(answer(47, 53), "Mikkel Muñoz");
  const std::vector<std::string> other = {"In Lyon, The Takeuchi's Decade met Étienne Wouters."};
  seq.begin = {3};
  seq.end = {7};
  EXPECT_EQ(model::Featurizer::AnswerSpanText(seq, "", other, 0, 0), "Lyon");  // not "In Lyon"
  seq.begin = {24};
  seq.end = {30};
  EXPECT_EQ(model::Featurizer::AnswerSpanText(seq, "", other, 0, 0), "Decade");
  seq.begin = {44};
  seq.end = {51};
  EXPECT_EQ(model::Featurizer::AnswerSpanText(seq, "", other, 0, 0), "Étienne Wouters");
  // A name of several words takes the capitalised words before it too.
  EXPECT_EQ(answer_in({"Valentina Moreira plays for České Budějovice City."}, 36, 52),
            "České Budějovice City");  // "Budějovice City"
  // An initialism is read whole, to its last stop; a middle initial is not one.
  const std::vector<std::string> clubs = {"Dean Li played for St Albans City F.C. and Anna C. Wu for D.C United."};
  auto club = [&](uint32_t b, uint32_t e) { return answer_in(clubs, b, e); };
  EXPECT_EQ(club(19, 35), "St Albans City F.C.");  // "St Albans City F"
  EXPECT_EQ(club(19, 37), "St Albans City F.C.");  // "St Albans City F.C"
  EXPECT_EQ(club(19, 38), "St Albans City F.C.");
  EXPECT_EQ(club(43, 49), "Anna C");               // of "Anna C. Wu"
  EXPECT_EQ(club(43, 47), "Anna C. Wu");           // "Anna": the name reads on past its initial
  EXPECT_EQ(club(51, 53), "Anna C. Wu");           // "Wu"
  // A preposition opening the sentence is no part of a name.
  EXPECT_EQ(answer_in({"Before Microsoft, Anna worked at IBM."}, 7, 16), "Microsoft");
  EXPECT_EQ(club(58, 59), "D.C United");           // "D" of "D.C United"
  // A lowercase answer takes the lowercase words before it, but no function
  // word and no word of the question.
  const std::vector<std::string> jobs = {"Ann Wu has the profession of security guard."};
  seq.begin = {38};
  seq.end = {43};
  EXPECT_EQ(model::Featurizer::AnswerSpanText(seq, "Who is a guard?", jobs, 0, 0), "security guard");
  EXPECT_EQ(model::Featurizer::AnswerSpanText(seq, "Who works in security?", jobs, 0, 0), "guard");
  seq.begin = {29};
  seq.end = {37};
  EXPECT_EQ(model::Featurizer::AnswerSpanText(seq, "", jobs, 0, 0), "security");  // not "of security"
}

// The first token of `word` in text `text_index` (-1: the question) of `seq`.
size_t TokenOf(const model::Sequence& seq, const std::string& text, int text_index,
               const std::string& word) {
  const size_t at = text.find(word);
  for (size_t i = 0; at != std::string::npos && i < seq.piece.size(); ++i) {
    if (seq.text[i] == text_index && seq.end[i] > at) return i;
  }
  ADD_FAILURE() << word << " is not in " << text;
  return 0;
}

TEST(Features, MarkWordsOnTheOtherSide) {
  auto tok = text::Tokenizer::Train(Corpus(), 300);
  auto words = text::WordVectors::Load(text::DefaultWordVectorsPath());
  if (!words.ok()) GTEST_SKIP() << words.status().message();
  const std::vector<std::string> facts = {"Ada Okafor was born in Lagos.",
                                          "Ada Okafor directed Lagos Nights."};
  const std::string question = "Who is the director born in lagos?";
  const model::Featurizer plain(*tok, **words, {.max_len = 128});
  const model::Featurizer rich(*tok, **words, {.max_len = 128, .word_match = true});
  const auto a = plain.Encode(question, facts), b = rich.Encode(question, facts);
  ASSERT_EQ(a.piece.size(), b.piece.size());
  const size_t lagos_q = TokenOf(b, question, -1, "lagos");
  const size_t lagos_f = TokenOf(b, facts[0], 0, "Lagos");
  const size_t born_f = TokenOf(b, facts[0], 0, "born");
  const size_t director = TokenOf(b, question, -1, "direct");
  const size_t okafor = TokenOf(b, facts[0], 0, "Okafor");
  // Matches ignore case and endings past five letters ("director", "directed");
  // a word only on one side and function words ("in") do not match.
  EXPECT_TRUE(b.shape[lagos_q] & model::kWordMatch);
  EXPECT_TRUE(b.shape[lagos_f] & model::kWordMatch);
  EXPECT_TRUE(b.shape[born_f] & model::kWordMatch);
  EXPECT_TRUE(b.shape[director] & model::kWordMatch);
  EXPECT_TRUE(b.shape[TokenOf(b, facts[1], 1, "directed")] & model::kWordMatch);
  EXPECT_FALSE(b.shape[TokenOf(b, facts[1], 1, "Nights")] & model::kWordMatch);
  EXPECT_FALSE(b.shape[okafor] & model::kWordMatch);
  EXPECT_FALSE(b.shape[TokenOf(b, facts[0], 0, " in ")] & model::kWordMatch);
  for (size_t i = 0; i < a.shape.size(); ++i) {
    EXPECT_EQ(a.shape[i], b.shape[i] & ~model::kWordMatch);
    EXPECT_LT(a.shape[i], model::kShapes);
    EXPECT_LT(b.shape[i], rich.options().shapes());
    EXPECT_EQ(a.piece[i], b.piece[i]);
    EXPECT_EQ(a.word[i], b.word[i]);
  }
  // A function word written with a capital is part of a name and matches
  // ("Being You", a book); "was" does not.
  const std::vector<std::string> book = {"Being You was published in 2021."};
  const std::string when = "When was Being You published?";
  const auto c = rich.Encode(when, book);
  EXPECT_TRUE(c.shape[TokenOf(c, when, -1, "Being")] & model::kWordMatch);
  EXPECT_TRUE(c.shape[TokenOf(c, when, -1, "You")] & model::kWordMatch);
  EXPECT_TRUE(c.shape[TokenOf(c, book[0], 0, "Being")] & model::kWordMatch);
  EXPECT_FALSE(c.shape[TokenOf(c, book[0], 0, "was")] & model::kWordMatch);
}

TEST(Features, SoftMatchLevelFollowsTheNearestWordInMeaning) {
  auto tok = text::Tokenizer::Train(Corpus(), 300);
  auto words = text::WordVectors::Load(text::DefaultWordVectorsPath());
  if (!words.ok()) GTEST_SKIP() << words.status().message();
  const model::Featurizer exact(*tok, **words, {.max_len = 128, .word_match = true});
  const model::Featurizer soft(*tok, **words,
                               {.max_len = 128, .word_match = true, .soft_match = true});
  auto level = [](const model::Sequence& seq, const std::string& text, int text_index,
                  const std::string& word) {
    return seq.shape[TokenOf(seq, text, text_index, word)] >> model::kSoftMatchShift;
  };
  const std::vector<std::string> facts = {"Ada Okafor wrote Lagos Nights in prison."};
  const std::string question = "Who is the author of Lagos Nights?";
  const auto a = exact.Encode(question, facts), b = soft.Encode(question, facts);
  // GloVe cosines: author-wrote 0.78; prison is at most 0.34 from any question word.
  EXPECT_EQ(level(b, question, -1, "author"), 3);
  EXPECT_EQ(level(b, facts[0], 0, "wrote"), 3);
  EXPECT_EQ(level(b, question, -1, "Lagos"), 3);
  EXPECT_EQ(level(b, facts[0], 0, "prison"), 1);
  EXPECT_EQ(level(b, question, -1, "Who"), 0);  // function words have no level
  EXPECT_EQ(level(b, facts[0], 0, " in "), 0);
  ASSERT_EQ(a.shape.size(), b.shape.size());
  for (size_t i = 0; i < a.shape.size(); ++i) {
    EXPECT_EQ(a.shape[i], b.shape[i] & ((1 << model::kSoftMatchShift) - 1));
    EXPECT_LT(b.shape[i], soft.options().shapes());
  }
  // birth-born 0.52, birth-may 0.54: the middle level.
  const std::vector<std::string> born = {"Ada Okafor was born on 1 May 1990."};
  const std::string when = "What is the birth date of Ada Okafor?";
  EXPECT_EQ(level(soft.Encode(when, born), when, -1, "birth"), 2);
}

// Shape bit 2 marks a capitalised word; with unicode_capitals also one that
// begins with a non-ASCII letter.
TEST(Features, UnicodeCapitalsMarkNamesThatBeginOutsideAscii) {
  auto tok = text::Tokenizer::Train(Corpus(), 300);
  auto words = text::WordVectors::Load(text::DefaultWordVectorsPath());
  if (!words.ok()) GTEST_SKIP() << words.status().message();
  const model::Featurizer ascii(*tok, **words, {.max_len = 128, .word_match = true});
  const model::Featurizer unicode(*tok, **words,
                                  {.max_len = 128, .word_match = true, .unicode_capitals = true});
  const std::vector<std::string> facts = {"Åsa Lim leads Åland Islands."};
  const std::string question = "Who leads Åland Islands?";
  const auto a = ascii.Encode(question, facts), u = unicode.Encode(question, facts);
  for (const char* word : {"Åsa", "Åland"}) {
    EXPECT_FALSE(a.shape[TokenOf(a, facts[0], 0, word)] & 2) << word;
    EXPECT_TRUE(u.shape[TokenOf(u, facts[0], 0, word)] & 2) << word;
  }
  EXPECT_TRUE(u.shape[TokenOf(u, question, -1, "Åland")] & 2);
  EXPECT_TRUE(a.shape[TokenOf(a, facts[0], 0, "Lim")] & 2);
  EXPECT_FALSE(u.shape[TokenOf(u, facts[0], 0, "leads")] & 2);
}

TEST(Examples, IncludeEveryGoldSetAndNullsOutsideThem) {
  gen::GenOptions o;
  o.facts = 100;
  auto g = gen::Generator::Create(o);
  ASSERT_TRUE(g.ok());
  const auto db = (*g)->Generate(0);
  std::mt19937_64 rng(1);
  const auto made = model::ExamplesFromDatabase(db, {}, rng);
  ASSERT_TRUE(made.ok()) << made.status().message();
  const auto& examples = *made;
  size_t gold_sets = 0, nulls = 0;
  for (const auto& q : db.queries) gold_sets += q.facts.size();
  for (const auto& e : examples) {
    if (e.derivation.empty()) {
      ++nulls;
      // A NULL example's facts answer nothing: none is in a gold set of its question.
      for (const auto& q : db.queries) {
        if (q.query != e.question) continue;
        for (const auto& set : q.facts) {
          for (uint32_t f : set) {
            for (const auto& fact : e.facts) EXPECT_NE(fact, db.facts[f]) << e.question;
          }
        }
      }
    }
  }
  EXPECT_GE(examples.size() - nulls, gold_sets);
  EXPECT_GT(nulls, db.queries.size());
}

class SynonymsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto words = text::WordVectors::Load(text::DefaultWordVectorsPath());
    ASSERT_TRUE(words.ok()) << words.status().message();
    words_ = std::move(*words).release();
    auto syn = text::Synonyms::Load(text::DefaultWordNetPath(), *words_);
    ASSERT_TRUE(syn.ok()) << syn.status().message();
    synonyms_ = std::move(*syn).release();
  }
  static bool Has(const std::string& word, const std::string& synonym) {
    const auto& s = synonyms_->Of(word);
    return std::find(s.begin(), s.end(), synonym) != s.end();
  }
  static inline text::WordVectors* words_ = nullptr;
  static inline text::Synonyms* synonyms_ = nullptr;
};

TEST_F(SynonymsTest, KeepTheInflectionAndDropFarSenses) {
  EXPECT_GT(synonyms_->size(), 5000u);
  EXPECT_TRUE(Has("biggest", "largest"));
  EXPECT_TRUE(Has("largest", "biggest"));  // superlative stays superlative
  EXPECT_TRUE(Has("films", "movies"));     // plural stays plural
  EXPECT_FALSE(Has("largest", "big"));
  EXPECT_TRUE(synonyms_->Of("zzzz").empty());
  EXPECT_TRUE(Has("founded", "established"));
  EXPECT_FALSE(Has("place", "aim"));  // a far sense, dropped by the GloVe check
}

// WordNet has "father" and "mother" in one verb synset ("beget") and
// "paternal" and "maternal" in one adjective synset, but marks each pair
// antonyms: a question about a father must not become one about a mother.
TEST_F(SynonymsTest, AntonymsAreNeverSynonyms) {
  EXPECT_FALSE(Has("father", "mother"));
  EXPECT_FALSE(Has("mother", "father"));
  EXPECT_FALSE(Has("fathers", "mothers"));  // inflected forms too
  EXPECT_FALSE(Has("paternal", "maternal"));
  EXPECT_TRUE(Has("mom", "mum"));  // other synonyms stay
}

TEST_F(SynonymsTest, ParaphraseKeepsWordsTiedToFactsAndAnswers) {
  std::mt19937_64 rng(7);
  const std::string question = "Which films were directed by the largest studio?";
  int changed = 0;
  for (int i = 0; i < 50; ++i) {
    const std::string p = model::Paraphrase(question, {"Studio X directed many films."},
                                            *synonyms_, 1.0, rng);
    EXPECT_NE(p.find("films"), std::string::npos) << p;   // tied to the fact
    EXPECT_NE(p.find("studio"), std::string::npos) << p;  // tied to the fact
    EXPECT_EQ(p.rfind("Which ", 0), 0u) << p;             // capitalised: kept
    EXPECT_EQ(p.back(), '?');
    changed += p != question;
  }
  EXPECT_GT(changed, 40);  // "largest" always has a synonym at word_rate 1
  // A name with letters above ASCII is one word, never cut into lowercase
  // pieces a synonym could replace ("era" of "Kučera", "line" of "Céline").
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(model::Paraphrase("Tomáš Kučera met Céline Dion.", {}, *synonyms_, 1.0, rng),
              "Tomáš Kučera met Céline Dion.");
  }
}

// One word that ties the question to no fact becomes an unfamiliar one; the
// words that tie it (and function words) stay.
TEST(Examples, AnUnknownWordReplacesOneWordTiedToNothing) {
  std::mt19937_64 rng(3);
  const std::vector<std::string> rare = {"zyzzyva"};
  std::set<std::string> seen;
  for (int i = 0; i < 40; ++i) {
    const std::string q = model::WithAnUnknownWord("Which eldest person was born in Lyon?",
                                                   {"Ada was born in Lyon."}, rare, rng);
    seen.insert(q);
  }
  EXPECT_EQ(seen, (std::set<std::string>{"Which zyzzyva person was born in Lyon?",
                                         "Which eldest zyzzyva was born in Lyon?"}));
  EXPECT_EQ(model::WithAnUnknownWord("Who was born in Lyon?", {"Ada was born in Lyon."}, rare, rng),
            "Who was born in Lyon?");  // nothing to replace
}

}  // namespace
}  // namespace nldb
