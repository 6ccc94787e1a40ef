// errors.h — every error convscope can report, in one table.
//
// Each entry is a code and a message template; "{}" marks are filled in order
// by fail(). The CLI prints the message as `convscope: error: <message>` and
// exits 2; the GUI shows the same message in red. Add new errors here only.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace core {

#define CONVSCOPE_ERRORS(X)                                                                       \
  X(io_read, "cannot read {}: {}")                                                                \
  X(io_too_large, "{} is larger than {} bytes, the limit for a scenario")                         \
  X(output_write_failed, "cannot write the output: {}")                                           \
  X(json_syntax, "the scenario is not valid JSON: {}")                                            \
  X(json_not_object, "the scenario must be a JSON object {...}, got {}")                          \
  X(unknown_key, "unknown key {} in the scenario (allowed: {})")                                  \
  X(duplicate_key, "the key \"{}\" appears twice in the scenario")                                \
  X(missing_key, "the scenario has no \"{}\" ({})")                                               \
  X(bad_choice, "\"{}\" must be {}, got {}")                                                      \
  X(value_too_large, "\"{}\" holds more than {} numbers or lists nested deeper than {} levels; it expects {}") \
  X(not_text, "\"{}\" must be a string of at most {} bytes, got {}")                              \
  X(not_integer_pair, "\"{}\" must be a list of two integers [{}], got {}")                       \
  X(not_integer, "\"{}\" must hold whole numbers (JSON integers), got {}")                        \
  X(too_big_param, "\"{}\" must be below 2^31, got {}")                                           \
  X(stride_not_positive, "\"strides\" must be at least 1 on each axis, got {}")                   \
  X(dilation_not_positive, "\"dilation\" must be at least 1 on each axis, got {}")                \
  X(negative_padding, "\"padding\" cannot be negative, got {}")                                   \
  X(negative_output_padding, "\"output_padding\" cannot be negative, got {}")                     \
  X(bad_padding, "\"padding\" for {} {} must be {}, got {}")                                      \
  X(torch_same_needs_stride_1, "PyTorch allows padding \"same\" only with strides [1, 1], got {}") \
  X(keras_stride_and_dilation,                                                                    \
    "Keras does not allow a stride > 1 together with a dilation > 1: strides {}, dilation {}")    \
  X(output_padding_on_conv, "\"output_padding\" applies to conv2d_transpose only, not {} (got {})") \
  X(keras_output_padding_too_big,                                                                 \
    "\"output_padding\" {} must be smaller than \"strides\" {} on each axis (Keras rule)")        \
  X(keras_transpose_shape_check,                                                                 \
    "{} axis: Keras (TF) rejects this output_padding: a {}-long output does not convolve back to " \
    "the input length {} with padding \"same\" (even dilated kernel {} needs output_padding ≥ 1)") \
  X(torch_output_padding_too_big,                                                                 \
    "\"output_padding\" {} must be smaller than the stride or the dilation on each axis "         \
    "(PyTorch rule; strides {}, dilation {})")                                                    \
  X(groups_not_positive, "\"groups\" must be at least 1, got {}")                                 \
  X(groups_not_dividing, "\"groups\" {} must divide both the input channels C_in = {} and the filters F = {}") \
  X(groups_keras_transpose,                                                                       \
    "Keras Conv2DTranspose has no groups (got \"groups\": {}); use the PyTorch convention for a grouped transposed convolution") \
  X(groups_on_depthwise,                                                                          \
    "\"groups\" does not apply to depthwise_conv2d: its groups are its input channels (got {})")  \
  X(depthwise_kernel_channels,                                                                    \
    "a depthwise kernel {} needs one slice per input channel: its {} is {} but the input has C = {}") \
  X(tensor_not_list, "\"{}\" must be a nested list of numbers ({}), got {}")                      \
  X(tensor_rank, "\"{}\" must have {} levels of nesting ({}), got {}")                            \
  X(tensor_ragged, "\"{}\" is ragged: at nesting level {} one list has {} entries, another {}")  \
  X(tensor_mixed, "\"{}\" mixes numbers and lists at nesting level {}")                           \
  X(tensor_empty, "\"{}\" has an empty list at nesting level {}")                                 \
  X(tensor_not_number, "\"{}\" must hold only numbers, found {}")                                 \
  X(tensor_not_finite, "\"{}\" holds a number that is not finite ({})")                           \
  X(channel_mismatch, "the kernel expects C_in = {} input channel(s) but the input has C = {} ({})") \
  X(bias_length, "\"bias\" needs one value per filter (F = {}), got {}")                             \
  X(kernel_larger_than_input, "{} axis: the dilated kernel spans {} cells but the {} is only {}")  \
  X(output_not_positive, "{} axis: the output length would be {} ({}); it must be at least 1")     \
  X(over_limit, "{} is {}, over the limit of {}")                                                 \
  X(work_over_limit,                                                                              \
    "the full output needs {} multiply-accumulates, over the limit of {} for a full compute; "    \
    "`convscope trace` still shows any step")                                                     \
  X(view_over_limit, "{} would hold {} values, over the limit of {} for a view")                  \
  X(step_out_of_range, "step {} is out of range: this trace has {} steps (0 … {})")              \
  X(cell_out_of_range, "{} cell {} is outside the {} of shape {}")                                \
  X(order_not_for_conv, "--order scatter applies to conv2d_transpose; a {} is always a gather (output cell by output cell)") \
  X(export_write_failed, "cannot write {}: {}")                                                   \
  X(export_no_gl, "cannot render frames without a window: {} (headless export needs EGL with Mesa)") \
  X(export_bad_output,                                                                            \
    "--out {} must end in .gif (animation) or .png (one frame), or name a folder (numbered frames)") \
  X(export_folder_not_frames,                                                                     \
    "{} holds files other than numbered frames ({}); choose an empty or new folder, or replace only its frame_*.png with --force") \
  X(frame_too_large,                                                                              \
    "a {}×{} frame is over the limit of {} pixels a side and {} megapixels; use a smaller --scale or --size") \
  X(canvas_too_large,                                                                             \
    "the grids would be drawn as {} cells (padding and margins included), over the limit of {} cells for a frame") \
  X(lesson_not_found, "\"{}\" is neither a lesson file nor a shipped lesson (shipped: {})")                    \
  X(lesson_too_large, "lesson {} is larger than {} bytes, the limit for a lesson")                          \
  X(lesson_syntax, "lesson {} is not valid JSON: {}")                                                      \
  X(lesson_bad_value, "lesson {}: {} must be {}, got {}")                                                  \
  X(lesson_missing_key, "lesson {}: {} has no \"{}\" ({})")                                                \
  X(lesson_unknown_key, "lesson {}: unknown key \"{}\" in {} (allowed: {})")                               \
  X(lesson_pane, "lesson {}, slide {}, pane {} ({}): {}")                                                  \
  X(lesson_step, "lesson {}, slide {}: {} is out of range: the longest trace of this slide has {} steps (-1 … {})") \
  X(lesson_placeholder, "lesson {}, slide {}: {} in the {} does not resolve: {}")                          \
  X(lesson_hover, "lesson {}, slide {}: the hover pin {}")                                                 \
  X(unknown_command_or_file, "\"{}\" is neither a command ({}) nor a scenario file that exists")      \
  X(resources_missing, "cannot find convscope's shaders/ and assets/ (looked in {}, {} and $CONVSCOPE_RESOURCE_DIR)") \
  X(font_missing, "cannot find {} (install fonts-dejavu-core)")                                   \
  /* the window: sessions, edits, files */                                                        \
  X(session_unreadable, "the session {} could not be read ({}); {}, and the seed example is open")  \
  X(session_bad_value, "{} must be {}, got {}")                                                   \
  X(session_too_deep, "lists or objects nested deeper than {} levels")                            \
  X(session_pane_not_kept,                                                                        \
    "pane {} is not kept in the session: its {} values are over the {} a session writes out, and it " \
    "differs from the file it was opened from; save it (Ctrl+S) to keep it")                      \
  X(too_many_panes, "the window holds at most {} panes")                                          \
  X(not_a_number, "not a number: {}")                                                             \
  X(decimal_comma, "use a point: {}")                                                             \
  X(out_of_memory, "not enough memory to {}; nothing changed")                                    \
  X(save_into_resources, "{} is one of convscope's own files; save the scenario elsewhere (e.g. {})") \
  X(usage, "{}")

enum class ErrorCode {
#define CONVSCOPE_ERROR_ENUM(code, text) code,
  CONVSCOPE_ERRORS(CONVSCOPE_ERROR_ENUM)
#undef CONVSCOPE_ERROR_ENUM
};

// The message template of a code, with "{}" placeholders.
std::string_view error_template(ErrorCode code);
// The code's name as written in the table ("bias_length"), for tests and logs.
std::string_view error_name(ErrorCode code);

// What core throws on bad input. what() is the one-line message.
class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

namespace detail {
inline void format_into(std::ostringstream& out, std::string_view tmpl) { out << tmpl; }
template <typename First, typename... Rest>
void format_into(std::ostringstream& out, std::string_view tmpl, const First& first, const Rest&... rest) {
  const size_t mark = tmpl.find("{}");
  if (mark == std::string_view::npos) {
    out << tmpl;
    return;
  }
  out << tmpl.substr(0, mark) << first;
  format_into(out, tmpl.substr(mark + 2), rest...);
}
}  // namespace detail

// The filled-in message of a code.
template <typename... Args>
std::string error_message(ErrorCode code, const Args&... args) {
  std::ostringstream out;
  detail::format_into(out, error_template(code), args...);
  return out.str();
}

// A value as an error message may quote it: control characters escaped
// (\n, \u001b), at most `max_chars` characters, "…" where it was cut.
std::string excerpt(std::string_view text, size_t max_chars = 60);
// The first `max_chars` characters of UTF-8 text, as they are (no escaping).
std::string truncated(std::string_view text, size_t max_chars);
// One line, whatever the arguments held: control characters escaped.
std::string one_line(std::string_view text);

// Throws core::Error with the filled-in message.
template <typename... Args>
[[noreturn]] void fail(ErrorCode code, const Args&... args) {
  throw Error(code, one_line(error_message(code, args...)));
}

}  // namespace core
