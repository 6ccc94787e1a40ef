#include "core/errors.h"

namespace core {

std::string_view error_template(ErrorCode code) {
  switch (code) {
#define CONVSCOPE_ERROR_TEXT(name, text) \
  case ErrorCode::name:                  \
    return text;
    CONVSCOPE_ERRORS(CONVSCOPE_ERROR_TEXT)
#undef CONVSCOPE_ERROR_TEXT
  }
  return "unknown error";
}

std::string_view error_name(ErrorCode code) {
  switch (code) {
#define CONVSCOPE_ERROR_NAME(name, text) \
  case ErrorCode::name:                  \
    return #name;
    CONVSCOPE_ERRORS(CONVSCOPE_ERROR_NAME)
#undef CONVSCOPE_ERROR_NAME
  }
  return "unknown";
}

}  // namespace core
