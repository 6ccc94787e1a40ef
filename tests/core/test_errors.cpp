// Bad input: each kind gives its own code and a one-line message that names
// the parameter and its values.
#include <gtest/gtest.h>

#include <cctype>

#include "core/errors.h"
#include "core/scenario.h"

namespace {

struct BadCase {
  const char* what;
  std::string json;
  core::ErrorCode code;
  const char* message_part;
};

const std::string kOnes3 = R"("input": [[[1],[1],[1]],[[1],[1],[1]],[[1],[1],[1]]])";
const std::string kOnes2x2 = R"("kernel": [[[[1]],[[1]]],[[[1]],[[1]]]])";

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

std::string conv(const std::string& extra) { return "{\"op\": \"conv2d\", " + kOnes3 + ", " + kOnes2x2 + extra + "}"; }
std::string convt(const std::string& extra) {
  return "{\"op\": \"conv2d_transpose\", " + kOnes3 + ", " + kOnes2x2 + extra + "}";
}

class BadInput : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadInput, GivesItsCodeAndAOneLineMessage) {
  const BadCase& c = GetParam();
  try {
    core::parse_scenario(c.json);
    FAIL() << c.what << ": no error for " << c.json;
  } catch (const core::Error& e) {
    EXPECT_EQ(core::error_name(e.code()), core::error_name(c.code)) << c.what << ": " << e.what();
    const std::string message = e.what();
    EXPECT_NE(message.find(c.message_part), std::string::npos) << c.what << ": " << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    EXPECT_EQ(message.find("{}"), std::string::npos) << "unfilled placeholder: " << message;
  }
}

INSTANTIATE_TEST_SUITE_P(
    AllKinds, BadInput,
    ::testing::Values(
        BadCase{"syntax", "{\"op\": ", core::ErrorCode::json_syntax, "parse error"},
        BadCase{"not object", "[1, 2]", core::ErrorCode::json_not_object, "JSON object"},
        BadCase{"unknown key", conv(", \"stride\": [1, 1]"), core::ErrorCode::unknown_key, "\"stride\""},
        BadCase{"missing op", "{" + kOnes3 + ", " + kOnes2x2 + "}", core::ErrorCode::missing_key, "\"op\""},
        BadCase{"missing kernel", "{\"op\": \"conv2d\", " + kOnes3 + "}", core::ErrorCode::missing_key, "\"kernel\""},
        BadCase{"bad op", R"({"op": "conv3d"})", core::ErrorCode::bad_choice, "\"conv3d\""},
        BadCase{"bad convention", conv(", \"convention\": \"jax\""), core::ErrorCode::bad_choice, "\"jax\""},
        BadCase{"stride 0", conv(", \"strides\": [0, 1]"), core::ErrorCode::stride_not_positive, "[0, 1]"},
        BadCase{"dilation 0", conv(", \"dilation\": [1, 0]"), core::ErrorCode::dilation_not_positive, "[1, 0]"},
        BadCase{"non-integer stride", conv(", \"strides\": [1.5, 1]"), core::ErrorCode::not_integer, "1.5"},
        BadCase{"1e300 stride", conv(", \"strides\": [1e300, 1]"), core::ErrorCode::not_integer, "strides"},
        BadCase{"huge stride", conv(", \"strides\": [2147483648, 1]"), core::ErrorCode::too_big_param, "2147483648"},
        BadCase{"stride list of 3", conv(", \"strides\": [1, 1, 1]"), core::ErrorCode::not_integer_pair, "[1,1,1]"},
        BadCase{"negative padding", conv(", \"convention\": \"pytorch\", \"padding\": [-1, 0]"),
                core::ErrorCode::negative_padding, "[-1, 0]"},
        BadCase{"keras explicit padding", conv(", \"padding\": [1, 1]"), core::ErrorCode::bad_padding,
                "\"valid\" or \"same\""},
        BadCase{"keras padding word", conv(", \"padding\": \"full\""), core::ErrorCode::bad_padding, "\"full\""},
        BadCase{"torch transpose same", convt(", \"convention\": \"pytorch\", \"padding\": \"same\""),
                core::ErrorCode::bad_padding, "[ph, pw]"},
        BadCase{"torch same stride 2", conv(", \"convention\": \"pytorch\", \"padding\": \"same\", \"strides\": 2"),
                core::ErrorCode::torch_same_needs_stride_1, "[2, 2]"},
        BadCase{"keras stride+dilation", conv(", \"strides\": [2, 1], \"dilation\": [1, 2]"),
                core::ErrorCode::keras_stride_and_dilation, "strides [2, 1], dilation [1, 2]"},
        BadCase{"output_padding on conv", conv(", \"output_padding\": [0, 0]"), core::ErrorCode::output_padding_on_conv,
                "conv2d_transpose only"},
        BadCase{"negative output_padding", convt(", \"strides\": 2, \"output_padding\": [-1, 0]"),
                core::ErrorCode::negative_output_padding, "[-1, 0]"},
        BadCase{"keras output_padding ≥ stride", convt(", \"strides\": 2, \"output_padding\": [2, 0]"),
                core::ErrorCode::keras_output_padding_too_big, "[2, 0]"},
        BadCase{"torch output_padding", convt(", \"convention\": \"pytorch\", \"output_padding\": [1, 0]"),
                core::ErrorCode::torch_output_padding_too_big, "[1, 0]"},
        BadCase{"ragged", R"({"op": "conv2d", "input": [[[1],[1]],[[1]]], "kernel": [[[[1]]]]})",
                core::ErrorCode::tensor_ragged, "ragged"},
        BadCase{"empty", R"({"op": "conv2d", "input": [], "kernel": [[[[1]]]]})", core::ErrorCode::tensor_empty,
                "empty"},
        BadCase{"mixed", R"({"op": "conv2d", "input": [[[1],1]], "kernel": [[[[1]]]]})",
                core::ErrorCode::tensor_mixed, "mixes"},
        BadCase{"string value", R"({"op": "conv2d", "input": [[["a"]]], "kernel": [[[[1]]]]})",
                core::ErrorCode::tensor_not_number, "\"a\""},
        BadCase{"null value", R"({"op": "conv2d", "input": [[[null]]], "kernel": [[[[1]]]]})",
                core::ErrorCode::tensor_not_number, "null"},
        // JSON has no NaN/Inf; a literal that overflows a double is caught by the parser.
        BadCase{"infinite value", R"({"op": "conv2d", "input": [[[1e400]]], "kernel": [[[[1]]]]})",
                core::ErrorCode::json_syntax, "number overflow parsing '1e400'"},
        BadCase{"input not a list", R"({"op": "conv2d", "input": 3, "kernel": [[[[1]]]]})",
                core::ErrorCode::tensor_not_list, "\"input\""},
        BadCase{"rank 2 input", R"({"op": "conv2d", "input": [[1, 1], [1, 1]], "kernel": [[[[1]]]]})",
                core::ErrorCode::tensor_rank, "3 levels"},
        BadCase{"channel mismatch", R"({"op": "conv2d", "input": [[[1, 2]]], "kernel": [[[[1]]]]})",
                core::ErrorCode::channel_mismatch, "expects C_in = 1 input channel(s) but the input has C = 2"},
        BadCase{"bias length", conv(", \"bias\": [1, 2]"), core::ErrorCode::bias_length, "one value per filter (F = 1), got 2"},
        BadCase{"kernel larger", R"({"op": "conv2d", "input": [[[1]]], "kernel": [[[[1]],[[1]]]]})",
                core::ErrorCode::kernel_larger_than_input, "width axis"},
        BadCase{"output ≤ 0", convt(", \"convention\": \"pytorch\", \"padding\": [3, 3]"),
                core::ErrorCode::output_not_positive, "-2"},
        BadCase{"keras even same op 0", convt(", \"strides\": 2, \"padding\": \"same\", \"output_padding\": [0, 1]"),
                core::ErrorCode::keras_transpose_shape_check, "height axis"},
        BadCase{"too large output", convt(", \"convention\": \"pytorch\", \"strides\": [2000000, 1]"),
                core::ErrorCode::over_limit, "limit"},
        // Reading that cannot be abused: nothing past a cap is stored, messages stay short and on one line.
        BadCase{"deeply nested parameter", conv(", \"strides\": " + std::string(70000, '[') + std::string(70000, ']')),
                core::ErrorCode::value_too_large, "\"strides\" holds more than 16 numbers or lists nested deeper than 3"},
        BadCase{"deeply nested input", "{\"op\": \"conv2d\", \"input\": " + std::string(70000, '[') + "1" +
                                           std::string(70000, ']') + "}",
                core::ErrorCode::tensor_rank, "got more than 3"},
        BadCase{"long parameter list", conv(", \"dilation\": [1" + repeat(",1", 40) + "]"),
                core::ErrorCode::value_too_large, "\"dilation\""},
        BadCase{"name not a string", conv(", \"name\": [1, 1, 1]"), core::ErrorCode::not_text, "\"name\" must be a string"},
        BadCase{"description too long", conv(", \"description\": \"" + std::string(5000, 'a') + "\""),
                core::ErrorCode::not_text, "5000 bytes"},
        BadCase{"duplicate key", conv(", \"strides\": 1, \"strides\": 2"), core::ErrorCode::duplicate_key, "\"strides\""},
        BadCase{"key with a newline", conv(", \"a\\nb\\u001b[31m\": 1"), core::ErrorCode::unknown_key, "a\\nb\\u001b[31m"},
        BadCase{"long unknown key", conv(", \"" + std::string(1000, 'k') + "\": 1"), core::ErrorCode::unknown_key, "kkk…"},
        BadCase{"long op string", "{\"op\": \"" + std::string(100000, 'x') + "\"}", core::ErrorCode::bad_choice, "xxx…"},
        // Groups and depthwise (issue 11): each invalid combination its own code.
        BadCase{"groups 0", R"({"op": "conv2d", "groups": 0, "input": [[[1, 1]]], "kernel": [[[[1], [1]]]]})",
                core::ErrorCode::groups_not_positive, "at least 1, got 0"},
        BadCase{"groups not an integer", R"({"op": "conv2d", "groups": 1.5, "input": [[[1]]], "kernel": [[[[1]]]]})",
                core::ErrorCode::not_integer, "\"groups\""},
        BadCase{"groups not dividing F", R"({"op": "conv2d", "groups": 2, "input": [[[1, 1]]], "kernel": [[[[1, 1, 1]]]]})",
                core::ErrorCode::groups_not_dividing, "C_in = 2 and the filters F = 3"},
        BadCase{"grouped kernel with all channels", R"({"op": "conv2d", "groups": 2, "input": [[[1, 1]]], "kernel": [[[[1, 1], [1, 1]]]]})",
                core::ErrorCode::channel_mismatch, "C_in = 4"},
        BadCase{"keras transpose groups", R"({"op": "conv2d_transpose", "groups": 2, "input": [[[1, 1]]], "kernel": [[[[1, 1]]]]})",
                core::ErrorCode::groups_keras_transpose, "Keras Conv2DTranspose has no groups"},
        BadCase{"depthwise with groups", R"({"op": "depthwise_conv2d", "groups": 1, "input": [[[1]]], "kernel": [[[[1]]]]})",
                core::ErrorCode::groups_on_depthwise, "depthwise_conv2d"},
        BadCase{"depthwise channels", R"({"op": "depthwise_conv2d", "input": [[[1, 1]]], "kernel": [[[[1], [1], [1]]]]})",
                core::ErrorCode::depthwise_kernel_channels, "third axis is 3 but the input has C = 2"},
        BadCase{"depthwise torch second axis", R"({"op": "depthwise_conv2d", "convention": "pytorch", "kernel_layout": "torch",
                    "input": [[[1, 1]]], "kernel": [[[[1]], [[1]]], [[[1]], [[1]]]]})",
                core::ErrorCode::depthwise_kernel_channels, "second axis (must be 1) is 2"},
        BadCase{"depthwise bias", R"({"op": "depthwise_conv2d", "input": [[[1, 1]]], "kernel": [[[[1, 1], [1, 1]]]], "bias": [1, 2]})",
                core::ErrorCode::bias_length, "F = 4"},
        BadCase{"depthwise output_padding", R"({"op": "depthwise_conv2d", "input": [[[1]]], "kernel": [[[[1]]]], "output_padding": [0, 0]})",
                core::ErrorCode::output_padding_on_conv, "not depthwise_conv2d"}),
    [](const ::testing::TestParamInfo<BadCase>& info) {
      std::string name;
      for (const char* c = info.param.what; *c; ++c)
        name += std::isalnum(static_cast<unsigned char>(*c)) ? *c : '_';
      return name;
    });

TEST(ErrorTable, EveryCodeHasANameAndAMessage) {
  for (int i = 0; i <= static_cast<int>(core::ErrorCode::usage); ++i) {
    const auto code = static_cast<core::ErrorCode>(i);
    EXPECT_FALSE(core::error_name(code).empty());
    EXPECT_FALSE(core::error_template(code).empty());
  }
  EXPECT_EQ(core::error_message(core::ErrorCode::bias_length, 1, 2), "\"bias\" needs one value per filter (F = 1), got 2");
}

}  // namespace
