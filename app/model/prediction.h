// prediction.h — checking what a student predicts against the core's value.
//
//   model::PredictionCheck r = model::check_answer(expected, "2x2", attempt, hint, explanation);
//   r.verdict == model::Verdict::right;  r.message == "Right: 2×2. …"
//
// A shape is read from "2×2", "2x2", "2 X 2", "2*2", "(2, 2)", "[2, 2]", "2,2"
// or "2 2"; it is right when it lists the axes the caption shows ("2×2") or
// every axis, unit channels included ("2×2×1"). A number is read with an
// optional sign (- or −), decimals and an exponent ("0.5", "-3", "1e3"); it is
// right when it equals the expected value rounded to the digits the student
// typed ("0.33" for 1/3, "4.5" for 4.5, but not "4" for 4.5; an integer must
// be exact).
//
// Verdicts: right; not yet (with the hint, if the slide has one); after
// kAttemptsBeforeAnswer wrong tries, the answer itself. Text that is neither a
// shape nor a number (or the wrong one of the two) is "unreadable" and does not
// count as a try: the message says what to type. No GL, no ImGui.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/model/lesson_quotes.h"

namespace model {

enum class Verdict { right, not_yet, answer_shown, unreadable };
const char* verdict_name(Verdict v);  // "right", "not yet", "answer shown", "unreadable"

struct PredictionCheck {
  Verdict verdict = Verdict::unreadable;
  std::string message;
};

// The wrong tries after which the answer is shown.
constexpr int kAttemptsBeforeAnswer = 2;

// Reads a shape ("2×2") or a number; nullopt if the text is not one.
std::optional<std::vector<int64_t>> parse_shape_answer(std::string_view text);
std::optional<double> parse_number_answer(std::string_view text, int* decimals = nullptr);

// `attempt` counts from 1 (the first try). `hint` and `explanation` may be empty.
PredictionCheck check_answer(const Quoted& expected, std::string_view text, int attempt, const std::string& hint,
                             const std::string& explanation);
// "The answer is 2×2." plus the explanation (a "Show answer" button, or a page of the lesson).
std::string answer_message(const Quoted& expected, const std::string& explanation);

}  // namespace model
