// A one-line progress bar on stderr: done/total, rate and ETA.
// Draws nothing unless stderr is a terminal, so logs and pipes stay clean.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "text/format.h"

namespace nldb::cli {

class ProgressBar {
 public:
  // `unit` names what is counted ("facts"); `byte_units` shows MB instead.
  ProgressBar(std::string label, std::string unit, bool byte_units = false);
  ~ProgressBar() { Finish(); }

  void Update(uint64_t done, uint64_t total);  // redraws at most 10 times a second
  void Finish();                               // ends the line, if one was drawn

 private:
  void Draw(uint64_t done, uint64_t total);

  std::string label_, unit_;
  bool byte_units_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

using text::WithSeparators;  // "1,234,567"

}  // namespace nldb::cli
