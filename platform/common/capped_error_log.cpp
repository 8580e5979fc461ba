#include "common/capped_error_log.h"

#include "portscope/core/text.h"

#include <algorithm>
#include <utility>

namespace portscope::platform::common {

namespace {

constexpr std::size_t kMaxQuotedChars = 48;

// The text may be anything; keep the message readable and short.
void appendPrintable(std::string& out, std::string_view text) {
    out += core::excerptForDisplay(text, kMaxQuotedChars);
}

} // namespace

CappedErrorLog::CappedErrorLog(std::vector<std::string>* errors, std::string source,
                               std::string leftOutSuffix, std::size_t limit)
    : errors_(errors), source_(std::move(source)), leftOutSuffix_(std::move(leftOutSuffix)),
      limit_(limit) {}

CappedErrorLog::~CappedErrorLog() {
    if (errors_ == nullptr || leftOut_ == 0) {
        return;
    }
    std::string summary = source_.empty() ? std::string() : source_ + ": ";
    summary += std::to_string(leftOut_);
    summary += leftOutSuffix_;
    errors_->push_back(std::move(summary));
}

void CappedErrorLog::add(std::size_t lineNumber, std::string_view reason,
                         std::string_view offending) {
    if (errors_ == nullptr) {
        return;
    }
    if (kept_ >= limit_) {
        ++leftOut_;
        return;
    }
    ++kept_;
    std::string message = source_.empty() ? std::string() : source_ + " ";
    message += "line " + std::to_string(lineNumber) + ": ";
    message += reason;
    if (!offending.empty()) {
        message += " ('";
        appendPrintable(message, offending);
        message += "')";
    }
    errors_->push_back(std::move(message));
}

} // namespace portscope::platform::common
