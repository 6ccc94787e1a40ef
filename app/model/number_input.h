// number_input.h — a number typed into a cell, read strictly.
//
// The cell editor accepts what a person types for a decimal number — "2.5",
// "-3", "1e-3", " 7 " — and nothing else: "2,5" is not silently read as 25 (or 2)
// but refused with "use a point: 2.5"; "abc", "1.2.3", "0x10", "inf" and "nan" are
// "not a number: …". Messages come from core/errors.h. No ImGui.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace model {

struct NumberInput {
  std::optional<double> value;  // set when the text is a finite number
  std::string error;            // otherwise, the one-line reason
};

NumberInput parse_number(std::string_view text);

}  // namespace model
